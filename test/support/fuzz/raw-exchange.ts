import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { FuzzRequest } from './fuzz-request.js';

/** What the edge answered, whole. */
export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** No answer within this is a hung request: a failure, not a reason to wait longer. */
const ANSWER_TIMEOUT_MS = 30_000;

/**
 * Sends a request as written (repeated headers, bodies that are not UTF-8,
 * any method) with node:http: fetch would merge repeated headers, refuse
 * some methods and re-encode the path.
 */
export function rawExchange(baseUrl: string, agent: Agent, request: FuzzRequest): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const body = request.body === undefined ? undefined : Buffer.from(request.body, request.bodyEncoding);
  // A header named twice is sent twice: node:http writes one line per value of an array.
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of request.headers) {
    const before = headers[name];
    headers[name] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
  }
  if (body) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: request.method.toUpperCase(),
        path: request.target,
        headers,
        agent,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.setTimeout(ANSWER_TIMEOUT_MS, () =>
      outgoing.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)),
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
