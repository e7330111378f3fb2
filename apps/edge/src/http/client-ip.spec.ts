import { describe, expect, it } from '@jest/globals';
import { forwardedOverTls, parseTrustedProxies, resolveClientIp } from './client-ip.js';

const trusted = parseTrustedProxies('10.0.0.0/8, ::1');

describe(resolveClientIp.name, () => {
  it('uses the socket peer when it is not a trusted proxy, ignoring forwarded headers', () => {
    expect(resolveClientIp('203.0.113.9', '1.2.3.4', '5.6.7.8', trusted)).toBe('203.0.113.9');
  });

  it('believes X-Forwarded-For from a trusted proxy, nearest untrusted hop first', () => {
    expect(resolveClientIp('10.1.1.1', '198.51.100.7, 203.0.113.5, 10.2.2.2', undefined, trusted)).toBe('203.0.113.5');
  });

  it('falls back to X-Real-IP from a trusted proxy without X-Forwarded-For', () => {
    expect(resolveClientIp('::1', undefined, '2001:db8::7', trusted)).toBe('2001:db8::7');
  });

  it('compares IPv4-mapped IPv6 peers as IPv4', () => {
    expect(resolveClientIp('::ffff:10.9.9.9', '198.51.100.1', undefined, trusted)).toBe('198.51.100.1');
    expect(resolveClientIp('::ffff:192.0.2.1', undefined, undefined, [])).toBe('192.0.2.1');
  });

  it('trusts nobody by default', () => {
    expect(resolveClientIp('127.0.0.1', '1.2.3.4', undefined, parseTrustedProxies(''))).toBe('127.0.0.1');
  });

  it('refuses a bad TRUSTED_PROXIES entry', () => {
    expect(() => parseTrustedProxies('10.0.0.0/8, nonsense')).toThrow('nonsense');
  });
});

describe(forwardedOverTls.name, () => {
  it('believes X-Forwarded-Proto: https from a trusted proxy only', () => {
    expect(forwardedOverTls('10.1.1.1', 'https', trusted)).toBe(true);
    expect(forwardedOverTls('::ffff:10.1.1.1', 'HTTPS, http', trusted)).toBe(true);
    expect(forwardedOverTls('203.0.113.9', 'https', trusted)).toBe(false);
  });

  it('reads the nearest proxy’s value and nothing else as TLS', () => {
    expect(forwardedOverTls('10.1.1.1', 'http, https', trusted)).toBe(false);
    expect(forwardedOverTls('10.1.1.1', undefined, trusted)).toBe(false);
    expect(forwardedOverTls(undefined, 'https', trusted)).toBe(false);
  });
});
