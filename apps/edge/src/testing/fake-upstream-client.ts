import type { CallChannel, UpstreamCall, UpstreamResult } from '@tollgate/providers';
import type { UpstreamClient } from '../upstream/upstream.client.js';

/** One call the relay made: the adapter's request, and the channel it was for. */
export interface SentCall {
  call: UpstreamCall;
  channel: CallChannel;
  /** The body as text (what the upstream would read). */
  body: string;
  signal: AbortSignal | undefined;
}

/** The upstream as the relay calls it: every request recorded, each answered by the test's function. */
export class FakeUpstreamClient {
  readonly sent: SentCall[] = [];

  constructor(private readonly answer: (sent: SentCall) => UpstreamResult | Promise<UpstreamResult>) {}

  get client(): UpstreamClient {
    return this as unknown as UpstreamClient;
  }

  async send(call: UpstreamCall, channel: CallChannel, signal?: AbortSignal): Promise<UpstreamResult> {
    const sent = { call, channel, body: call.body === undefined ? '' : call.body.toString(), signal };
    this.sent.push(sent);
    return this.answer(sent);
  }
}
