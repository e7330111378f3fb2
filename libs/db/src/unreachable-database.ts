/** The errors of a connection that reached no PostgreSQL: nothing listening, no such host, no route, no answer. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errors } = error as { code?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  // Node's happy-eyeballs connect fails with an AggregateError of one error per address tried.
  return Array.isArray(errors) ? errorCode(errors[0]) : undefined;
}

/**
 * The first connection's failure, when no PostgreSQL answered, as a message
 * naming the setting to fix and where it pointed: pg's own says
 * `connect ECONNREFUSED 127.0.0.1:5433` (or, for a name, only the name),
 * and nothing of DATABASE_URL. Other failures (a wrong password, a missing
 * database) are pg's to describe: null.
 */
export function unreachableDatabase(error: unknown, url: string, setting: string): Error | null {
  const code = errorCode(error);
  if (!code || !UNREACHABLE.has(code)) return null;
  const { hostname, port, searchParams } = new URL(url);
  const where = `${hostname || searchParams.get('host') || 'localhost'}:${port || 5432}`;
  return new Error(`${setting}: no PostgreSQL answers at ${where} (${code})`, { cause: error });
}
