import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { runCli } from './cli-program.js';
import { ExitCode } from './cli-errors.js';
import { FakeAdminServer } from './testing/fake-admin-server.js';

const USER = '0b5f2a52-4a8e-4b8f-9c57-2f2d5a3c1e7d';
const OTHER = '6a1c3e9d-2b7f-4c1a-8d3e-5f6a7b8c9d0e';
const TID = '4bf92f3577b34da6a3ce929d0e0e4736';

const balance = (amount: string) => ({
  object: 'balance',
  user_id: USER,
  balance: amount,
  held: '0.000000',
  granted: '0.000000',
  available: amount,
  updated_at: '2024-05-01T00:00:00.000Z',
});
const entry = (amount: string, key: string) => ({
  id: '17',
  object: 'ledger_entry',
  user_id: USER,
  type: 'adjustment',
  amount,
  balance_after: '7.500000',
  hold_id: null,
  actor: 'root',
  reason: 'refund',
  tid: null,
  idempotency_key: key,
  created_at: '2024-05-01T00:00:00.000Z',
});
const BATCH = '5d0c9f3e-7a2b-4c6d-8e1f-0a9b8c7d6e5f';
const ROWS_PATH = `/admin/v1/adjustments/batches/${BATCH}/rows`;
const batchRow = (index: number, status: string, message: string | null = null) => ({
  object: 'batch_adjustment_row',
  index,
  user_id: index === 0 ? USER : OTHER,
  amount: '-1.000000',
  idempotency_key: `k${index}`,
  status,
  balance_before: '2.000000',
  balance_after: message ? null : '1.000000',
  entry_id: null,
  error: message ? 'below_zero' : null,
  message,
});
const counts = (changes: Record<string, number>) => ({
  applied: 0,
  would_apply: 0,
  replayed: 0,
  error: 0,
  not_applied: 0,
  ...changes,
});
const batchAnswer = (fields: Record<string, unknown>) => ({
  object: 'batch_adjustment',
  id: BATCH,
  failed_rows: [],
  ...fields,
});

