import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthSubjects, type Principal } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import type { NatsBus } from '@tollgate/nats';
import { resolveClientIp, parseTrustedProxies } from '../http/client-ip.js';
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

  async authenticate(request: FastifyRequest, model: string | null): Promise<Principal> {
    const clientIp = this.clientIp(request);
    const authorization = credentialOf(request);
    const cacheKey = PrincipalCache.keyOf(authorization, clientIp, model);
    // The same guess as one already admitted: it learns nothing that one will not.
    const joined = this.inFlight.get(cacheKey);
    if (joined) return joined;
    const admission = this.failures.admit(clientIp, Date.now());
    if (!admission.admitted) {
      throw new DenialException(DenialReason.AuthenticationThrottled, {
        retryAfterSeconds: admission.retryAfterMs / 1000,
      });
    }
    let invalidKey = false;
    try {
      return await this.lookUp(cacheKey, authorization, clientIp, model);
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
    const reply = await this.bus.request(AuthSubjects.authenticate, { authorization, clientIp, model });
    if (!reply.ok) throw DenialException.of(reply.denial);
    this.cache.set(cacheKey, reply.value, epoch, Date.now());
    return reply.value;
  }
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
