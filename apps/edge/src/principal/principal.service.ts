import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthSubjects, type OpenedSession, type Principal, type Reply, type SessionView } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import type { NatsBus } from '@tollgate/nats';
import { forwardedOverTls, resolveClientIp, parseTrustedProxies } from '../http/client-ip.js';
import { FailedAuthenticationLimiter } from './failed-authentication-limiter.js';
import { PrincipalCache } from './principal-cache.js';
import { EDGE_CONFIG, NATS_BUS } from '../tokens.js';
import type { EdgeConfig } from '../edge.config.js';
import { edgeMetrics } from '../metrics/edge-metrics.js';

/**
 * Asks auth who is calling; a refusal leaves the handler as the documented
 * error. Acceptances are cached briefly (see PrincipalCache): auth's change
 * broadcasts evict them on every edge, outside any queue group.
 *
 * An address that presented too many invalid keys is refused with a 429
 * before its key is looked up, in the cache or in auth, valid or not: were a
 * valid key let through, the throttled guesser would learn that the key it
 * just tried is valid. A client that shares the address waits with it, for
 * seconds (see FailedAuthenticationLimiter).
 *
 * Lookups of one key from one address (for one model) that overlap share a
 * single auth request, and only the first takes from the address's budget:
 * a client's burst of parallel requests is one guess, not thirty, and auth
 * is asked once.
 */
@Injectable()
export class PrincipalService implements OnModuleInit {
  private readonly trustedProxies;
  private readonly cache: PrincipalCache;
  private readonly failures: FailedAuthenticationLimiter;
  /** Lookups waiting on auth, by cache key; each ends its own entry. */
  private readonly inFlight = new Map<string, Promise<Principal>>();

  constructor(
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    @Inject(EDGE_CONFIG) config: EdgeConfig,
  ) {
    this.trustedProxies = parseTrustedProxies(config.TRUSTED_PROXIES);
    this.cache = new PrincipalCache(config.PRINCIPAL_CACHE_TTL_MS);
    this.failures = new FailedAuthenticationLimiter({ failuresPerMinute: config.AUTH_FAILURES_PER_MINUTE });
  }

  onModuleInit(): void {
    this.bus.onBroadcast(AuthSubjects.invalidated, (change) => this.cache.evict(change));
  }

  clientIp(request: FastifyRequest): string {
    return resolveClientIp(
      request.socket.remoteAddress,
      request.headers['x-forwarded-for'],
      request.headers['x-real-ip'],
      this.trustedProxies,
    );
  }

  /**
   * Whether the client reached us over TLS: on our own socket, or as a trusted
   * proxy in front of us says (X-Forwarded-Proto), and only such a proxy.
   */
  cameOverTls(request: FastifyRequest): boolean {
    if ((request.raw.socket as { encrypted?: boolean }).encrypted === true) return true;
    return forwardedOverTls(request.socket.remoteAddress, request.headers['x-forwarded-proto'], this.trustedProxies);
  }

  async authenticate(request: FastifyRequest, model: string | null): Promise<Principal> {
    const clientIp = this.clientIp(request);
    const authorization = credentialOf(request);
    const cacheKey = PrincipalCache.keyOf(authorization, clientIp, model);
    // The same guess as one already admitted: it learns nothing that one will not.
    const joined = this.inFlight.get(cacheKey);
    if (joined) return joined;
    return this.throttled(clientIp, () => this.lookUp(cacheKey, authorization, clientIp, model));
  }

  /** Console sign-in: the staff key from the form, checked as a key in `Authorization` is. */
  openSession(request: FastifyRequest, key: string): Promise<OpenedSession> {
    const clientIp = this.clientIp(request);
    return this.throttled(clientIp, async () =>
      accepted(await this.bus.request(AuthSubjects.openSession, { authorization: `Bearer ${key}`, clientIp })),
    );
  }

  /**
   * The console session a cookie's token holds. Not cached, unlike keys: a
   * sign-out then ends the session on every edge replica at once, and console
   * traffic is a person's clicks, one indexed lookup in auth each.
   */
  resolveSession(request: FastifyRequest, token: string): Promise<SessionView> {
    const clientIp = this.clientIp(request);
    return this.throttled(clientIp, async () =>
      accepted(await this.bus.request(AuthSubjects.resolveSession, { token, clientIp })),
    );
  }

  async closeSession(token: string): Promise<boolean> {
    return accepted(await this.bus.request(AuthSubjects.closeSession, { token })).closed;
  }

  /**
   * Runs an authentication under the address's budget of failures: refused
   * with a 429 when it is spent, and an invalid key or session spends from it.
   */
  private async throttled<T>(clientIp: string, authenticate: () => Promise<T>): Promise<T> {
    const admission = this.failures.admit(clientIp, Date.now());
    if (!admission.admitted) {
      throw new DenialException(DenialReason.AuthenticationThrottled, {
        retryAfterSeconds: admission.retryAfterMs / 1000,
      });
    }
    let invalidKey = false;
    try {
      return await authenticate();
    } catch (error) {
      invalidKey = error instanceof DenialException && error.denial.reason === DenialReason.InvalidAccessToken;
      throw error;
    } finally {
      if (!invalidKey) this.failures.release(clientIp, Date.now());
    }
  }

  private lookUp(
    cacheKey: string,
    authorization: string | null,
    clientIp: string,
    model: string | null,
  ): Promise<Principal> {
    const cached = this.cache.get(cacheKey, Date.now());
    edgeMetrics.principalLookup(cached !== undefined && cached !== null);
    if (cached) return Promise.resolve(cached);
    const lookup = this.ask(cacheKey, authorization, clientIp, model);
    this.inFlight.set(cacheKey, lookup);
    const done = (): void => {
      this.inFlight.delete(cacheKey);
    };
    lookup.then(done, done);
    return lookup;
  }

  private async ask(
    cacheKey: string,
    authorization: string | null,
    clientIp: string,
    model: string | null,
  ): Promise<Principal> {
    const epoch = this.cache.currentEpoch();
    const principal = accepted(await this.bus.request(AuthSubjects.authenticate, { authorization, clientIp, model }));
    this.cache.set(cacheKey, principal, epoch, Date.now());
    return principal;
  }
}

/** The value of an accepted reply; a refusal leaves as the documented error. */
function accepted<T>(reply: Reply<T>): T {
  if (!reply.ok) throw DenialException.of(reply.denial);
  return reply.value;
}

/**
 * The key as the client sent it: `Authorization: Bearer …` (OpenAI's SDKs,
 * Claude Code's ANTHROPIC_AUTH_TOKEN), else Anthropic's `x-api-key` (its SDKs
 * and ANTHROPIC_API_KEY), read as the same bearer token.
 */
function credentialOf(request: FastifyRequest): string | null {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) return authorization;
  const apiKey = request.headers['x-api-key'];
  const key = Array.isArray(apiKey) ? apiKey[0] : apiKey;
  return key === undefined || key === '' ? null : `Bearer ${key}`;
}