describe(runCli.name, () => {
  const server = new FakeAdminServer();
  const files = new Map<string, string>();
  let stdout = '';
  let stderr = '';

  const run = (args: string[], env: { key?: string } = { key: 'sk-admin' }) =>
    runCli(args, {
      config: { url: server.url, key: env.key },
      io: { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) },
      readFile: (path) => {
        const text = files.get(path);
        if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
        return text;
      },
    });

  beforeAll(async () => {
    await server.start();
  });

  afterAll(async () => {
    await server.close();
  });

  beforeEach(() => {
    server.reset();
    files.clear();
    stdout = '';
    stderr = '';
  });

  describe('usage errors: exit 2 and nothing sent', () => {
    it.each([
      [
        'an adjustment without an idempotency key',
        ['adjust', USER, '-2.5', '--reason', 'refund'],
        /--idempotency-key is required/,
      ],
      ['a top-up without a reason', ['topup', USER, '5', '--idempotency-key', 'k1'], /--reason .* is required/],
      [
        'a top-up of a bad amount',
        ['topup', USER, '5.1234567', '--reason', 'r', '--idempotency-key', 'k1'],
        /at most 6 decimals/,
      ],
      ['a negative top-up', ['topup', USER, '-5', '--reason', 'r', '--idempotency-key', 'k1'], /greater than zero/],
      ['a user id that is not one', ['balance', 'bob'], /userId must be a UUID/],
      ['an unknown command', ['refund'], /unknown command 'refund'/],
      ['a missing argument', ['keys', 'list'], /missing required argument 'userId'/],
      ['a missing batch file', ['batch-adjust', 'nope.csv'], /batch file nope.csv does not exist/],
      ['a bad ledger type', ['ledger', USER, '--type', 'gift'], /--type must be/],
      ['a bad ledger tid', ['ledger', USER, '--tid', 'abc'], /--tid must be/],
      ['a group without a subcommand', ['users'], /Usage: tollgate users/],
      ['an update with nothing to change', ['users', 'update', USER], /nothing to change/],
      ['a channel id that is not a number', ['channels', 'get', 'abc'], /channel id must be a whole number/],
      [
        'a channel without its required fields',
        ['channels', 'create', '--name', 'x'],
        /needs --base-url, --api-key, --models/,
      ],
      ['a multiplier with 5 decimals', ['groups', 'set', 'vip', '0.12345'], /at most 4 decimals/],
      ['--csv with --json', ['ledger', USER, '--csv', '--json'], /cannot be combined/],
      [
        'the admin key after the command',
        ['users', 'list', '--key', 'sk-x'],
        /--url and --key are global options: put them before/,
      ],
      ['an admin key as the usage filter', ['usage', '--key', 'sk-x'], /the admin key goes before the command/],
    ])('%s', async (_what, args, message) => {
      expect(await run(args)).toBe(ExitCode.Usage);
      expect(stderr).toMatch(message);
      expect(server.requests).toHaveLength(0);
    });

    it('refuses to run without an admin key, naming both ways to give one', async () => {
      expect(await run(['balance', USER], {})).toBe(ExitCode.Usage);
      expect(stderr).toContain('no admin key: set TOLLGATE_ADMIN_KEY or pass --key <key>');
      expect(server.requests).toHaveLength(0);
    });

    it('exits 0 for --help', async () => {
      expect(await run(['adjust', '--help'])).toBe(ExitCode.Ok);
      expect(stdout).toContain('--idempotency-key <key>');
    });
  });

  it('tells the operator to re-run a money command whose outcome a lost connection left unknown', async () => {
    const gone = new FakeAdminServer();
    await gone.start();
    await gone.close();
    const code = await runCli(['topup', USER, '5', '--reason', 'paid', '--idempotency-key', 'inv-1'], {
      config: { url: gone.url, key: 'sk-admin' },
      io: { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) },
    });
    expect(code).toBe(ExitCode.Failure);
    expect(stderr).toContain(`could not reach the admin API at ${gone.url}: ECONNREFUSED`);
    expect(stderr).toContain(
      'Run the same command again (same --idempotency-key) to find out: it cannot be applied twice.',
    );
  });

  it('prints the API error message, code and tid on stderr and exits 1', async () => {
    server.on(`GET /admin/v1/users/${USER}`, {
      status: 404,
      body: {
        error: {
          message: 'No such user',
          type: 'invalid_request_error',
          param: null,
          code: 'user_not_found',
          tid: TID,
        },
      },
    });
    expect(await run(['users', 'get', USER])).toBe(ExitCode.Failure);
    expect(stderr).toBe(`error: No such user\n  (status 404, code user_not_found, tid ${TID})\n`);
    expect(stdout).toBe('');
  });

  it('sends an adjustment with a negative amount, its reason and key, and shows the result', async () => {
    server.on(`POST /admin/v1/users/${USER}/adjustments`, {
      status: 201,
      body: { entry: entry('-2.500000', 'ticket-9'), balance: balance('7.500000'), replayed: false },
    });
    expect(await run(['adjust', USER, '-2.5', '--reason', 'refund', '--idempotency-key', 'ticket-9'])).toBe(
      ExitCode.Ok,
    );
    expect(server.requests[0].body).toEqual({ amount: '-2.5', reason: 'refund', idempotency_key: 'ticket-9' });
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-admin');
    expect(stdout).toContain('Adjusted by -2.500000 for user');
    expect(stdout).toMatch(/balance now:\s+7\.500000/);
  });

  it('says plainly when a repeated key changed nothing', async () => {
    server.on(`POST /admin/v1/users/${USER}/adjustments`, {
      status: 201,
      body: { entry: entry('-2.500000', 'ticket-9'), balance: balance('7.500000'), replayed: true },
    });
    await run(['adjust', USER, '-2.5', '--reason', 'refund', '--idempotency-key', 'ticket-9', '--allow-negative']);
    expect(server.requests[0].body).toMatchObject({ allow_negative: true });
    expect(stdout).toContain('Already applied: idempotency key ticket-9 was used before; nothing changed this time.');
  });

  it('prints a new key once, with the warning that it cannot be shown again', async () => {
    server.on(`POST /admin/v1/users/${USER}/keys`, {
      status: 201,
      body: {
        id: OTHER,
        object: 'api_key',
        user_id: USER,
        name: 'ci',
        prefix: 'sk-Ab',
        last6: 'xyz123',
        status: 'active',
        expires_at: null,
        allowed_models: ['gpt-4o-mini'],
        allowed_ip_ranges: null,
        budget: '5.000000',
        rpm_limit: null,
        last_used_at: null,
        created_at: 't',
        key: 'sk-AbSECRETxyz123',
      },
    });
    const args = [
      'keys',
      'create',
      USER,
      '--name',
      'ci',
      '--models',
      'gpt-4o-mini',
      '--budget',
      '5',
      '--ip-ranges',
      'any',
    ];
    expect(await run(args)).toBe(ExitCode.Ok);
    expect(server.requests[0]?.body).toEqual({
      name: 'ci',
      allowed_models: ['gpt-4o-mini'],
      allowed_ip_ranges: null,
      budget: '5',
    });
    expect(stdout).toContain('key: sk-AbSECRETxyz123\nSave this key now');
  });

  it("lists a user's credit grants, and shows the granted and available amounts with the balance", async () => {
    const GRANT = '7d4c2b1a-0f9e-4d8c-8b7a-6f5e4d3c2b1a';
    server.on(`GET /admin/v1/users/${USER}/grants`, {
      body: {
        object: 'list',
        data: [
          {
            id: GRANT,
            object: 'grant',
            edge_id: OTHER,
            user_id: USER,
            key_id: OTHER,
            model: 'gpt-4o',
            status: 'open',
            amount: '0.002000',
            drawn: '0.000500',
            unused: '0.001500',
            requests: 20,
            drawn_requests: 5,
            created_at: '2024-05-01T00:00:00.000Z',
            expires_at: '2024-05-01T00:00:10.000Z',
          },
        ],
      },
    });
    expect(await run(['grants', USER])).toBe(ExitCode.Ok);
    expect(stdout).toContain(GRANT);
    expect(stdout).toContain('0.001500');
    expect(stdout).toContain('open');

    stdout = '';
    server.on(`GET /admin/v1/users/${USER}/balance`, {
      body: { ...balance('3.000000'), granted: '0.001500', available: '2.998500' },
    });
    expect(await run(['balance', USER])).toBe(ExitCode.Ok);
    expect(stdout).toContain('granted:   0.001500');
    expect(stdout).toContain('available: 2.998500');
  });

  it('prints the raw JSON with --json, before or after the command', async () => {
    const body = balance('3.000000');
    server.on(`GET /admin/v1/users/${USER}/balance`, { body });
    await run(['balance', USER, '--json']);
    expect(JSON.parse(stdout)).toEqual(body);
    stdout = '';
    await run(['--json', 'balance', USER]);
    expect(JSON.parse(stdout)).toEqual(body);
  });

  it('takes --url and --key before the command over the environment, and --key after `usage` as its filter', async () => {
    server.on('GET /admin/v1/usage', { body: { object: 'usage_report', truncated: false, data: [] } });
    const code = await runCli(['--url', server.url, '--key', 'sk-flag', 'usage', '--key', OTHER, '--user', USER], {
      config: { url: 'http://127.0.0.1:1', key: 'sk-env' },
      io: { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) },
    });
    expect(code).toBe(ExitCode.Ok);
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-flag');
    expect(Object.fromEntries(server.requests[0].query)).toEqual({ key_id: OTHER, user_id: USER });
    expect(stdout).toBe('(no usage)\n');
  });

  describe('batch-adjust', () => {
    const csv = `user_id,amount,reason,idempotency_key\n${USER},-1,r,k0\n${OTHER},-1,r,k1\n`;

    it('sends the rows and the dry-run flag, and shows every row, page after page', async () => {
      files.set('b.csv', csv);
      server.on('POST /admin/v1/adjustments/batch', {
        status: 201,
        body: batchAnswer({ dry_run: true, applied: false, counts: counts({ would_apply: 2 }) }),
      });
      server.on(`GET ${ROWS_PATH}`, (request) =>
        request.query.get('cursor') === null
          ? { body: { object: 'list', data: [batchRow(0, 'would_apply')], next_cursor: '0' } }
          : { body: { object: 'list', data: [batchRow(1, 'would_apply')], next_cursor: null } },
      );
      expect(await run(['batch-adjust', 'b.csv', '--dry-run'])).toBe(ExitCode.Ok);
      expect(server.requests[0].body).toEqual({
        dry_run: true,
        rows: [
          { user_id: USER, amount: '-1', reason: 'r', idempotency_key: 'k0' },
          { user_id: OTHER, amount: '-1', reason: 'r', idempotency_key: 'k1' },
        ],
      });
      expect(server.requests.slice(1).map((request) => request.query.get('cursor'))).toEqual([null, '0']);
      expect(stdout.match(/would_apply/g)).toHaveLength(2);
      expect(stdout).toContain('Dry run: all 2 row(s) would apply. Nothing was changed.');
      expect(stdout).toContain(`tollgate batch-rows ${BATCH}`);
    });

    it('exits 1, lists the failed rows with their keys and says nothing was applied', async () => {
      files.set('b.csv', csv);
      server.on('POST /admin/v1/adjustments/batch', {
        status: 201,
        body: batchAnswer({
          dry_run: false,
          applied: false,
          counts: counts({ error: 1, not_applied: 1 }),
          failed_rows: [
            { index: 1, user_id: OTHER, error: 'below_zero', message: 'would take the balance below zero' },
          ],
        }),
      });
      expect(await run(['batch-adjust', 'b.csv'])).toBe(ExitCode.Failure);
      expect(server.requests).toHaveLength(1);
      expect(stdout).toMatch(
        /2 +6a1c3e9d-2b7f-4c1a-8d3e-5f6a7b8c9d0e +k1 +below_zero +would take the balance below zero/,
      );
      expect(stdout).toContain('NOT applied: 1 row(s) with errors, so no row was applied');
    });

    it('exits 1 on a dry run that found errors, and 0 once applied', async () => {
      files.set('b.csv', csv);
      server.on('POST /admin/v1/adjustments/batch', {
        status: 201,
        body: batchAnswer({ dry_run: true, applied: false, counts: counts({ would_apply: 1, error: 1 }) }),
      });
      server.on(`GET ${ROWS_PATH}`, {
        body: { object: 'list', data: [batchRow(0, 'would_apply'), batchRow(1, 'error', 'x')], next_cursor: null },
      });
      expect(await run(['batch-adjust', 'b.csv', '--dry-run'])).toBe(ExitCode.Failure);
      server.on('POST /admin/v1/adjustments/batch', {
        status: 201,
        body: batchAnswer({ dry_run: false, applied: true, counts: counts({ applied: 1, replayed: 1 }) }),
      });
      expect(await run(['batch-adjust', 'b.csv'])).toBe(ExitCode.Ok);
      expect(stdout).toContain('Applied: 1 row(s) new, 1 replayed (already applied).\n');
      server.on('POST /admin/v1/adjustments/batch', {
        status: 201,
        body: batchAnswer({ dry_run: false, applied: true, counts: counts({ replayed: 2 }) }),
      });
      stdout = '';
      expect(await run(['batch-adjust', 'b.csv'])).toBe(ExitCode.Ok);
      expect(stdout).toContain('Applied: 0 row(s) new, 2 replayed (already applied). Nothing changed this time.');
      expect(stdout).not.toContain('committed');
    });

    it('prints the answer untouched with --json, and fetches no rows', async () => {
      files.set('b.csv', csv);
      const answer = batchAnswer({ dry_run: true, applied: false, counts: counts({ would_apply: 2 }) });
      server.on('POST /admin/v1/adjustments/batch', { status: 201, body: answer });
      expect(await run(['batch-adjust', 'b.csv', '--dry-run', '--json'])).toBe(ExitCode.Ok);
      expect(JSON.parse(stdout)).toEqual(answer);
      expect(server.requests).toHaveLength(1);
    });

    it('sends keys in Unicode NFC, and refuses a file with two spellings of one key', async () => {
      files.set('nfc.csv', `user_id,amount,reason,idempotency_key\n${USER},-1,r,cafe\u0301\n`);
      server.on('POST /admin/v1/adjustments/batch', {
        status: 201,
        body: batchAnswer({ dry_run: false, applied: true, counts: counts({ applied: 1 }) }),
      });
      expect(await run(['batch-adjust', 'nfc.csv'])).toBe(ExitCode.Ok);
      expect((server.requests[0].body as { rows: Array<{ idempotency_key: string }> }).rows[0]?.idempotency_key).toBe(
        'caf\u00e9',
      );

      server.reset();
      files.set(
        'both.csv',
        `user_id,amount,reason,idempotency_key\n${USER},-1,r,cafe\u0301\n${OTHER},-1,r,caf\u00e9\n`,
      );
      expect(await run(['batch-adjust', 'both.csv'])).toBe(ExitCode.Usage);
      expect(stderr).toContain('line 3: idempotency_key "caf\u00e9" is also used on line 2');
      expect(server.requests).toHaveLength(0);
    });

    it('refuses a bad file without calling the server', async () => {
      files.set('b.csv', `user_id,amount,reason,idempotency_key\n${USER},1.1234567,r,k0\n`);
      expect(await run(['batch-adjust', 'b.csv'])).toBe(ExitCode.Usage);
      expect(stderr).toContain('line 2: amount "1.1234567" is not a decimal amount');
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('batch-rows', () => {
    it('lists every row of a batch, page after page', async () => {
      server.on(`GET ${ROWS_PATH}`, (request) =>
        request.query.get('cursor') === null
          ? { body: { object: 'list', data: [batchRow(0, 'applied')], next_cursor: '0' } }
          : { body: { object: 'list', data: [batchRow(1, 'replayed')], next_cursor: null } },
      );
      expect(await run(['batch-rows', BATCH, '--json'])).toBe(ExitCode.Ok);
      expect(JSON.parse(stdout)).toEqual({ object: 'list', data: [batchRow(0, 'applied'), batchRow(1, 'replayed')] });
      expect(server.requests.map((request) => request.query.get('limit'))).toEqual(['200', '200']);
    });

    it('refuses a batch id that is not a UUID without calling the server', async () => {
      expect(await run(['batch-rows', 'batch-7'])).toBe(ExitCode.Usage);
      expect(stderr).toContain('batchId must be a UUID');
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('reconcile', () => {
    const report = { object: 'reconcile_report', checked_at: '2024-05-01T00:00:00.000Z', accounts: 3, keys: 2 };

    it('exits 0 on a clean system', async () => {
      server.on('GET /admin/v1/reconcile', {
        body: { ...report, ok: true, differences: [], accounts_without_user: [] },
      });
      expect(await run(['reconcile'])).toBe(ExitCode.Ok);
      expect(stdout).toMatch(/result:\s+ok: no differences/);
    });

    it('lists differences and exits 1', async () => {
      server.on('GET /admin/v1/reconcile', {
        body: {
          ...report,
          ok: false,
          differences: [
            {
              kind: 'balance_vs_ledger',
              user_id: USER,
              key_id: null,
              recorded: '5.000000',
              expected: '4.000000',
              difference: '1.000000',
            },
          ],
          accounts_without_user: [],
        },
      });
      expect(await run(['reconcile'])).toBe(ExitCode.Failure);
      expect(stdout).toContain('balance_vs_ledger');
      expect(stdout).toMatch(/1 difference\(s\)/);
      expect(stdout).not.toContain('without a user');
    });

    it('lists the accounts without a user, with their money, and exits 1', async () => {
      server.on('GET /admin/v1/reconcile', {
        body: {
          ...report,
          ok: false,
          differences: [],
          accounts_without_user: [{ user_id: USER, balance: '7.500000', held: '0.000000' }],
        },
      });
      expect(await run(['reconcile'])).toBe(ExitCode.Failure);
      expect(stdout).toMatch(/result:\s+1 account\(s\) without a user\n/);
      expect(stdout).toMatch(
        new RegExp(`ACCOUNT WITHOUT A USER\\s+BALANCE\\s+HELD\\n${USER}\\s+7\\.500000\\s+0\\.000000`),
      );
    });
  });

  it('prints the CSV export as the API sent it, and the next cursor on stderr', async () => {
    server.on(`GET /admin/v1/users/${USER}/ledger`, {
      body: 'id,created_at\r\n1,2024-05-01\r\n',
      headers: { 'content-type': 'text/csv', 'x-next-cursor': 'c2' },
    });
    const tid = 'ab'.repeat(16);
    expect(
      await run(['ledger', USER, '--csv', '--type', 'topup,adjustment', '--from', '2024-05-01', '--tid', tid]),
    ).toBe(ExitCode.Ok);
    expect(stdout).toBe('id,created_at\r\n1,2024-05-01\r\n');
    expect(stderr).toBe('more entries: --cursor c2\n');
    expect(Object.fromEntries(server.requests[0].query)).toEqual({
      type: 'topup,adjustment',
      from: '2024-05-01',
      tid,
      format: 'csv',
    });
  });

  it('sets a price from decimal options, images included', async () => {
    server.on('PUT /admin/v1/prices/dall-e-3', {
      body: {
        object: 'price',
        model: 'dall-e-3',
        input_per_million: '0.000000',
        output_per_million: '0.000000',
        image_prices: { '1024x1024': '0.040000' },
        characters_per_million: '0.000000',
        cached_input_per_million: null,
        cache_write_per_million: null,
        reasoning_per_million: null,
        updated_at: '2024-05-01T00:00:00.000Z',
      },
    });
    const args = [
      'prices',
      'set',
      'dall-e-3',
      '--input',
      '0',
      '--output',
      '0',
      '--image',
      '1024x1024=0.04',
      '--image',
      '1792x1024=0.08',
    ];
    expect(await run(args)).toBe(ExitCode.Ok);
    expect(server.requests[0].body).toEqual({
      input_per_million: '0',
      output_per_million: '0',
      image_prices: { '1024x1024': '0.04', '1792x1024': '0.08' },
    });
  });

  it('sets the token parts\' prices, "none" giving a part the price of its whole, and shows them', async () => {
    server.on('PUT /admin/v1/prices/o3', {
      body: {
        object: 'price',
        model: 'o3',
        input_per_million: '2.000000',
        output_per_million: '8.000000',
        image_prices: {},
        characters_per_million: '0.000000',
        cached_input_per_million: '0.500000',
        cache_write_per_million: '2.500000',
        reasoning_per_million: null,
        updated_at: '2024-05-01T00:00:00.000Z',
      },
    });
    const args = ['prices', 'set', 'o3', '--input', '2', '--output', '8', '--cached-input', '0.50'];
    const more = ['--cache-write', '2.5', '--reasoning', 'none'];

    expect(await run([...args, ...more])).toBe(ExitCode.Ok);

    expect(server.requests[0].body).toEqual({
      input_per_million: '2',
      output_per_million: '8',
      cached_input_per_million: '0.50',
      cache_write_per_million: '2.5',
      reasoning_per_million: null,
    });
    expect(stdout).toMatch(/cached input \/ 1M: +0\.500000/);
    expect(stdout).toMatch(/reasoning \/ 1M: += output/);
  });

  it("refuses a token part's price that is not an amount, sending nothing", async () => {
    expect(await run(['prices', 'set', 'o3', '--input', '2', '--output', '8', '--reasoning', 'cheap'])).toBe(
      ExitCode.Usage,
    );
    expect(stderr).toMatch(/--reasoning "cheap" is not a decimal amount/);
    expect(server.requests).toHaveLength(0);
  });

  it('shows the cached, cache-write and reasoning tokens in the usage report with --wide', async () => {
    server.on('GET /admin/v1/usage', {
      body: {
        object: 'usage_report',
        truncated: false,
        data: [
          {
            day: '2024-05-01',
            user_id: USER,
            user_name: 'Ann',
            key_id: OTHER,
            key_name: 'laptop',
            model: 'o3',
            requests: 2,
            failed_requests: 0,
            input_tokens: 1200,
            output_tokens: 300,
            cached_input_tokens: 800,
            cache_write_tokens: 100,
            reasoning_tokens: 120,
            images: 0,
            characters: 0,
            cost: '0.005303',
          },
        ],
      },
    });

    expect(await run(['usage'])).toBe(ExitCode.Ok);
    expect(stdout.split('\n')[0]).toMatch(/^DAY +USER +KEY +MODEL +REQUESTS +INPUT TOK +OUTPUT TOK +COST$/);
    // Names, not ids; the ids are behind --wide.
    expect(stdout.split('\n')[1]).toMatch(/^2024-05-01 +Ann +laptop +o3 /);
    expect(stdout).not.toContain(USER);
    stdout = '';
    expect(await run(['usage', '--wide'])).toBe(ExitCode.Ok);

    const [header, row] = stdout.split('\n');
    expect(header).toMatch(/INPUT TOK +CACHED +CACHE WRITE +OUTPUT TOK +REASONING/);
    expect(row).toMatch(/1200 +800 +100 +300 +120/);
    expect(header).toMatch(/^DAY +USER +USER ID +KEY +KEY ID +MODEL/);
    expect(row).toContain(`Ann   ${USER}  laptop  ${OTHER}`);
  });

  it('lists users as an aligned table and points to the next page', async () => {
    server.on('GET /admin/v1/users', {
      body: {
        object: 'list',
        next_cursor: 'abc',
        data: [
          {
            id: USER,
            object: 'user',
            name: 'Ann',
            email: null,
            role: 'user',
            group: 'default',
            status: 'active',
            created_at: 't1',
            updated_at: 't1',
          },
        ],
      },
    });
    expect(await run(['users', 'list', '--limit', '1'])).toBe(ExitCode.Ok);
    expect(stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+EMAIL\s+ROLE\s+GROUP\s+STATUS$/);
    expect(stdout).toContain(`${USER}  Ann   -      user  default  active`);
    expect(stderr).toBe('more users: --cursor abc\n');
  });

  describe('the request log', () => {
    const request = (fields: Record<string, unknown> = {}) => ({
      id: '41',
      object: 'request',
      tid: TID,
      hold_id: BATCH,
      user_id: USER,
      user_name: 'Ann',
      key_id: OTHER,
      key_name: 'laptop',
      model: 'a-model-name-longer-than-eighteen',
      channel_id: 999,
      status: 502,
      succeeded: false,
      stream: true,
      latency_ms: 12345,
      input_tokens: 999999,
      output_tokens: 999999,
      cached_input_tokens: 0,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
      images: 0,
      characters: 0,
      audio_seconds: 0,
      cost: '99.999999',
      created_at: '2026-12-02T16:06:52.123Z',
      ...fields,
    });

    it('sends every filter as the API names it, and fits its widest rows in 120 columns', async () => {
      server.on('GET /admin/v1/requests', { body: { object: 'list', data: [request()], next_cursor: 'c2' } });

      const args = ['requests', '--tid', TID.toUpperCase(), '--user', USER, '--key', OTHER, '--model', 'm'];
      const more = [
        '--channel',
        '3',
        '--status',
        'failed',
        '--from',
        '2026-12-01',
        '--to',
        '2026-12-02',
        '--limit',
        '5',
      ];
      expect(await run([...args, ...more])).toBe(ExitCode.Ok);

      expect(Object.fromEntries(server.requests[0].query)).toEqual({
        tid: TID,
        user_id: USER,
        key_id: OTHER,
        model: 'm',
        channel_id: '3',
        status: 'failed',
        from: '2026-12-01',
        to: '2026-12-02',
        limit: '5',
      });
      const lines = stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^SETTLED \(UTC\) +TID +MODEL +STATUS +CH +INPUT +OUTPUT +COST +MS$/);
      expect(lines[1]).toBe(
        `2026-12-02 16:06:52  ${TID}  a-model-name-long…     502  999  999999  999999  99.999999  12345`,
      );
      expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(120);
      expect(stderr).toBe('more requests: --cursor c2\n');
    });

    it('prints the CSV export as the API sent it', async () => {
      server.on('GET /admin/v1/requests', {
        body: 'created_at,tid\r\n2026-12-02T16:06:52.123Z,x\r\n',
        headers: { 'content-type': 'text/csv; charset=utf-8' },
      });

      expect(await run(['requests', '--csv', '--status', '200'])).toBe(ExitCode.Ok);

      expect(stdout).toBe('created_at,tid\r\n2026-12-02T16:06:52.123Z,x\r\n');
      expect(Object.fromEntries(server.requests[0].query)).toEqual({ status: '200', format: 'csv' });
    });

    it('shows one request with its hold and ledger lines', async () => {
      const ledgerLine = (type: string, amount: string, id: string) => ({
        ...entry(amount, `${type}:${BATCH}`),
        id,
        type,
        hold_id: BATCH,
        tid: TID,
        user_name: 'Ann',
        ...(type === 'hold'
          ? { actor: `key:${OTHER}`, actor_name: 'laptop' }
          : { actor: 'settlement', actor_name: null }),
      });
      server.on(`GET /admin/v1/requests/${TID}`, {
        body: {
          object: 'request_trace',
          tid: TID,
          requests: [
            {
              request: request({ status: 200, succeeded: true, cost: '0.000140' }),
              hold: {
                id: BATCH,
                status: 'settled',
                held: '0.000200',
                charged: '0.000140',
                grant_id: null,
                created_at: 't0',
                closed_at: 't1',
              },
              ledger: [
                ledgerLine('hold', '-0.000200', '7'),
                ledgerLine('release', '0.000200', '8'),
                ledgerLine('charge', '-0.000140', '9'),
              ],
            },
          ],
        },
      });

      expect(await run(['request', TID.toUpperCase()])).toBe(ExitCode.Ok);

      expect(stdout).toMatch(/^status: +200 \(charged\)$/m);
      expect(stdout).toMatch(/^charged: +0\.000140$/m);
      expect(stdout).toMatch(/^LEDGER +AMOUNT +BALANCE AFTER +AT \(UTC\) +BY +ENTRY$/m);
      expect(stdout).toMatch(/^hold +-0\.000200 +7\.500000 +2024-05-01 00:00:00 +laptop +7$/m);
      expect(stdout).toMatch(/^charge +-0\.000140 +7\.500000 +2024-05-01 00:00:00 +settlement +9$/m);
      // The request's user and key by name, each with its id.
      expect(stdout).toMatch(new RegExp(`^user: +Ann \\(${USER}\\)$`, 'm'));
      expect(stdout).toMatch(new RegExp(`^key: +laptop \\(${OTHER}\\)$`, 'm'));
      expect(stderr).toBe('');
    });

    it.each([
      ['a status that is none', ['requests', '--status', 'maybe'], /--status must be ok, failed or an HTTP status/],
      ['a tid that is none', ['request', 'abc'], /tid must be a tid/],
      ['a limit with --csv', ['requests', '--csv', '--limit', '5'], /--csv prints every matching request/],
      ['a limit above a page', ['requests', '--limit', '501'], /--limit must be a whole number from 1 to 500/],
      ['an admin key as the key filter', ['requests', '--key', 'sk-x'], /the admin key goes before the command/],
    ])('refuses %s, sending nothing', async (_what, args, message) => {
      expect(await run(args)).toBe(ExitCode.Usage);
      expect(stderr).toMatch(message);
      expect(server.requests).toHaveLength(0);
    });
  });
});
