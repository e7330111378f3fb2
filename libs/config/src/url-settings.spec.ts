import { describe, expect, it } from '@jest/globals';
import { startupRefusal } from '@tollgate/testing';
import { commonSettings, databaseSettings } from './common-settings.js';
import { loadConfig } from './load-config.js';
import { natsUrl, postgresUrl } from './url-settings.js';

const nats = (value: string) => loadConfig('svc', commonSettings, { NATS_URL: value }).NATS_URL;
const database = (value: string) => loadConfig('svc', databaseSettings, { DATABASE_URL: value }).DATABASE_URL;

describe(natsUrl.name, () => {
  it.each([
    ['nats://127.0.0.1:4222', 'nats://127.0.0.1:4222'],
    ['tls://nats.internal:4222', 'tls://nats.internal:4222'],
    ['nats://user:secret@10.0.0.1:4222', 'nats://user:secret@10.0.0.1:4222'],
    ['localhost:4222', 'localhost:4222'],
    ['nats://a:4222, nats://b:4222', 'nats://a:4222,nats://b:4222'],
  ])('accepts %s', (value, kept) => {
    expect(nats(value)).toBe(kept);
  });

  it.each([
    ['http://127.0.0.1:4222', 'NATS_URL: the server is a http:// URL'],
    ['nats://', 'NATS_URL: the server is not a URL'],
    ['nats://host name', 'NATS_URL: the server is not a URL'],
    ['nats://a:4222,postgres://b:5432', 'NATS_URL: server 2 of 2 is a postgres:// URL'],
    ['nats://a:4222,', 'NATS_URL: server 2 of 2 is empty'],
    ['nats://a:0', 'NATS_URL: the server has port 0'],
    ['nats://a:99999', 'NATS_URL: the server is not a URL'],
  ])('refuses %s, naming NATS_URL and what is wrong', (value, message) => {
    expect(startupRefusal(() => nats(value))).toContain(message);
  });

  it('never repeats the value, which may carry a password', () => {
    expect(startupRefusal(() => nats('https://user:hunter2@a:4222'))).not.toContain('hunter2');
  });
});

describe(postgresUrl.name, () => {
  it.each([
    ['', ''],
    ['postgres://tollgate:secret@127.0.0.1:5432/tollgate', 'postgres://tollgate:secret@127.0.0.1:5432/tollgate'],
    ['postgresql://db.internal/tollgate', 'postgresql://db.internal/tollgate'],
    ['postgres:///tollgate?host=/run/postgresql', 'postgres:///tollgate?host=/run/postgresql'],
  ])('accepts %j', (value, kept) => {
    expect(database(value)).toBe(kept);
  });

  it.each([
    ['mysql://root@127.0.0.1:3306/tollgate', 'DATABASE_URL: is a mysql:// URL'],
    ['127.0.0.1:5432', 'DATABASE_URL: is not a URL'],
    ['localhost:5432', 'DATABASE_URL: is not a URL'],
    ['not a url', 'DATABASE_URL: is not a URL'],
    ['postgres:///tollgate', 'DATABASE_URL: names no host'],
    ['postgres://127.0.0.1:0/tollgate', 'DATABASE_URL: the URL has port 0'],
  ])('refuses %s, naming DATABASE_URL and what is wrong', (value, message) => {
    expect(startupRefusal(() => database(value))).toContain(message);
  });

  it('never repeats the value, which may carry a password', () => {
    expect(startupRefusal(() => database('mysql://root:hunter2@db/tollgate'))).not.toContain('hunter2');
  });
});
