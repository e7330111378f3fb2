import type { UpstreamClient, UpstreamRequest, UpstreamResult } from '../upstream/upstream.client.js';

/** The upstream as the relay calls it: every request recorded, each answered by the test's function. */
export class FakeUpstreamClient {
  readonly sent: UpstreamRequest[] = [];

  constructor(private readonly answer: (request: UpstreamRequest) => UpstreamResult | Promise<UpstreamResult>) {}

  get client(): UpstreamClient {
    return this as unknown as UpstreamClient;
  }

  async send(request: UpstreamRequest): Promise<UpstreamResult> {
    this.sent.push(request);
    return this.answer(request);
  }
}
