import { describe, expect, it } from '@jest/globals';
import { maxHeaderSize } from 'node:http';
import { PassThrough } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { DenialReason, renderDenial } from '@tollgate/errors';
import { denialForClientError, errorBodyFor, readsAnthropicErrors, writeDenialToSocket } from './error-response.js';

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

describe(errorBodyFor.name, () => {
  const TID = '0123456789abcdef0123456789abcdef';
  const request = (url: string, headers: Record<string, string> = {}) =>
    ({ url, headers }) as unknown as FastifyRequest;
  const quota = renderDenial({ reason: DenialReason.InsufficientUserQuota }, TID);

  it("renders a denial in Anthropic's envelope for the Messages API and any caller sending anthropic-version", () => {
    const anthropic = {
      type: 'error',
      error: {
        type: 'permission_error',
        message: 'Your account balance is insufficient. Please recharge your account to continue using the API.',
        code: 'insufficient_user_quota',
        tid: TID,
      },
    };
    expect(errorBodyFor(request('/v1/messages'), quota)).toEqual(anthropic);
    expect(errorBodyFor(request('/v1/messages/count_tokens'), quota)).toEqual(anthropic);
    expect(errorBodyFor(request('/v1/models', { 'anthropic-version': '2023-06-01' }), quota)).toEqual(anthropic);
    expect(readsAnthropicErrors(request('/v1/messagesx'))).toBe(false);
  });

  it("keeps OpenAI's shape everywhere else, and when there is no request", () => {
    expect(errorBodyFor(request('/v1/responses'), quota)).toBe(quota.body);
    expect(errorBodyFor(undefined, quota)).toBe(quota.body);
  });
});
