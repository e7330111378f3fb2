import { describe, expect, it } from '@jest/globals';
import { renderTable, TABLE_WIDTH, type Column } from '../table.js';
import { GRANT_COLUMNS, HOLD_COLUMNS, LEDGER_COLUMNS } from './accounts.command.js';
import { CHANNEL_COLUMNS } from './channels.command.js';
import { GROUP_COLUMNS } from './groups.command.js';
import { KEY_COLUMNS } from './keys.command.js';
import { BATCH_COLUMNS } from './money.command.js';
import { PRICE_COLUMNS } from './prices.command.js';
import { DIFFERENCE_COLUMNS, USAGE_COLUMNS } from './reports.command.js';
import { USER_COLUMNS } from './users.command.js';

// Rows as a real gateway has them: uuids, 32-hex tids, dated model names, money with six decimals.
const ID = '3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9c';
const TID = '4bf92f3577b34da6a3ce929d0e0e4736';
const AT = '2026-12-02T16:40:35.123Z';
const MODEL = 'gpt-4o-mini-2024-07-18';
const MONEY = '12345.678900';

const typical: Record<string, [ReadonlyArray<Column<never>>, Record<string, unknown>]> = {
  users: [
    USER_COLUMNS,
    {
      id: ID,
      name: 'Acme Corporation Ltd',
      email: 'billing@acme-corp.example',
      role: 'billing',
      group: 'enterprise',
      status: 'suspended',
      created_at: AT,
    },
  ],
  keys: [
    KEY_COLUMNS,
    {
      id: ID,
      name: 'production backend',
      prefix: 'sk-',
      last6: 'a1B2c3',
      status: 'revoked',
      allowed_models: [MODEL, 'gpt-4o'],
      budget: MONEY,
      rpm_limit: 6000,
      expires_at: AT,
      last_used_at: AT,
    },
  ],
  holds: [HOLD_COLUMNS, { id: ID, key_id: ID, model: MODEL, amount: MONEY, created_at: AT, expires_at: AT, tid: TID }],
  grants: [
    GRANT_COLUMNS,
    { id: ID, edge_id: ID, key_id: ID, model: MODEL, status: 'returned', unused: MONEY, expires_at: AT },
  ],
  ledger: [
    LEDGER_COLUMNS,
    {
      id: '1234567',
      created_at: AT,
      type: 'adjustment',
      amount: `-${MONEY}`,
      balance_after: MONEY,
      actor: ID,
      actor_name: 'Sam Billing-Staff',
      reason: 'refund for the outage of 30 Nov',
      idempotency_key: 'invoice-2026-11-0042-refund',
    },
  ],
  channels: [
    CHANNEL_COLUMNS,
    {
      id: 12,
      name: 'openai-primary-eu',
      status: 'auto_disabled',
      priority: 10,
      weight: 100,
      models: [MODEL, 'gpt-4o'],
      groups: ['default', 'vip'],
      base_url: 'https://eu.api.example-provider.com/v1',
    },
  ],
  groups: [GROUP_COLUMNS, { group: 'enterprise', multiplier: '0.8500', updated_at: AT }],
  prices: [
    PRICE_COLUMNS,
    {
      model: MODEL,
      input_per_million: '0.150000',
      cached_input_per_million: '0.075000',
      cache_write_per_million: null,
      output_per_million: '0.600000',
      reasoning_per_million: null,
      characters_per_million: '15.000000',
      image_prices: { '1024x1024': '0.040000', '1792x1024': '0.080000' },
      audio_per_minute: null,
      updated_at: AT,
    },
  ],
  'batch rows': [
    BATCH_COLUMNS,
    {
      index: 999,
      user_id: ID,
      amount: MONEY,
      idempotency_key: 'invoice-2026-11-0042',
      status: 'would_apply',
      balance_before: MONEY,
      balance_after: MONEY,
      message: null,
    },
  ],
  usage: [
    USAGE_COLUMNS,
    {
      day: '2026-12-02',
      user_id: ID,
      user_name: 'Acme Corporation Ltd',
      key_id: ID,
      key_name: 'production backend',
      model: MODEL,
      requests: 123456,
      failed_requests: 12,
      input_tokens: 123456789,
      cached_input_tokens: 1234567,
      cache_write_tokens: 0,
      output_tokens: 12345678,
      reasoning_tokens: 0,
      images: 0,
      characters: 0,
      audio_seconds: 0,
      cost: MONEY,
    },
  ],
  'reconcile differences': [
    DIFFERENCE_COLUMNS,
    { kind: 'key_spend', user_id: ID, key_id: ID, recorded: MONEY, expected: MONEY, difference: `-${MONEY}` },
  ],
};

const widest = (text: string): number =>
  Math.max(
    ...text
      .trimEnd()
      .split('\n')
      .map((line) => [...line].length),
  );

/** The same rows when auth knows none of their users and keys: the tables show (cut) ids instead of names. */
const unnamed = Object.fromEntries(
  Object.entries(typical).map(([name, [columns, row]]) => [
    name,
    [columns, { ...row, user_name: null, key_name: null, actor_name: null }] as const,
  ]),
);

describe('CLI tables', () => {
  it.each(Object.entries(typical))(`fit ${TABLE_WIDTH} columns for typical %s`, (_name, [columns, row]) => {
    expect(widest(renderTable(columns, [row as never]))).toBeLessThanOrEqual(TABLE_WIDTH);
  });

  it.each(Object.entries(unnamed))(
    `fit ${TABLE_WIDTH} columns for %s auth has no names for`,
    (_name, [columns, row]) => {
      expect(widest(renderTable(columns, [row as never]))).toBeLessThanOrEqual(TABLE_WIDTH);
    },
  );

  it('shows names where the API gives them, and the ids with --wide', () => {
    const [columns, row] = typical.usage;
    const narrow = renderTable(columns, [row as never]);
    // Long names are cut, so that the table keeps within its width.
    expect(narrow).toContain('Acme Corporation …');
    expect(narrow).toContain('production back…');
    expect(narrow).not.toContain(ID);
    expect(renderTable(columns, [row as never], '(none)', { wide: true })).toContain(ID);
    const [ledgerColumns, entry] = typical.ledger;
    expect(renderTable(ledgerColumns, [entry as never])).toContain('Sam Billing-S…');
  });

  it.each(Object.entries(typical).filter(([, [columns]]) => columns.some((column) => column.wide)))(
    'show every column of %s with --wide',
    (_name, [columns, row]) => {
      const headersOf = (table: string) => (table.split('\n')[0] ?? '').trim().split(/ {2,}/);
      const all = columns.map((column) => column.header.toUpperCase());
      expect(headersOf(renderTable(columns, [row as never], '(none)', { wide: true }))).toEqual(all);
      const narrow = columns.filter((column) => !column.wide).map((column) => column.header.toUpperCase());
      expect(headersOf(renderTable(columns, [row as never]))).toEqual(narrow);
    },
  );
});
