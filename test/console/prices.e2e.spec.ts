import { describe, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { useBrowser } from '../support/browser.js';
import { createChannel, createCustomer, setPrice } from '../support/fixtures.js';
import { settledCharge } from '../support/ledger.js';
import { useSuite } from '../support/suite.js';

const suite = useSuite();
const browser = useBrowser();

interface Price {
  object: 'price';
  model: string;
  input_per_million: string;
  output_per_million: string;
  image_prices: Record<string, string>;
  characters_per_million: string;
  cached_input_per_million: string | null;
  cache_write_per_million: string | null;
  reasoning_per_million: string | null;
  audio_per_minute: string | null;
  updated_at: string;
}

interface Group {
  object: 'group';
  group: string;
  multiplier: string;
  updated_at: string | null;
}

const TID = /tid: [0-9a-f]{32}/;
const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

/** The form's field for each price part, by its label (the unit in it). */
const LABELS = {
  input: 'Input price (USD per 1M tokens)',
  cachedInput: 'Cached input price (USD per 1M tokens)',
  cacheWrite: 'Cache write price (USD per 1M tokens)',
  output: 'Output price (USD per 1M tokens)',
  reasoning: 'Reasoning price (USD per 1M tokens)',
  characters: 'Characters price (USD per 1M characters)',
  audio: 'Audio price (USD per minute)',
  images: 'Image prices (USD per image)',
} as const;

async function signInToPrices(): Promise<Page> {
  const staff = await createCustomer(suite, { role: 'billing' });
  const page = await browser.newPage();
  await page.goto(`${suite.edgeUrl}/console/prices`);
  await page.getByLabel('Staff API key').fill(staff.key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Prices & groups' }).waitFor();
  return page;
}

async function prices(): Promise<Price[]> {
  const list = await suite.admin<{ data: Price[] }>('GET', '/admin/v1/prices');
  expect(list.status).toBe(200);
  return list.body.data;
}

async function groups(): Promise<Group[]> {
  const list = await suite.admin<{ data: Group[] }>('GET', '/admin/v1/groups');
  expect(list.status).toBe(200);
  return list.body.data;
}

/** A table's row by the name in its row header (the model, the group). */
const rowOf = (page: Page, table: RegExp, name: string): Locator =>
  page
    .getByRole('table', { name: table })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name, exact: true }) });

/** A row's cells as the user reads them. */
const cellsOf = (row: Locator) => row.getByRole('cell').allTextContents();

const priceTable = /^Model prices/;
const groupTable = /^Groups with a multiplier/;
const DATE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/;

