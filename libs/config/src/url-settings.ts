import { EnvError, makeValidator } from 'envalid';

/**
 * URL settings checked at start-up rather than at the first connection: a
 * NATS_URL or DATABASE_URL that is not a URL, or names another protocol,
 * failed deep in a client library (or, for NATS, retried for ever) with a
 * message that named neither the setting nor the mistake. The messages never
 * repeat the value: a URL may carry a password.
 */

const NATS_SCHEMES = ['nats:', 'tls:'];
const POSTGRES_SCHEMES = ['postgres:', 'postgresql:'];

function parsed(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function checkPort(url: URL, what: string): void {
  // URL accepts the port only if it is 0–65535; 0 cannot be connected to.
  if (url.port === '0') throw new EnvError(`${what} has port 0`);
}

/**
 * One NATS server or several, comma-separated, each `nats://host[:port]`,
 * `tls://host[:port]`, or `host[:port]` (the NATS client reads that as
 * nats://), with credentials if need be.
 */
export const natsUrl = makeValidator<string>((input: string) => {
  const servers = input.split(',').map((server) => server.trim());
  servers.forEach((server, index) => {
    const which = servers.length > 1 ? `server ${index + 1} of ${servers.length}` : 'the server';
    if (!server) throw new EnvError(`${which} is empty; expected nats://host:port, comma-separated for several`);
    const url = parsed(server.includes('://') ? server : `nats://${server}`);
    if (!url || !url.hostname) throw new EnvError(`${which} is not a URL; expected nats://host:port`);
    if (!NATS_SCHEMES.includes(url.protocol)) {
      throw new EnvError(`${which} is a ${url.protocol}// URL; expected nats://host:port (or tls://)`);
    }
    checkPort(url, which);
  });
  return servers.join(',');
});

/**
 * A PostgreSQL URL, `postgres://user:password@host:port/database` (or
 * `postgresql://`; a Unix socket as `postgres:///database?host=/run/postgresql`),
 * or empty where empty means the embedded PostgreSQL.
 */
export const postgresUrl = makeValidator<string>((input: string) => {
  const text = input.trim();
  if (!text) return '';
  // `localhost:5432` parses, as the scheme localhost:, but is not what anyone means by a URL.
  const url = text.includes('://') ? parsed(text) : null;
  const expected = 'expected postgres://user:password@host:5432/database';
  if (!url) throw new EnvError(`is not a URL; ${expected}`);
  if (!POSTGRES_SCHEMES.includes(url.protocol)) throw new EnvError(`is a ${url.protocol}// URL; ${expected}`);
  if (!url.hostname && !url.searchParams.get('host')) throw new EnvError(`names no host; ${expected}`);
  checkPort(url, 'the URL');
  return text;
});
