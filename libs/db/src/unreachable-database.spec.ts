import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { freePort } from '../../../tools/launcher/src/service-processes.js';
import { unreachableDatabase } from './unreachable-database.js';

/** What pg's Client rejects with when connecting to `url`. */
async function connectFailure(url: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => undefined);
  }
  throw new Error(`${url} answered`);
}

describe(unreachableDatabase.name, () => {
  it('names the setting and host:port when nothing listens there', async () => {
    const url = `postgres://tollgate:secret@127.0.0.1:${await freePort()}/tollgate`;
    const error = await connectFailure(url);
    const port = new URL(url).port;
    expect(unreachableDatabase(error, url, 'DATABASE_URL')?.message).toBe(
      `DATABASE_URL: no PostgreSQL answers at 127.0.0.1:${port} (ECONNREFUSED)`,
    );
  });

  it('names a host that does not resolve, with the default port', async () => {
    const url = 'postgres://tollgate@no-such-host.invalid/tollgate';
    const message = unreachableDatabase(await connectFailure(url), url, 'DATABASE_URL')?.message;
    expect(message).toMatch(
      /^DATABASE_URL: no PostgreSQL answers at no-such-host\.invalid:5432 \((ENOTFOUND|EAI_AGAIN)\)$/,
    );
  });

  it('leaves the errors of a server that answered to pg', () => {
    const refused = Object.assign(new Error('password authentication failed for user "tollgate"'), { code: '28P01' });
    expect(unreachableDatabase(refused, 'postgres://tollgate@127.0.0.1/tollgate', 'DATABASE_URL')).toBeNull();
  });
});
