import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AdminClient, adminPath, apiErrorOf, parseBaseUrl } from './admin-client.js';
import { ApiError, ConnectionError, UsageError } from './cli-errors.js';
import { FakeAdminServer } from './testing/fake-admin-server.js';

const TID = '4bf92f3577b34da6a3ce929d0e0e4736';

const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
};

describe(AdminClient.name, () => {
  const server = new FakeAdminServer();
  let sut: AdminClient;

  beforeAll(async () => {
    await server.start();
  });

  afterAll(async () => {
    await server.close();
  });

  beforeEach(() => {
    server.reset();
    sut = new AdminClient({ baseUrl: server.url, key: 'sk-admin' });
  });

  it('sends the bearer key and JSON, and returns the parsed answer', async () => {
    server.on('POST /admin/v1/users/u1/adjustments', { status: 201, body: { replayed: false } });
    const answer = await sut.post<{ replayed: boolean }>('users/u1/adjustments', { amount: '1.50' });
    expect(answer).toEqual({ replayed: false });
    const [request] = server.requests;
    expect(request.headers.authorization).toBe('Bearer sk-admin');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toEqual({ amount: '1.50' });
  });

  it('puts set query values in the URL and leaves out empty ones', async () => {
    server.on('GET /admin/v1/usage', { body: { data: [] } });
    await sut.get('usage', { from: '2024-05-01', user_id: undefined, model: '', limit: 5, cursor: null });
    expect(Object.fromEntries(server.requests[0].query)).toEqual({ from: '2024-05-01', limit: '5' });
  });

  it("turns the API's error body into an ApiError with message, code, param and tid", async () => {
    server.on('POST /admin/v1/users/u1/topups', {
      status: 400,
      body: {
        error: {
          message: 'Invalid request: amount must be a decimal string',
          type: 'invalid_request_error',
          param: 'amount',
          code: 'invalid_request',
          tid: TID,
        },
      },
    });
    const error = await rejection(sut.post('users/u1/topups', {}));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).details).toEqual({
      status: 400,
      message: 'Invalid request: amount must be a decimal string',
      type: 'invalid_request_error',
      param: 'amount',
      code: 'invalid_request',
      tid: TID,
    });
  });

  it('falls back to the x-tid header and a short excerpt when the body is not the API error shape', async () => {
    server.on('GET /admin/v1/reconcile', {
      status: 502,
      body: '<html>\n<body>Bad gateway</body>\n</html>',
      headers: { 'x-tid': TID },
    });
    const error = (await rejection(sut.get('reconcile'))) as ApiError;
    expect(error.details.status).toBe(502);
    expect(error.details.message).toBe('HTTP 502 Bad Gateway: <html> <body>Bad gateway</body> </html>');
    expect(error.details.tid).toBe(TID);
    expect(error.details.code).toBeNull();
  });

  it('returns text answers with their headers (the ledger CSV export)', async () => {
    server.on('GET /admin/v1/users/u1/ledger', {
      body: 'id,amount\r\n1,2.000000\r\n',
      headers: { 'content-type': 'text/csv', 'x-next-cursor': 'c2' },
    });
    const { text, headers } = await sut.getText('users/u1/ledger', { format: 'csv' });
    expect(text).toBe('id,amount\r\n1,2.000000\r\n');
    expect(headers.get('x-next-cursor')).toBe('c2');
    expect(server.requests[0].query.get('format')).toBe('csv');
  });

  it('says so when a 2xx answer is not JSON (the URL points elsewhere)', async () => {
    server.on('GET /admin/v1/prices', { body: '<html>welcome</html>' });
    const error = await rejection(sut.get('prices'));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/not JSON; is the server URL the Tollgate edge\?/);
  });

  it('reports an unreachable server by its cause', async () => {
    const closed = new FakeAdminServer();
    await closed.start();
    const url = closed.url;
    await closed.close();
    const error = await rejection(new AdminClient({ baseUrl: url, key: 'k' }).get('users'));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe(`could not reach the admin API at ${url}: ECONNREFUSED`);
  });

  it('gives up after its timeout', async () => {
    const slow = new AdminClient({
      baseUrl: server.url,
      key: 'k',
      timeoutMs: 20,
      fetch: (_input, init) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () =>
            reject(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' })),
          ),
        ),
    });
    expect(((await rejection(slow.get('users'))) as Error).message).toMatch(/no answer within 0 s$/);
  });

  it('keeps a reverse-proxy path prefix of the base URL', () => {
    const client = new AdminClient({ baseUrl: 'https://gw.example/tollgate/', key: 'k' });
    expect(client.url('users', { limit: 5 }).toString()).toBe('https://gw.example/tollgate/admin/v1/users?limit=5');
  });
});

describe(adminPath.name, () => {
  it('encodes each value as one path segment', () => {
    expect(adminPath`users/${'../keys'}/ledger`).toBe('users/..%2Fkeys/ledger');
    expect(adminPath`prices/${'org/model v2'}`).toBe('prices/org%2Fmodel%20v2');
    expect(adminPath`channels/${7}/test`).toBe('channels/7/test');
  });
});

describe(parseBaseUrl.name, () => {
  it('takes http and https URLs and refuses anything else before a request is made', () => {
    expect(parseBaseUrl('http://127.0.0.1:8080/').toString()).toBe('http://127.0.0.1:8080/');
    expect(() => parseBaseUrl('127.0.0.1:8080')).toThrow(UsageError);
    expect(() => parseBaseUrl('ftp://host')).toThrow('must start with http:// or https://');
    expect(() => parseBaseUrl('not a url')).toThrow(UsageError);
  });
});

describe(apiErrorOf.name, () => {
  it('keeps the status text when the body is empty', () => {
    expect(apiErrorOf(503, 'Service Unavailable', '').message).toBe('HTTP 503 Service Unavailable');
  });
});
