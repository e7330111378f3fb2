import { createHmac, timingSafeEqual } from 'node:crypto';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { FastifyRequest } from 'fastify';
import { SESSION_TOKEN_PATTERN } from '@tollgate/contracts';

/** The console's session cookie. Path /admin/v1: the browser sends it to the admin API only, never to /v1. */
export const SESSION_COOKIE = 'tollgate_session';
const COOKIE_PATH = '/admin/v1';
export const CSRF_HEADER = 'x-csrf-token';
const TOKEN = new RegExp(SESSION_TOKEN_PATTERN);

/**
 * The session token the request's cookie holds, if it holds one of the right
 * form (a malformed one is no session: auth is not asked about it).
 */
export function sessionTokenOf(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (header === undefined) return null;
  const token = parseCookie(header)[SESSION_COOKIE];
  return token !== undefined && TOKEN.test(token) ? token : null;
}

/** Whether a request came with a cookie named as ours at all (well-formed or not). */
export const hasSessionCookie = (request: FastifyRequest): boolean =>
  request.headers.cookie?.includes(`${SESSION_COOKIE}=`) ?? false;

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return stringifySetCookie({
    name: SESSION_COOKIE,
    value: token,
    httpOnly: true,
    sameSite: 'strict',
    path: COOKIE_PATH,
    secure,
    expires: expiresAt,
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)),
  });
}

export const clearedSessionCookie = (secure: boolean): string =>
  stringifySetCookie({
    name: SESSION_COOKIE,
    value: '',
    httpOnly: true,
    sameSite: 'strict',
    path: COOKIE_PATH,
    secure,
    expires: new Date(0),
    maxAge: 0,
  });

/**
 * The session's CSRF token: an HMAC of a fixed label keyed by the session
 * token. Only a holder of the token can make it, and the token is in an
 * HttpOnly cookie that script cannot read, so a page of another origin (which
 * cannot read our answers either) cannot forge a write; SameSite=Strict
 * already keeps the cookie off cross-site requests, this is the second line.
 * Derived rather than stored: any edge replica checks it without a lookup.
 */
export function csrfTokenOf(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('tollgate console csrf v1').digest('base64url');
}

/** Whether the request's X-CSRF-Token header is the session's (compared in constant time). */
export function hasValidCsrfToken(request: FastifyRequest, sessionToken: string): boolean {
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string') return false;
  const expected = Buffer.from(csrfTokenOf(sessionToken));
  const given = Buffer.from(sent);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Methods that change nothing; every other one is a write and needs the CSRF token. */
export const isSafeMethod = (method: string): boolean => method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
