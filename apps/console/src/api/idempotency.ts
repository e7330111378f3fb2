import { useCallback, useState } from 'react';

/**
 * The idempotency key of one form: made when the form opens, sent with every
 * submit of it, renewed only after a submit was answered (applied or
 * replayed). A double click, a resubmit after a lost answer or a retry by the
 * browser all carry the same key, so the gateway applies the change once and
 * answers the rest `replayed: true`.
 */
export function useIdempotencyKey(prefix = 'console') {
  const make = useCallback(() => `${prefix}-${crypto.randomUUID()}`, [prefix]);
  const [key, setKey] = useState(make);
  const renew = useCallback(() => setKey(make()), [make]);
  return { key, renew };
}
