import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Billing now compares idempotency keys in Unicode NFC
 * (`normalizeIdempotencyKey`), so a key stored before in another form
 * ("e" + combining accent) would no longer be found by its own retry, and the
 * change would be applied twice. Each such key is rewritten in NFC; one whose
 * NFC form is already taken (by another entry, or by an earlier spelling of
 * the same key) keeps its form: both spellings then find the NFC entry, and
 * nothing is applied twice. Billing's own keys (`hold:<uuid>`, …) are ASCII,
 * which is always NFC.
 *
 * PostgreSQL normalises only in a UTF8 database; in any other encoding the
 * keys cannot hold such characters in the first place.
 */
export class IdempotencyKeysInNfc1764710000000 implements MigrationInterface {
  name = 'IdempotencyKeysInNfc1764710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        IF current_setting('server_encoding') = 'UTF8' THEN
          UPDATE billing.ledger l SET idempotency_key = n.nfc
            FROM (SELECT DISTINCT ON (normalize(idempotency_key, NFC)) id, normalize(idempotency_key, NFC) AS nfc
                    FROM billing.ledger
                   WHERE idempotency_key IS NOT NFC NORMALIZED
                   ORDER BY normalize(idempotency_key, NFC), id) n
           WHERE l.id = n.id
             AND NOT EXISTS (SELECT 1 FROM billing.ledger taken WHERE taken.idempotency_key = n.nfc);
        END IF;
      END
      $$`);
  }

  /** The keys' earlier forms are not kept: NFC is a spelling of the same key, so there is nothing to undo. */
  async down(): Promise<void> {}
}
