import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import type { PickedChannel } from '@tollgate/contracts';

export type UpstreamBody = Dispatcher.ResponseData['body'];

export type UpstreamResult =
  | { kind: 'response'; status: number; headers: Record<string, string | string[] | undefined>; body: UpstreamBody }
  | { kind: 'failure'; timedOut: boolean; reason: string };

export interface UpstreamRequest {
  channel: PickedChannel;
  /** Path under the channel's base URL, e.g. `/chat/completions` for base `http://host/v1`. */
  path: string;
  method?: 'GET' | 'POST';
  body?: Buffer | string;
  contentType?: string;
  signal?: AbortSignal;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * HTTP to upstream providers over undici with keep-alive pools: one Agent per
 * channel, because the connect timeout is a per-channel setting and an
 * Agent's own. The first-byte timeout is undici's headersTimeout and the
 * silence-between-chunks timeout its bodyTimeout.
 */
@Injectable()
export class UpstreamClient implements OnApplicationShutdown {
  private readonly agents = new Map<string, Agent>();

  async send(request: UpstreamRequest): Promise<UpstreamResult> {
    const { channel } = request;
    const url = new URL(channel.baseUrl.replace(/\/+$/, '') + request.path);
    try {
      const response = await this.agentFor(channel).request({
        origin: url.origin,
        path: url.pathname + url.search,
        method: request.method ?? 'POST',
        headers: {
          authorization: `Bearer ${channel.apiKey}`,
          'content-type': request.contentType ?? 'application/json',
          accept: 'application/json, text/event-stream, */*',
        },
        body: request.body,
        headersTimeout: channel.timeouts.firstByteMs,
        bodyTimeout: channel.timeouts.idleMs,
        signal: request.signal,
      });
      return { kind: 'response', status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      return { kind: 'failure', timedOut: isTimeout(error), reason: describe(error) };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.close()));
  }

  private agentFor(channel: PickedChannel): Agent {
    const key = `${channel.channelId}:${channel.timeouts.connectMs}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new Agent({
        connect: { timeout: channel.timeouts.connectMs },
        keepAliveTimeout: 30_000,
        connections: 256,
      });
      this.agents.set(key, agent);
    }
    return agent;
  }
}

export function isTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (typeof code === 'string' && TIMEOUT_CODES.has(code)) ||
    error instanceof undiciErrors.ConnectTimeoutError ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError
  );
}

/** A short, secret-free description for logs (never the request, which carries the key). */
function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}