describe('the Prices & groups page, for billing staff', () => {
  it('sets a price for a new model, shows it, edits it through its row, and the admin API has exactly the new values', async () => {
    const page = await signInToPrices();
    const model = unique('console-model');
    const form = page.getByRole('form', { name: 'Set a price' });

    await form.getByLabel('Model', { exact: true }).fill(model);
    await form.getByLabel(LABELS.input, { exact: true }).fill('1.25');
    await form.getByLabel(LABELS.cachedInput, { exact: true }).fill('0.5');
    await form.getByLabel(LABELS.output, { exact: true }).fill('5');
    await form.getByLabel(LABELS.images, { exact: true }).fill('1024x1024=0.04');
    await form.getByRole('button', { name: 'Save price' }).click();

    const saved = form.getByRole('status');
    await saved.getByText(`the price of ${model}`).waitFor();
    expect(await saved.textContent()).toContain('Input: 1.25 USD per 1M tokens');
    expect(await saved.textContent()).toContain('Cache write: at the input price');

    // The table: every part in its column, a part without its own price saying what it follows.
    const row = rowOf(page, priceTable, model);
    await row.waitFor();
    expect(await cellsOf(row)).toEqual([
      '1.25 USD',
      '0.50 USD',
      'at the input price',
      '5.00 USD',
      'at the output price',
      '0.00 USD',
      'not priced by duration',
      '1024x1024: 0.04 USD',
      expect.stringMatching(DATE),
      'Edit',
    ]);

    // Edit fills the form with this model's price and puts the focus in it.
    await row.getByRole('button', { name: `Edit ${model}` }).click();
    const modelField = form.getByLabel('Model', { exact: true });
    await modelField.and(page.locator(':focus')).waitFor();
    expect(await modelField.inputValue()).toBe(model);
    expect(await form.getByLabel(LABELS.input, { exact: true }).inputValue()).toBe('1.25');
    expect(await form.getByLabel(LABELS.cachedInput, { exact: true }).inputValue()).toBe('0.5');
    expect(await form.getByLabel(LABELS.cacheWrite, { exact: true }).inputValue()).toBe('');
    expect(await form.getByLabel(LABELS.images, { exact: true }).inputValue()).toBe('1024x1024=0.04');

    await form.getByLabel(LABELS.output, { exact: true }).fill('6.5');
    await form.getByLabel(LABELS.cachedInput, { exact: true }).fill(''); // back to the input price
    await form.getByLabel(LABELS.reasoning, { exact: true }).fill('7');
    await form.getByLabel(LABELS.characters, { exact: true }).fill('15');
    await form.getByLabel(LABELS.audio, { exact: true }).fill('0.006');
    await form.getByLabel(LABELS.images, { exact: true }).fill('1024x1024=0.05\n*=0.08');
    await form.getByRole('button', { name: 'Save price' }).click();
    await form.getByRole('status').getByText(`the price of ${model}`).waitFor();

    // The table is read again after the save: wait for the new output price.
    await row.filter({ hasText: '6.50 USD' }).waitFor();
    expect(await cellsOf(row)).toEqual([
      '1.25 USD',
      'at the input price',
      'at the input price',
      '6.50 USD',
      '7.00 USD',
      '15.00 USD',
      '0.006 USD',
      '*: 0.08 USD1024x1024: 0.05 USD',
      expect.stringMatching(DATE),
      'Edit',
    ]);
    // Clear empties the form for another model.
    await form.getByRole('button', { name: 'Clear the form' }).click();
    expect(await form.getByLabel('Model', { exact: true }).inputValue()).toBe('');
    expect(await form.getByLabel(LABELS.output, { exact: true }).inputValue()).toBe('');

    expect((await prices()).filter((price) => price.model === model)).toEqual([
      {
        object: 'price',
        model,
        input_per_million: '1.250000',
        output_per_million: '6.500000',
        image_prices: { '1024x1024': '0.050000', '*': '0.080000' },
        characters_per_million: '15.000000',
        cached_input_per_million: null,
        cache_write_per_million: null,
        reasoning_per_million: '7.000000',
        audio_per_minute: '0.006000',
        updated_at: expect.any(String),
      },
    ]);
  });

  it("sets a new group's multiplier, then changes it through its row", async () => {
    const page = await signInToPrices();
    const group = unique('console-group');
    const form = page.getByRole('form', { name: 'Set a group multiplier' });

    await form.getByLabel('Group').fill(group);
    await form.getByLabel('Multiplier (× list price)').fill('0.8');
    await form.getByRole('button', { name: 'Save multiplier' }).click();
    await form.getByRole('status').getByText(`group ${group} pays ×0.8000 the list price`).waitFor();
    const row = rowOf(page, groupTable, group);
    await row.waitFor();
    expect(await cellsOf(row)).toEqual(['×0.8000', expect.stringMatching(DATE), 'Edit']);
    expect((await groups()).filter((g) => g.group === group)).toEqual([
      { object: 'group', group, multiplier: '0.8000', updated_at: expect.any(String) },
    ]);

    await row.getByRole('button', { name: `Edit ${group}` }).click();
    const multiplier = form.getByLabel('Multiplier (× list price)');
    expect(await form.getByLabel('Group').inputValue()).toBe(group);
    expect(await multiplier.inputValue()).toBe('0.8000');
    await multiplier.fill('1.25');
    await form.getByRole('button', { name: 'Save multiplier' }).click();
    await form.getByRole('status').getByText(`group ${group} pays ×1.2500 the list price`).waitFor();
    await row.filter({ hasText: '×1.2500' }).waitFor();
    expect(await cellsOf(row)).toEqual(['×1.2500', expect.stringMatching(DATE), 'Edit']);
    expect((await groups()).filter((g) => g.group === group)).toEqual([
      { object: 'group', group, multiplier: '1.2500', updated_at: expect.any(String) },
    ]);
  });

  it('shows a refused price or multiplier with the documented message naming the field and a tid, and changes nothing', async () => {
    const model = unique('console-refused');
    await setPrice(suite, model, '1', '2');
    const group = unique('console-kept');
    expect((await suite.admin('PUT', `/admin/v1/groups/${group}/multiplier`, { multiplier: '0.9' })).status).toBe(200);
    const pricesBefore = await prices();
    const groupsBefore = await groups();
    const page = await signInToPrices();

    // A negative price.
    const priceForm = page.getByRole('form', { name: 'Set a price' });
    await rowOf(page, priceTable, model)
      .getByRole('button', { name: `Edit ${model}` })
      .click();
    await priceForm.getByLabel(LABELS.input, { exact: true }).fill('-1');
    await priceForm.getByRole('button', { name: 'Save price' }).click();
    let refusal = priceForm.getByRole('alert');
    await refusal.getByText('The price was not saved; nothing changed.').waitFor();
    expect(await refusal.textContent()).toContain('input_per_million must be a non-negative decimal string');
    expect(await refusal.textContent()).toMatch(TID);
    // The field the refusal names is the one marked.
    expect(await priceForm.getByLabel(LABELS.input, { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await priceForm.getByLabel('Model', { exact: true }).getAttribute('aria-invalid')).toBe('false');

    // A model name that is only spaces.
    await priceForm.getByLabel(LABELS.input, { exact: true }).fill('1');
    await priceForm.getByLabel('Model', { exact: true }).fill('   ');
    await priceForm.getByRole('button', { name: 'Save price' }).click();
    refusal = priceForm.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('model must be 1 to 200 characters, not only spaces');
    expect(await refusal.textContent()).toMatch(TID);

    // A multiplier out of range, and a group name the API does not take.
    const groupForm = page.getByRole('form', { name: 'Set a group multiplier' });
    await rowOf(page, groupTable, group)
      .getByRole('button', { name: `Edit ${group}` })
      .click();
    await groupForm.getByLabel('Multiplier (× list price)').fill('150');
    await groupForm.getByRole('button', { name: 'Save multiplier' }).click();
    refusal = groupForm.getByRole('alert');
    await refusal.getByText('The multiplier was not saved; nothing changed.').waitFor();
    expect(await refusal.textContent()).toContain('multiplier must be a decimal from 0 to 100 with at most 4 decimals');
    expect(await refusal.textContent()).toMatch(TID);
    expect(await groupForm.getByLabel('Multiplier (× list price)').getAttribute('aria-invalid')).toBe('true');

    await groupForm.getByLabel('Multiplier (× list price)').fill('0.5');
    await groupForm.getByLabel('Group').fill('no spaces allowed');
    await groupForm.getByRole('button', { name: 'Save multiplier' }).click();
    refusal = groupForm.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('group must be 1–64 letters, digits, dots, dashes or underscores');
    expect(await refusal.textContent()).toMatch(TID);

    expect(await prices()).toEqual(pricesBefore);
    expect(await groups()).toEqual(groupsBefore);
    // The tables still show what is stored.
    expect(await cellsOf(rowOf(page, priceTable, model))).toEqual([
      '1.00 USD',
      'at the input price',
      'at the input price',
      '2.00 USD',
      'at the output price',
      '0.00 USD',
      'not priced by duration',
      'none',
      expect.stringMatching(DATE),
      'Edit',
    ]);
    expect(await cellsOf(rowOf(page, groupTable, group))).toEqual(['×0.9000', expect.stringMatching(DATE), 'Edit']);
  });

  it("charges a customer in a group the page's price times the page's multiplier", async () => {
    const model = unique('console-charged');
    const group = unique('console-half');
    await createChannel(suite, { models: [model], groups: [group] });
    const customer = await createCustomer(suite, { balance: '1', group });
    const page = await signInToPrices();

    const priceForm = page.getByRole('form', { name: 'Set a price' });
    await priceForm.getByLabel('Model', { exact: true }).fill(model);
    await priceForm.getByLabel(LABELS.input, { exact: true }).fill('2');
    await priceForm.getByLabel(LABELS.output, { exact: true }).fill('4');
    await priceForm.getByRole('button', { name: 'Save price' }).click();
    await priceForm.getByRole('status').getByText(`the price of ${model}`).waitFor();
    const groupForm = page.getByRole('form', { name: 'Set a group multiplier' });
    await groupForm.getByLabel('Group').fill(group);
    await groupForm.getByLabel('Multiplier (× list price)').fill('0.5');
    await groupForm.getByRole('button', { name: 'Save multiplier' }).click();
    await groupForm.getByRole('status').getByText(`group ${group} pays ×0.5000`).waitFor();

    const answer = await fetch(`${suite.edgeUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customer.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(answer.status).toBe(200);
    const { usage } = (await answer.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
    // 2 and 4 USD per 1M tokens are 2 and 4 micro-units a token; ×0.5 halves them (an exact number of micro-units).
    const listPrice = BigInt(usage.prompt_tokens) * 2n + BigInt(usage.completion_tokens) * 4n;
    expect(listPrice).toBeGreaterThan(0n);
    expect(await settledCharge(suite, customer)).toBe(listPrice / 2n);
  });
});
