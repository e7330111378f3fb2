import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { useBillingDatabase } from '../testing/test-database.js';
import { IdempotencyKeysInNfc1764710000000 } from './1764710000000-idempotency-keys-in-nfc.js';

describe(IdempotencyKeysInNfc1764710000000.name, () => {
  const { billing } = useBillingDatabase();

  /** A ledger row as billing wrote them before it normalised keys. */
  async function entry(key: string): Promise<string> {
    const [row] = await billing.db.query<Array<{ id: string }>>(
      `INSERT INTO billing.ledger (user_id, type, amount_micros, balance_after_micros, actor, idempotency_key)
       VALUES ($1, 'topup', 1, 1, 'spec', $2) RETURNING id`,
      [randomUUID(), key],
    );
    if (!row) throw new Error('no ledger row');
    return row.id;
  }

  const keyOf = async (id: string): Promise<string | undefined> =>
    (
      await billing.db.query<Array<{ idempotency_key: string }>>(
        `SELECT idempotency_key FROM billing.ledger WHERE id = $1`,
        [id],
      )
    )[0]?.idempotency_key;

  const migrate = async () => {
    const runner = billing.db.createQueryRunner();
    try {
      await new IdempotencyKeysInNfc1764710000000().up(runner);
    } finally {
      await runner.release();
    }
  };

  it('rewrites a stored key in NFC, so that its retry in either spelling finds it', async () => {
    const tag = randomUUID();
    const decomposed = await entry(`cafe\u0301-${tag}`);
    const ascii = await entry(`plain-${tag}`);

    await migrate();

    expect(await keyOf(decomposed)).toBe(`caf\u00e9-${tag}`);
    expect(await keyOf(ascii)).toBe(`plain-${tag}`);
  });

  it('keeps a key whose NFC form is taken, by another entry or by an earlier spelling of it', async () => {
    const tag = randomUUID();
    const composed = await entry(`caf\u00e9-${tag}`);
    const decomposed = await entry(`cafe\u0301-${tag}`);
    // Two spellings of ẹ́, neither of them NFC: the older one gets the NFC form.
    const older = await entry(`e\u0301\u0323-${tag}`);
    const newer = await entry(`e\u0323\u0301-${tag}`);

    await migrate();

    expect(await keyOf(composed)).toBe(`caf\u00e9-${tag}`);
    expect(await keyOf(decomposed)).toBe(`cafe\u0301-${tag}`);
    expect(await keyOf(older)).toBe(`\u1eb9\u0301-${tag}`);
    expect(await keyOf(newer)).toBe(`e\u0323\u0301-${tag}`);
  });
});
