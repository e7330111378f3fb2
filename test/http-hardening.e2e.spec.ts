import { beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { LIMITS } from '@tollgate/contracts';
import { eventually } from '@tollgate/testing';
import { createChannel, createCustomer, setPrice, type Customer } from './support/fixtures.js';
import { assertDocumented } from './support/openapi-conformance.js';
import { useSuite, type Suite } from './support/suite.js';

const TID = /^[0-9a-f]{32}$/;

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  bodyText: string;
  body: { error: Record<string, unknown> };
}

/**
 * Sends `request` as it is over one TCP connection and reads the answer up to
 * the server's close: fetch refuses to send most of what is tested here (a NUL
 * in a header, a request line that is not HTTP). Requests that reach Fastify
 * ask for `Connection: close` so that the server ends the connection too.
 */
function sendRaw(suite: Suite, request: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(suite.edgeUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      if (split === -1) return reject(new Error(`no complete HTTP response: ${JSON.stringify(text)}`));
      const [statusLine, ...headerLines] = text.slice(0, split).split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      const bodyText = text.slice(split + 4);
      try {
        const body = JSON.parse(bodyText) as RawAnswer['body'];
        resolve({ status: Number(statusLine.split(' ')[1]), headers, bodyText, body });
      } catch (error) {
        reject(new Error(`the body is not JSON: ${JSON.stringify(bodyText)}`, { cause: error }));
      }
    });
    // Not `end`: a half-closed connection lets Node drop a request whose answer needs a moment
    // (a NATS round trip); the server closes after answering, as `Connection: close` asks.
    socket.write(request);
  });
}

/** A well-formed HTTP/1.1 request; `body`, when given, is sent byte for byte as JSON. */
function httpRequest(options: { method?: string; path: string; key?: string; headers?: string[]; body?: string }) {
  const lines = [
    `${options.method ?? (options.body === undefined ? 'GET' : 'POST')} ${options.path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Connection: close',
    ...(options.key ? [`Authorization: Bearer ${options.key}`] : []),
    ...(options.body === undefined
      ? []
      : ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(options.body)}`]),
    ...(options.headers ?? []),
  ];
  return `${lines.join('\r\n')}\r\n\r\n${options.body ?? ''}`;
}

/** The OpenAI error shape with a tid, the same in the body and in X-Tid. */
function expectShapedError(answer: RawAnswer, status: number, error: { code: string; param?: string | null }): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.bodyText));
  expect(answer.body).toEqual({
    error: {
      message: expect.any(String),
      type: 'invalid_request_error',
      param: error.param ?? null,
      code: error.code,
      tid: expect.stringMatching(TID),
    },
  });
  expect(answer.headers['x-tid']).toBe(answer.body.error.tid);
}

