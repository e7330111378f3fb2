import { describe, expect, it } from '@jest/globals';
import { ledgerCsv } from './ledger-csv.js';

describe(ledgerCsv.name, () => {
  it('writes a header and one quoted row per entry, money as decimals', () => {
    const csv = ledgerCsv([
      {
        id: '1',
        userId: 'u',
        type: 'adjustment',
        amountMicros: '-1500000',
        balanceAfterMicros: '500000',
        holdId: null,
        actor: 'staff',
        reason: 'refund, "goodwill"',
        tid: null,
        idempotencyKey: 'k1',
        createdAt: '2026-11-28T00:00:00.000Z',
      },
    ]);
    const [header, row] = csv.trimEnd().split('\r\n');
    expect(header).toBe('id,created_at,user_id,type,amount,balance_after,hold_id,actor,reason,tid,idempotency_key');
    expect(row).toBe('1,2026-11-28T00:00:00.000Z,u,adjustment,-1.500000,0.500000,,staff,"refund, ""goodwill""",,k1');
  });

  it('defuses spreadsheet formulas', () => {
    const csv = ledgerCsv([
      {
        id: '1',
        userId: 'u',
        type: 'topup',
        amountMicros: '1',
        balanceAfterMicros: '1',
        holdId: null,
        actor: 'a',
        reason: '=HYPERLINK("x")',
        tid: null,
        idempotencyKey: 'k',
        createdAt: 't',
      },
    ]);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
