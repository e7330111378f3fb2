import { parseMoney, type Reply } from '@tollgate/contracts';
import { DenialException } from '@tollgate/errors';

/** The value of a service reply, or the documented error it carries. */
export function unwrap<T>(reply: Reply<T>): T {
  if (!reply.ok) throw DenialException.of(reply.denial);
  return reply.value;
}

/**
 * A decimal amount the route's schema already checked ("12.50") as the
 * micro-unit string services take ("12500000").
 */
export function moneyToMicros(amount: string): string {
  const micros = parseMoney(amount);
  if (micros === null) throw new Error(`unchecked amount reached the edge: ${amount}`);
  return micros.toString();
}

/** A filter's day or instant (checked by the route's schema) as the instant billing compares with. */
export const instant = (value: string | undefined): string | null =>
  value === undefined ? null : new Date(value).toISOString();