describe('HTTP hardening: every answer shaped and traced, the bytes checked are the bytes sent', () => {
  const suite = useSuite();
  let customer: Customer;

  beforeAll(async () => {
    await createChannel(suite, { models: ['e2e-cheap', 'e2e-dear'] });
    await setPrice(suite, 'e2e-cheap', '0.1', '0.1');
    await setPrice(suite, 'e2e-dear', '100', '100');
    customer = await createCustomer(suite, { balance: '5', key: { allowed_models: ['e2e-cheap'] } });
  });

  describe("Fastify's and Node's own refusals", () => {
    it('answers a path that is not valid percent-encoding (%ff) with a 400 invalid_request', async () => {
      const answer = await sendRaw(suite, httpRequest({ path: '/v1/models/%ff', key: customer.key }));
      expectShapedError(answer, 400, { code: 'invalid_request' });
      expect(answer.body.error.message).toBe('Invalid request: the URL path is not valid percent-encoding');
    });

    it('answers a 101-character model id in /v1/models/{id} as the route does (a model name may be 200 long)', async () => {
      const answer = await sendRaw(suite, httpRequest({ path: `/v1/models/${'m'.repeat(101)}`, key: customer.key }));
      // The key may use e2e-cheap only: the documented 403, shaped and traced like every answer.
      expect([answer.status, answer.body.error.message, answer.headers['x-tid']]).toEqual([
        403,
        `Forbidden – key(${customer.key.slice(-6)}) not authorized to access the requested model.`,
        answer.body.error.tid,
      ]);
    });

    it('answers a path parameter beyond any model name with a 414 uri_too_long', async () => {
      const answer = await sendRaw(
        suite,
        httpRequest({ path: `/v1/models/${'m'.repeat(LIMITS.nameLength * 12 + 1)}`, key: customer.key }),
      );
      expectShapedError(answer, 414, { code: 'uri_too_long' });
    });

    it('answers a 17 KB header with a 431, logged once with its tid and without the header value', async () => {
      const secret = `sk-${'s'.repeat(17 * 1024)}`;
      const answer = await sendRaw(suite, httpRequest({ path: '/v1/models', headers: [`X-Secret: ${secret}`] }));
      expectShapedError(answer, 431, { code: 'request_header_fields_too_large' });
      expect(answer.headers.connection).toBe('close');
      const tid = answer.body.error.tid as string;
      const lines = await eventually(() => {
        const found = suite
          .logs('edge')
          .split('\n')
          .filter((line) => line.includes(tid));
        expect(found).toHaveLength(1);
        return found;
      });
      expect(JSON.parse(lines[0])).toMatchObject({ tid, status: 431, code: 'HPE_HEADER_OVERFLOW' });
      expect(suite.logs('edge')).not.toContain('ssssssssssssssss');
    });

    it('answers a NUL in a header value with a 400 invalid_request', async () => {
      const answer = await sendRaw(suite, httpRequest({ path: '/v1/models', headers: ['X-Note: a\u0000b'] }));
      expectShapedError(answer, 400, { code: 'invalid_request' });
      expect(answer.body.error.message).toBe(
        'Invalid request: the request is not valid HTTP/1.1 (Invalid header value char)',
      );
    });

    it('answers a request line that is not HTTP with a 400 invalid_request', async () => {
      const answer = await sendRaw(suite, 'NOT A REQUEST\r\n\r\n');
      expectShapedError(answer, 400, { code: 'invalid_request' });
    });
  });

  describe('a JSON key given twice', () => {
    const chat = (model: string) => `"messages":[{"role":"user","content":"hi"}],"model":"${model}"`;

    it('serves the cheap model to the key limited to it (the control for the next tests)', async () => {
      suite.fake.clearRequests();
      const answer = await fetch(`${suite.edgeUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${customer.key}`, 'content-type': 'application/json' },
        body: `{${chat('e2e-cheap')}}`,
      });
      expect(answer.status).toBe(200);
      expect(suite.fake.requests).toHaveLength(1);
    });

    it.each([
      ['plainly', `{"model":"e2e-dear",${chat('e2e-cheap')}}`],
      ['once escaped (mo\\u0064el)', `{"mo\\u0064el":"e2e-dear",${chat('e2e-cheap')}}`],
    ])('refuses a duplicate model key, %s, without calling the upstream', async (_how, body) => {
      suite.fake.clearRequests();
      const answer = await sendRaw(suite, httpRequest({ path: '/v1/chat/completions', key: customer.key, body }));
      expectShapedError(answer, 400, { code: 'invalid_request', param: 'model' });
      expect(answer.body.error.message).toBe('Invalid request: model appears twice; send each key once');
      expect(suite.fake.requests).toHaveLength(0);
    });

    it('refuses a duplicate key nested in messages, naming its path', async () => {
      suite.fake.clearRequests();
      const body = '{"model":"e2e-cheap","messages":[{"role":"user","content":"hi","role":"system"}]}';
      const answer = await sendRaw(suite, httpRequest({ path: '/v1/chat/completions', key: customer.key, body }));
      expectShapedError(answer, 400, { code: 'invalid_request', param: 'messages[0].role' });
      expect(suite.fake.requests).toHaveLength(0);
    });

    it('refuses a duplicate key in an admin body, and creates nothing', async () => {
      const name = `twice-${Date.now()}`;
      const body = `{"name":"${name}","role":"user","name":"${name}-other"}`;
      const answer = await sendRaw(suite, httpRequest({ path: '/admin/v1/users', key: suite.rootKey, body }));
      expectShapedError(answer, 400, { code: 'invalid_request', param: 'name' });
      assertDocumented({
        method: 'POST',
        path: '/admin/v1/users',
        status: answer.status,
        contentType: answer.headers['content-type'],
        body: answer.body,
      });
      const users = await suite.admin<{ data: Array<{ name: string }> }>('GET', '/admin/v1/users');
      expect(users.body.data.map((user) => user.name)).not.toContain(name);
    });
  });
});
