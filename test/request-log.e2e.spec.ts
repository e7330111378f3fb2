import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import pg from 'pg';
import { resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { eventually } from '@tollgate/testing';
import { createChannel, createCustomer, setPrice, type Customer } from './support/fixtures.js';
import { micros } from './support/ledger.js';
import { apiError, openaiClient } from './support/openai-client.js';
import { useSuite } from './support/suite.js';

interface RequestRow {
  id: string;
  object: 'request';
  tid: string;
  user_id: string;
  user_name: string | null;
  key_id: string;
  key_name: string | null;
  model: string;
  channel_id: number | null;
  status: number;
  succeeded: boolean;
  stream: boolean;
  input_tokens: number;
  output_tokens: number;
  cost: string;
  created_at: string;
}

interface RequestPage {
  object: 'list';
  data: RequestRow[];
  next_cursor: string | null;
}

interface LedgerLine {
  type: string;
  amount: string;
  hold_id: string;
  tid: string;
  user_id: string;
  user_name: string | null;
  actor: string;
  actor_name: string | null;
}

interface RequestTrace {
  object: 'request_trace';
  tid: string;
  requests: Array<{
    request: RequestRow;
    hold: { id: string; status: string; held: string; charged: string | null };
    ledger: LedgerLine[];
  }>;
}

interface ErrorBody {
  error: { message: string; code: string | null; param: string | null; tid: string };
}

const messages = [{ role: 'user' as const, content: 'Hi' }];

const CLI = resolve(import.meta.dirname, '../dist/apps/cli/main.js');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The request log as billing staff use it: a customer quotes the tid of a
 * request, and one call shows the request, its charge and its ledger lines;
 * the log lists requests by user, model, status and time, a page at a time
 * or as one CSV download.
 */
describe('request log: every settled request by its tid, filters, pages and CSV', () => {
  const suite = useSuite();
  let customer: Customer;
  let channelId: number;
  const tids = { success: '', failure: '', stream: '' };
  let startedAt: string;

  /** The customer's requests, every page, newest first. */
  async function everyPage(query: string): Promise<RequestPage[]> {
    const pages: RequestPage[] = [];
    let cursor: string | null = null;
    do {
      const after: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = await suite.admin<RequestPage>('GET', `/admin/v1/requests?${query}${after}`);
      expect(page.status).toBe(200);
      pages.push(page.body);
      cursor = page.body.next_cursor;
    } while (cursor !== null);
    return pages;
  }

  beforeAll(async () => {
    channelId = await createChannel(suite, { models: ['rl-ok', 'rl-stream'] });
    // Two channels, both answering 500: the edge tries each, then answers 502.
    await createChannel(suite, { models: ['rl-failing'] });
    await createChannel(suite, { models: ['rl-failing'] });
    suite.fake.setDefaults({ byModel: { 'rl-failing': { status: 500 } } });
    for (const model of ['rl-ok', 'rl-stream', 'rl-failing']) await setPrice(suite, model, '1', '2');
    customer = await createCustomer(suite, { balance: '5', key: { name: 'rl-laptop' } });
    startedAt = new Date().toISOString();
    const client = openaiClient(suite, customer.key);

    const success = await client.chat.completions.create({ model: 'rl-ok', messages }).withResponse();
    tids.success = success.response.headers.get('x-tid') ?? '';

    const failure = await apiError(() => client.chat.completions.create({ model: 'rl-failing', messages }));
    expect(failure.status).toBe(502);
    tids.failure = failure.headers?.get('x-tid') ?? '';

    const stream = await client.chat.completions
      .create({ model: 'rl-stream', messages, stream: true, stream_options: { include_usage: true } })
      .withResponse();
    for await (const chunk of stream.data) void chunk;
    tids.stream = stream.response.headers.get('x-tid') ?? '';

    expect(Object.values(tids).every((tid) => /^[0-9a-f]{32}$/.test(tid))).toBe(true);
    // Settlements are applied after the answers: wait until all three are in the log.
    await eventually(
      async () => {
        const page = await suite.admin<RequestPage>('GET', `/admin/v1/requests?user_id=${customer.userId}`);
        expect(page.body.data).toHaveLength(3);
      },
      { timeoutMs: 15_000 },
    );
  });

  it('finds a success by its tid: the request, its hold charged, and hold, release and charge lines', async () => {
    const found = await suite.admin<RequestTrace>('GET', `/admin/v1/requests/${tids.success}`);

    expect(found.status).toBe(200);
    expect(found.body.tid).toBe(tids.success);
    expect(found.body.requests).toHaveLength(1);
    const [{ request, hold, ledger }] = found.body.requests as [RequestTrace['requests'][number]];
    expect(request).toMatchObject({
      object: 'request',
      tid: tids.success,
      user_id: customer.userId,
      key_id: customer.keyId,
      model: 'rl-ok',
      channel_id: channelId,
      status: 200,
      succeeded: true,
      stream: false,
    });
    // 1 and 2 per million tokens, in and out.
    const cost = BigInt(request.input_tokens) + 2n * BigInt(request.output_tokens);
    expect(micros(request.cost)).toBe(cost);
    expect(hold).toMatchObject({ status: 'settled', charged: request.cost });
    expect(ledger.map((line) => line.type)).toEqual(['hold', 'release', 'charge']);
    expect(ledger.every((line) => line.hold_id === hold.id && line.tid === tids.success)).toBe(true);
    expect(micros(ledger[1]?.amount ?? '') + micros(ledger[0]?.amount ?? '')).toBe(0n);
    expect(-micros(ledger[2]?.amount ?? '')).toBe(cost);
  });

  it('finds a 502 upstream failure by its tid: released, nothing charged', async () => {
    const found = await suite.admin<RequestTrace>('GET', `/admin/v1/requests/${tids.failure.toUpperCase()}`);

    expect(found.status).toBe(200);
    const [{ request, hold, ledger }] = found.body.requests as [RequestTrace['requests'][number]];
    expect(request).toMatchObject({
      tid: tids.failure,
      model: 'rl-failing',
      status: 502,
      succeeded: false,
      cost: '0.000000',
    });
    expect(hold).toMatchObject({ status: 'released', charged: '0.000000' });
    expect(ledger.map((line) => line.type)).toEqual(['hold', 'release']);
  });

  it('finds a stream by its tid, charged for the usage it reported', async () => {
    const found = await suite.admin<RequestTrace>('GET', `/admin/v1/requests/${tids.stream}`);

    const [{ request, hold, ledger }] = found.body.requests as [RequestTrace['requests'][number]];
    expect(request).toMatchObject({ tid: tids.stream, model: 'rl-stream', status: 200, succeeded: true, stream: true });
    expect(request.output_tokens).toBeGreaterThan(0);
    expect(hold.charged).toBe(request.cost);
    expect(ledger.map((line) => line.type)).toEqual(['hold', 'release', 'charge']);
  });

  it('answers the documented 404 for a tid nothing was settled under, and a 400 for one that is no tid', async () => {
    const unknown = await suite.admin<ErrorBody>('GET', `/admin/v1/requests/${'0'.repeat(31)}1`);
    const malformed = await suite.admin<ErrorBody>('GET', '/admin/v1/requests/not-a-tid');

    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
    expect(unknown.body.error.message).toBe(`Not found: no request settled with tid ${'0'.repeat(31)}1`);
    expect([malformed.status, malformed.body.error.code, malformed.body.error.param]).toEqual([
      400,
      'invalid_request',
      'tid',
    ]);
  });

  it('filters by model, status, outcome, tid and time', async () => {
    const ids = async (query: string) =>
      (await suite.admin<RequestPage>('GET', `/admin/v1/requests?user_id=${customer.userId}&${query}`)).body.data.map(
        (row) => row.tid,
      );
    const later = new Date(Date.now() + 60_000).toISOString();

    expect(await ids('model=rl-stream')).toEqual([tids.stream]);
    expect(await ids('status=502')).toEqual([tids.failure]);
    expect(await ids('status=failed')).toEqual([tids.failure]);
    expect(await ids('status=ok')).toEqual([tids.stream, tids.success]);
    expect(await ids(`tid=${tids.success}`)).toEqual([tids.success]);
    expect(await ids(`key_id=${customer.keyId}&channel_id=${channelId}`)).toEqual([tids.stream, tids.success]);
    expect(await ids(`from=${startedAt}`)).toEqual([tids.stream, tids.failure, tids.success]);
    expect(await ids(`to=${startedAt}`)).toEqual([]);
    expect(await ids(`from=${later}`)).toEqual([]);
  });

  it('refuses a range that ends before it starts, and a status that is none, naming the field', async () => {
    const backwards = await suite.admin<ErrorBody>('GET', '/admin/v1/requests?from=2026-12-02&to=2026-12-01');
    const badStatus = await suite.admin<ErrorBody>('GET', '/admin/v1/requests?status=maybe');
    const badCursor = await suite.admin<ErrorBody>('GET', '/admin/v1/requests?cursor=bm90IGEgY3Vyc29y');
    const tooMany = await suite.admin<ErrorBody>('GET', '/admin/v1/requests?limit=501');

    for (const [refusal, param] of [
      [backwards, 'to'],
      [badStatus, 'status'],
      [badCursor, 'cursor'],
      [tooMany, 'limit'],
    ] as const) {
      expect([refusal.status, refusal.body.error.code, refusal.body.error.param]).toEqual([
        400,
        'invalid_request',
        param,
      ]);
    }
  });

  it('pages newest first with the cursor, each request once', async () => {
    const pages = await everyPage(`user_id=${customer.userId}&limit=1`);

    expect(pages.map((page) => page.data.length)).toEqual([1, 1, 1]);
    expect(pages.flatMap((page) => page.data.map((row) => row.tid))).toEqual([tids.stream, tids.failure, tids.success]);
  });

  it('exports the same filter as one CSV download, every page of it', async () => {
    const response = await fetch(`${suite.edgeUrl}/admin/v1/requests?user_id=${customer.userId}&format=csv`, {
      headers: { authorization: `Bearer ${suite.rootKey}` },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="requests-\d{8}T\d{6}Z\.csv"$/);
    const rows = parseCsv<Record<string, string>>(await response.text(), { columns: true });
    expect(rows.map((row) => [row.tid, row.model, row.status, row.succeeded, row.stream])).toEqual([
      [tids.stream, 'rl-stream', '200', 'true', 'true'],
      [tids.failure, 'rl-failing', '502', 'false', 'false'],
      [tids.success, 'rl-ok', '200', 'true', 'false'],
    ]);
    const json = await suite.admin<RequestPage>('GET', `/admin/v1/requests?user_id=${customer.userId}`);
    expect(rows.map((row) => row.cost)).toEqual(json.body.data.map((row) => row.cost));

    const withLimit = await suite.admin<ErrorBody>('GET', '/admin/v1/requests?format=csv&limit=5');
    expect([withLimit.status, withLimit.body.error.param]).toEqual([400, 'limit']);
  });

  describe('names next to ids', () => {
    let userName: string;

    beforeAll(async () => {
      userName = (await suite.admin<{ name: string }>('GET', `/admin/v1/users/${customer.userId}`)).body.name;
    });

    it("shows each request's user and key by name, in a page, a trace and the CSV", async () => {
      const page = await suite.admin<RequestPage>('GET', `/admin/v1/requests?user_id=${customer.userId}`);
      expect(page.body.data.map((row) => [row.user_name, row.key_name])).toEqual(
        Array.from({ length: 3 }, () => [userName, 'rl-laptop']),
      );

      const trace = await suite.admin<RequestTrace>('GET', `/admin/v1/requests/${tids.success}`);
      const [{ request, ledger }] = trace.body.requests as [RequestTrace['requests'][number]];
      expect([request.user_name, request.key_name]).toEqual([userName, 'rl-laptop']);
      // The hold is the key's doing; its release and charge are the settlement service's, which names no one.
      expect(ledger.map((line) => [line.type, line.user_name, line.actor, line.actor_name])).toEqual([
        ['hold', userName, `key:${customer.keyId}`, 'rl-laptop'],
        ['release', userName, 'settlement', null],
        ['charge', userName, 'settlement', null],
      ]);

      const csv = await fetch(`${suite.edgeUrl}/admin/v1/requests?user_id=${customer.userId}&format=csv`, {
        headers: { authorization: `Bearer ${suite.rootKey}` },
      });
      const rows = parseCsv<Record<string, string>>(await csv.text(), { columns: true });
      expect(rows.map((row) => [row.user_id, row.user_name, row.key_id, row.key_name])).toEqual(
        Array.from({ length: 3 }, () => [customer.userId, userName, customer.keyId, 'rl-laptop']),
      );
    });

    it('shows the names in usage and in the ledger (JSON and CSV), the staff member who topped up as the actor', async () => {
      const usage = await suite.admin<{ data: Array<Record<string, unknown>> }>(
        'GET',
        `/admin/v1/usage?user_id=${customer.userId}`,
      );
      expect(usage.body.data.length).toBeGreaterThan(0);
      for (const row of usage.body.data) {
        expect(row).toMatchObject({ user_id: customer.userId, user_name: userName, key_name: 'rl-laptop' });
      }

      const ledger = await suite.admin<{ data: LedgerLine[] }>(
        'GET',
        `/admin/v1/users/${customer.userId}/ledger?type=topup`,
      );
      const [topUp] = ledger.body.data;
      const staff = (await suite.admin<{ name: string }>('GET', `/admin/v1/users/${topUp?.actor ?? ''}`)).body;
      expect(staff.name).toEqual(expect.any(String));
      expect(topUp).toMatchObject({ user_name: userName, actor_name: staff.name });

      const csv = await fetch(`${suite.edgeUrl}/admin/v1/users/${customer.userId}/ledger?format=csv&type=hold`, {
        headers: { authorization: `Bearer ${suite.rootKey}` },
      });
      const rows = parseCsv<Record<string, string>>(await csv.text(), { columns: true });
      expect(rows).toHaveLength(3);
      expect(rows.map((row) => [row.user_name, row.actor_name])).toEqual(
        Array.from({ length: 3 }, () => [userName, 'rl-laptop']),
      );
    });

    it('answers null, not an error, for a user and a key auth does not know', async () => {
      const gone = await createCustomer(suite, { balance: '1', key: { name: 'doomed' } });
      const client = openaiClient(suite, gone.key);
      const answer = await client.chat.completions.create({ model: 'rl-ok', messages }).withResponse();
      const tid = answer.response.headers.get('x-tid') ?? '';
      await eventually(
        async () => {
          const page = await suite.admin<RequestPage>('GET', `/admin/v1/requests?user_id=${gone.userId}`);
          expect(page.body.data.map((row) => row.key_name)).toEqual(['doomed']);
        },
        { timeoutMs: 15_000 },
      );
      // Auth deletes no user or key; one removed by hand (or billing's row for an id auth never had) looks like this.
      const db = new pg.Client({ connectionString: suite.databaseUrl });
      await db.connect();
      try {
        await db.query('DELETE FROM auth.api_keys WHERE id = $1', [gone.keyId]);
        await db.query('DELETE FROM auth.users WHERE id = $1', [gone.userId]);
      } finally {
        await db.end();
      }

      const page = await suite.admin<RequestPage>('GET', `/admin/v1/requests?user_id=${gone.userId}`);
      expect(page.status).toBe(200);
      expect(page.body.data.map((row) => [row.user_id, row.user_name, row.key_id, row.key_name])).toEqual([
        [gone.userId, null, gone.keyId, null],
      ]);
      const trace = await suite.admin<RequestTrace>('GET', `/admin/v1/requests/${tid}`);
      expect(trace.status).toBe(200);
      const [{ request, ledger }] = trace.body.requests as [RequestTrace['requests'][number]];
      expect([request.user_name, request.key_name]).toEqual([null, null]);
      expect(ledger.map((line) => [line.user_name, line.actor_name])).toEqual([
        [null, null],
        [null, null],
        [null, null],
      ]);
      const usage = await suite.admin<{ data: Array<Record<string, unknown>> }>(
        'GET',
        `/admin/v1/usage?user_id=${gone.userId}`,
      );
      expect(usage.body.data.map((row) => [row.user_name, row.key_name])).toEqual([[null, null]]);
    });
  });

  it('may be read by the billing role; a user key gets the documented 403', async () => {
    const staff = await createCustomer(suite, { role: 'billing' });

    const asStaff = await suite.admin<RequestTrace>('GET', `/admin/v1/requests/${tids.success}`, undefined, staff.key);
    const staffList = await suite.admin<RequestPage>('GET', '/admin/v1/requests?limit=1', undefined, staff.key);
    const asUser = await suite.admin<ErrorBody>('GET', `/admin/v1/requests/${tids.success}`, undefined, customer.key);
    const userList = await suite.admin<ErrorBody>('GET', '/admin/v1/requests', undefined, customer.key);

    expect(asStaff.status).toBe(200);
    expect(staffList.status).toBe(200);
    for (const refusal of [asUser, userList]) {
      expect(refusal.status).toBe(403);
      expect(refusal.body.error.message).toBe('Forbidden – insufficient permissions.');
    }
  });

  describe('the CLI', () => {
    /** The built CLI in its own process, as an operator runs it, with a billing key. */
    const cli = async (...args: string[]): Promise<CliRun> => {
      const staff = await createCustomer(suite, { role: 'billing' });
      return new Promise((done) => {
        execFile(
          process.execPath,
          [CLI, ...args],
          {
            env: { PATH: process.env.PATH, TOLLGATE_URL: suite.edgeUrl, TOLLGATE_ADMIN_KEY: staff.key },
            timeout: 30_000,
          },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
            done({ code, stdout, stderr });
          },
        );
      });
    };

    it('lists the requests of a filter as a table, and as JSON', async () => {
      const table = await cli('requests', '--user', customer.userId, '--status', 'ok');
      const json = await cli('requests', '--user', customer.userId, '--model', 'rl-failing', '--json');

      expect({ code: table.code, stderr: table.stderr }).toEqual({ code: 0, stderr: '' });
      const lines = table.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[1]).toContain(`${tids.stream}  rl-stream`);
      expect(lines[2]).toContain(`${tids.success}  rl-ok`);
      expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(120);
      expect(json.code).toBe(0);
      expect((JSON.parse(json.stdout) as RequestPage).data.map((row) => [row.tid, row.status])).toEqual([
        [tids.failure, 502],
      ]);
    });

    it('shows the request a tid names, with its charge and ledger lines', async () => {
      const run = await cli('request', tids.success);

      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(new RegExp(`^tid: +${tids.success}$`, 'm'));
      expect(run.stdout).toMatch(/^status: +200 \(charged\)$/m);
      expect(run.stdout).toMatch(/^hold status: +settled$/m);
      expect(run.stdout.match(/^(hold|release|charge) +-?\d+\.\d{6}/gm)?.map((line) => line.split(' ')[0])).toEqual([
        'hold',
        'release',
        'charge',
      ]);

      const unknown = await cli('request', '0'.repeat(32));
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('Not found: no request settled with tid');
    });

    it('exports the filter as CSV', async () => {
      const run = await cli('requests', '--user', customer.userId, '--csv');

      expect(run.code).toBe(0);
      const rows = parseCsv<Record<string, string>>(run.stdout, { columns: true });
      expect(rows.map((row) => row.tid)).toEqual([tids.stream, tids.failure, tids.success]);
    });
  });
});
