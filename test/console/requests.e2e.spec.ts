import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Locator, Page } from 'playwright-core';
import { eventually } from '@tollgate/testing';
import { formatMoney } from '../../apps/console/src/money/money.js';
import { useBrowser } from '../support/browser.js';
import { createChannel, createCustomer, setPrice, type Customer } from '../support/fixtures.js';
import { apiError, openaiClient } from '../support/openai-client.js';
import { useSuite } from '../support/suite.js';

const suite = useSuite();
const browser = useBrowser();

interface RequestRow {
  tid: string;
  user_id: string;
  user_name: string | null;
  model: string;
  channel_id: number | null;
  status: number;
  succeeded: boolean;
  input_tokens: number;
  output_tokens: number;
  cost: string;
  created_at: string;
}
interface RequestPage {
  data: RequestRow[];
}
interface RequestTrace {
  tid: string;
  requests: {
    request: RequestRow;
    hold: { status: string; held: string; charged: string | null };
    ledger: { type: string; amount: string; balance_after: string }[];
  }[];
}
interface ErrorBody {
  error: { message: string };
}

const messages = [{ role: 'user' as const, content: 'Hi' }];
const usd = (amount: string) => formatMoney(amount, 'USD');

async function signInAsBilling(path: string): Promise<Page> {
  const staff = await createCustomer(suite, { role: 'billing' });
  const page = await browser.newPage();
  await page.goto(`${suite.edgeUrl}/console${path}`);
  await page.getByLabel('Staff API key').fill(staff.key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Console' }).waitFor();
  return page;
}

/** A description list as name → value, as the page shows it. */
async function factsOf(list: Locator): Promise<Record<string, string>> {
  await list.waitFor();
  const names = await list.locator('dt').allTextContents();
  const values = await list.locator('dd').allTextContents();
  return Object.fromEntries(names.map((name, i) => [name, values[i] ?? '']));
}

/** The texts of a table's body cells, a row at a time. */
async function cellsOf(table: Locator): Promise<string[][]> {
  await table.waitFor();
  const rows = await table.locator('tbody tr').all();
  return Promise.all(rows.map((row) => row.locator('td').allTextContents()));
}

describe('the request log, for billing staff', () => {
  let customer: Customer;
  let userName: string;
  let channelId: number;
  const tids = { ok: '', failed: '' };

  beforeAll(async () => {
    channelId = await createChannel(suite, { models: ['rq-ok'] });
    // The fake provider answers this model 500: the edge answers 502, and the hold is released.
    await createChannel(suite, { models: ['rq-failing'] });
    suite.fake.setDefaults({ byModel: { 'rq-failing': { status: 500 } } });
    for (const model of ['rq-ok', 'rq-failing']) await setPrice(suite, model, '1', '2');
    customer = await createCustomer(suite, { balance: '5', key: { name: 'rq-laptop' } });
    userName = (await suite.admin<{ name: string }>('GET', `/admin/v1/users/${customer.userId}`)).body.name;
    const client = openaiClient(suite, customer.key);

    const success = await client.chat.completions.create({ model: 'rq-ok', messages }).withResponse();
    tids.ok = success.response.headers.get('x-tid') ?? '';
    const failure = await apiError(() => client.chat.completions.create({ model: 'rq-failing', messages }));
    expect(failure.status).toBe(502);
    tids.failed = failure.headers?.get('x-tid') ?? '';
    expect(Object.values(tids).every((tid) => /^[0-9a-f]{32}$/.test(tid))).toBe(true);

    // Settlement follows the answers: wait until both are in the log.
    await eventually(
      async () => {
        const log = await suite.admin<RequestPage>('GET', `/admin/v1/requests?user_id=${customer.userId}`);
        expect(log.body.data).toHaveLength(2);
      },
      { timeoutMs: 15_000 },
    );
  });

  it('finds the request a customer quotes by its tid: its model, cost, hold and ledger lines as the API has them', async () => {
    const trace = (await suite.admin<RequestTrace>('GET', `/admin/v1/requests/${tids.ok}`)).body;
    const [{ request, hold, ledger }] = trace.requests as [RequestTrace['requests'][number]];
    const page = await signInAsBilling('/requests');

    // Pasted as the customer quoted it, header name and all.
    await page.getByLabel('Find a request by tid').fill(` X-Tid: ${tids.ok} `);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.waitForURL(`**/console/requests/${tids.ok}`);
    const found = page.getByRole('region', { name: `Request ${tids.ok}` });
    const facts = await factsOf(found.getByRole('region', { name: 'The request' }).locator('dl'));
    expect(facts).toMatchObject({
      Model: 'rq-ok',
      User: `${userName} ${customer.userId}`,
      Key: `rq-laptop ${customer.keyId}`,
      Channel: `#${channelId}`,
      Status: '200 ok, charged',
      Tokens: `${request.input_tokens} in, ${request.output_tokens} out`,
      Cost: usd(request.cost),
    });
    expect(request.cost).not.toBe('0.000000');

    const holdFacts = await factsOf(found.getByRole('region', { name: 'Hold' }).locator('dl'));
    expect(holdFacts).toMatchObject({
      Status: 'settled',
      'Held at admission': usd(hold.held),
      Charged: usd(request.cost),
    });
    const lines = await cellsOf(found.getByRole('region', { name: 'Ledger lines' }).getByRole('table'));
    expect(lines.map(([, type, amount, after]) => [type, amount, after])).toEqual(
      ledger.map((line) => [line.type, usd(line.amount), usd(line.balance_after)]),
    );
    expect(ledger.map((line) => line.type)).toEqual(['hold', 'release', 'charge']);

    // The failed one, opened straight from its address: released, nothing charged.
    await page.goto(`${suite.edgeUrl}/console/requests/${tids.failed}`);
    const failed = page.getByRole('region', { name: `Request ${tids.failed}` });
    const failedFacts = await factsOf(failed.getByRole('region', { name: 'The request' }).locator('dl'));
    expect(failedFacts).toMatchObject({
      Model: 'rq-failing',
      Status: '502 failed, the hold released',
      Cost: '0.00 USD',
    });
    const failedLines = await cellsOf(failed.getByRole('region', { name: 'Ledger lines' }).getByRole('table'));
    expect(failedLines.map(([, type]) => type)).toEqual(['hold', 'release']);
  });

  it("lists exactly the user's requests from a link, the failed ones with the status filter, and downloads them as CSV", async () => {
    const log = (await suite.admin<RequestPage>('GET', `/admin/v1/requests?user_id=${customer.userId}`)).body.data;
    expect(log.map((row) => row.tid)).toEqual([tids.failed, tids.ok]);
    // Another page links to the user's requests with ?user_id=: the log opens filtered.
    const page = await signInAsBilling(`/requests?user_id=${customer.userId}`);
    expect(await page.getByLabel('User id').inputValue()).toBe(customer.userId);
    const table = page.getByRole('region', { name: 'Settled requests' }).getByRole('table');
    await table.waitFor();
    const rows = await cellsOf(table);
    expect(rows.map(([, tid, user, model, , status, , cost]) => [tid, user, model, status, cost])).toEqual(
      log.map((row) => [
        row.tid,
        `${userName} ${customer.userId}`,
        row.model,
        `${row.status} ${row.succeeded ? 'ok' : 'failed'}`,
        usd(row.cost),
      ]),
    );

    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Failed (released)' });
    await page.getByRole('button', { name: 'Show requests' }).click();
    await page.waitForURL(/status=failed/);
    await table.getByRole('link', { name: tids.ok }).waitFor({ state: 'detached' });
    expect((await cellsOf(table)).map(([, tid]) => tid)).toEqual([tids.failed]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    const csv = parseCsv<Record<string, string>>(readFileSync(await download.path(), 'utf8'), { columns: true });
    const failedRow = log.find((row) => row.tid === tids.failed);
    expect(
      csv.map((row) => [row.tid, row.user_id, row.user_name, row.model, row.status, row.succeeded, row.cost]),
    ).toEqual([[tids.failed, customer.userId, userName, 'rq-failing', '502', 'false', failedRow?.cost]]);

    // A tid in the log opens its request.
    await table.getByRole('link', { name: tids.failed }).click();
    await page
      .getByRole('region', { name: `Request ${tids.failed}` })
      .getByRole('region', { name: 'Hold' })
      .waitFor();
  });

  it('narrows the log by one HTTP status and by day, and shows a filter the API refuses with its tid', async () => {
    const log = (await suite.admin<RequestPage>('GET', `/admin/v1/requests?user_id=${customer.userId}`)).body.data;
    const day = log[0]?.created_at.slice(0, 10) ?? '';
    const page = await signInAsBilling(`/requests?user_id=${customer.userId}`);
    const table = page.getByRole('region', { name: 'Settled requests' }).getByRole('table');
    const shownTids = async () => (await cellsOf(table)).map(([, tid]) => tid);
    await table.getByRole('link', { name: tids.ok }).waitFor();

    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'One HTTP status…' });
    await page.getByLabel('HTTP status').fill('502');
    await page.getByLabel('From').fill(day);
    await page.getByRole('button', { name: 'Show requests' }).click();
    await page.waitForURL(/status=502/);
    await table.getByRole('link', { name: tids.ok }).waitFor({ state: 'detached' });
    expect(await shownTids()).toEqual([tids.failed]);
    // The form shows what the log is filtered by, the HTTP status included.
    expect(await page.getByLabel('HTTP status').inputValue()).toBe('502');

    // Settled before the day the requests were: none.
    await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Any' });
    await page.getByLabel('From').fill('');
    await page.getByLabel('Before').fill(day);
    await page.getByRole('button', { name: 'Show requests' }).click();
    await page.getByRole('status').filter({ hasText: 'No settled request matches these filters.' }).waitFor();

    // A user id that is none: the documented refusal, naming the field, with its tid.
    await page.getByLabel('Before').fill('');
    await page.getByLabel('User id').fill('nobody');
    await page.getByRole('button', { name: 'Show requests' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Could not list the requests\..*user_id.*tid: [0-9a-f]{32}/);

    // Cleared: every request of the suite, these two among them, and an empty form.
    await page.getByRole('link', { name: 'Clear the filters' }).click();
    await table.getByRole('link', { name: tids.failed }).waitFor();
    expect(await page.getByLabel('User id').inputValue()).toBe('');
  });

  it('pages through more requests than one page holds, and the CSV has them all', async () => {
    const busy = await createCustomer(suite, { balance: '5' });
    const client = openaiClient(suite, busy.key);
    // One more than the 50 of a page, a few at a time.
    for (let batch = 0; batch < 51; batch += 10) {
      const size = Math.min(10, 51 - batch);
      await Promise.all(
        Array.from({ length: size }, () => client.chat.completions.create({ model: 'rq-ok', messages })),
      );
    }
    const all: RequestRow[] = [];
    await eventually(
      async () => {
        all.length = 0;
        let cursor = '';
        do {
          const part = await suite.admin<RequestPage & { next_cursor: string | null }>(
            'GET',
            `/admin/v1/requests?user_id=${busy.userId}&limit=500${cursor}`,
          );
          all.push(...part.body.data);
          cursor = part.body.next_cursor === null ? '' : `&cursor=${part.body.next_cursor}`;
        } while (cursor !== '');
        expect(all).toHaveLength(51);
      },
      { timeoutMs: 15_000 },
    );

    const page = await signInAsBilling(`/requests?user_id=${busy.userId}`);
    const table = page.getByRole('region', { name: 'Settled requests' }).getByRole('table');
    const pager = page.getByRole('navigation', { name: 'Request log pages' });
    const shownTids = async () => (await cellsOf(table)).map(([, tid]) => tid);
    await table.getByRole('link', { name: all[0]?.tid ?? '' }).waitFor();
    expect(await shownTids()).toEqual(all.slice(0, 50).map((row) => row.tid));

    await pager.getByRole('button', { name: 'Next' }).click();
    await pager.getByText('Page 2').waitFor();
    await table.getByRole('link', { name: all[50]?.tid ?? '' }).waitFor();
    expect(await shownTids()).toEqual([all[50]?.tid]);
    expect(await pager.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);

    await pager.getByRole('button', { name: 'Previous' }).click();
    await table.getByRole('link', { name: all[0]?.tid ?? '' }).waitFor();
    expect(await shownTids()).toHaveLength(50);

    // The export is the filter, not the page: every one of the 51.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    const csv = parseCsv<Record<string, string>>(readFileSync(await download.path(), 'utf8'), { columns: true });
    expect(csv.map((row) => [row.tid, row.cost])).toEqual(all.map((row) => [row.tid, row.cost]));
  });

  it('shows the documented refusal with its tid for a tid nothing was settled under, and for one that is no tid', async () => {
    const unknown = `${'0'.repeat(31)}1`;
    const answer = await suite.admin<ErrorBody>('GET', `/admin/v1/requests/${unknown}`);
    expect(answer.status).toBe(404);
    const page = await signInAsBilling('/requests');

    await page.getByLabel('Find a request by tid').fill(unknown);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(answer.body.error.message);
    expect(await alert.textContent()).toMatch(/tid: [0-9a-f]{32}/);

    const malformed = await suite.admin<ErrorBody>('GET', '/admin/v1/requests/not-a-tid');
    expect(malformed.status).toBe(400);
    await page.getByLabel('Find another request by tid').fill('not-a-tid');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByRole('alert').getByText(malformed.body.error.message).waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/tid: [0-9a-f]{32}/);
  });
});
