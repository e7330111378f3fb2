import { describe, expect, it } from '@jest/globals';
import { maxHeaderSize } from 'node:http';
import { PassThrough } from 'node:stream';
import { DenialReason } from '@tollgate/errors';
import { denialForClientError, writeDenialToSocket } from './error-response.js';

/** An error as Node's HTTP parser reports it to `clientError`. */
const parseError = (code: string, reason?: string): Error =>
  Object.assign(new Error(`Parse Error: ${reason}`), { code, reason });

describe(denialForClientError.name, () => {
  it('answers headers over the limit with a 431 that says the limit', () => {
    expect(denialForClientError(parseError('HPE_HEADER_OVERFLOW'))).toEqual({
      reason: DenialReason.HeaderFieldsTooLarge,
      params: { detail: `the request line and headers may be at most ${maxHeaderSize} bytes` },
    });
  });

  it('answers a request not received in time with a 408', () => {
    const timeout = Object.assign(new Error('Request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' });
    expect(denialForClientError(timeout)).toEqual({ reason: DenialReason.RequestTimeout });
  });

  it("answers any other parse error with a 400 naming llhttp's reason", () => {
    expect(denialForClientError(parseError('HPE_INVALID_HEADER_TOKEN', 'Invalid header value char'))).toEqual({
      reason: DenialReason.InvalidRequest,
      params: { detail: 'the request is not valid HTTP/1.1 (Invalid header value char)' },
    });
    expect(denialForClientError(new Error('no code'))).toEqual({
      reason: DenialReason.InvalidRequest,
      params: { detail: 'the request is not valid HTTP/1.1' },
    });
  });
});

describe(writeDenialToSocket.name, () => {
  it('writes one whole HTTP/1.1 response, tid in the body and in X-Tid, and ends the stream', async () => {
    const socket = new PassThrough();
    const tid = '4bf92f3577b34da6a3ce929d0e0e4736';
    writeDenialToSocket(socket, { reason: DenialReason.RequestTimeout }, tid);
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    const [head, body] = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n');
    expect(head.split('\r\n')).toEqual([
      'HTTP/1.1 408 Request Timeout',
      `x-tid: ${tid}`,
      'content-type: application/json',
      `content-length: ${Buffer.byteLength(body)}`,
      'connection: close',
    ]);
    expect(JSON.parse(body)).toEqual({
      error: {
        message: 'The request was not received in time.',
        type: 'invalid_request_error',
        param: null,
        code: 'request_timeout',
        tid,
      },
    });
  });
});
