import { describe, expect, it } from '@jest/globals';
import type { LedgerEntryView } from '@tollgate/contracts';
import { ledgerCsv } from './ledger-csv.js';
import { namesOf } from './names.js';
import { fakeNames, NO_NAMES } from '../testing/fake-names.js';

const USER = '3f2c1a9e-5b7d-4e21-9c8a-1d2e3f4a5b6c';
const STAFF = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

const entry = (change: Partial<LedgerEntryView>): LedgerEntryView => ({
  id: '1',
  userId: USER,
  type: 'adjustment',
  amountMicros: '-1500000',
  balanceAfterMicros: '500000',
  holdId: null,
  actor: STAFF,
  reason: 'refund, "goodwill"',
  tid: null,
  idempotencyKey: 'k1',
  createdAt: '2026-11-28T00:00:00.000Z',
  ...change,
});

describe(ledgerCsv.name, () => {
  it('writes a header and one quoted row per entry, money as decimals, each id with its name', async () => {
    const names = await namesOf(fakeNames({ [USER]: 'Acme', [STAFF]: 'Sam (billing)' }, {}).ask, {
      userIds: [USER, STAFF],
      keyIds: [],
    });

    const csv = ledgerCsv([entry({}), entry({ id: '2', actor: 'settlement' })], names);

    const [header, row, service] = csv.trimEnd().split('\r\n');
    expect(header).toBe(
      'id,created_at,user_id,user_name,type,amount,balance_after,hold_id,actor,actor_name,reason,tid,idempotency_key',
    );
    expect(row).toBe(
      `1,2026-11-28T00:00:00.000Z,${USER},Acme,adjustment,-1.500000,0.500000,,${STAFF},Sam (billing),"refund, ""goodwill""",,k1`,
    );
    // A service names no one: its actor_name is empty.
    expect(service).toContain(',settlement,,');
  });

  it('leaves the name empty for an id auth does not know', () => {
    const [, row] = ledgerCsv([entry({})], NO_NAMES)
      .trimEnd()
      .split('\r\n');
    expect(row).toContain(`,${USER},,adjustment,`);
    expect(row).toContain(`,${STAFF},,"refund`);
  });

  it('defuses spreadsheet formulas', () => {
    const csv = ledgerCsv([entry({ type: 'topup', reason: '=HYPERLINK("x")' })], NO_NAMES);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
