import { Inject, Injectable } from '@nestjs/common';
import { Kvm, type KV } from '@nats-io/kv';
import type { Principal } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import type { NatsBus } from '@tollgate/nats';
import type { Logger } from '@tollgate/observability';
import type { EdgeConfig } from '../edge.config.js';
import { invalid, type JsonObject } from '../openai/body-fields.js';
import { EDGE_CONFIG, LOGGER, NATS_BUS } from '../tokens.js';

/** The JetStream key-value bucket every edge replica shares. */
export const STORED_RESPONSES_BUCKET = 'tollgate_stored_responses';

/** What the gateway remembers of one Responses answer an upstream stored. */
export interface StoredResponse {
  /** The channel whose upstream account holds it: the only one that can continue it. */
  channelId: number;
  /** Whose it is: another user naming it is told it does not exist. */
  userId: string;
  /** The model the client asked for: a read or a follow-up is routed by it. */
  model: string;
  /**
   * Its input and output tokens: a follow-up carries them as context, so its
   * hold counts them on top of its own input (the edge cannot see them).
   */
  contextTokens: number;
}

/** A follow-up's route: the storing channel, and the context it adds to the hold. */
export interface Continuation {
  storedOn: number;
  contextTokens: number;
}

// A JetStream KV key: tokens of its alphabet joined by single dots (no empty token); OpenAI's `resp_…` ids are one.
const KV_KEY = /^(?=.{1,200}$)[-_=a-zA-Z0-9]+(?:\.[-_=a-zA-Z0-9]+)*$/;

/**
 * Which channel stored which Responses answer, for every edge replica: an
 * OpenAI or Azure upstream keeps a response (unless `store: false`) in its
 * own account, so `previous_response_id` and `GET /v1/responses/{id}` must
 * go to the channel that made it. Kept in a JetStream key-value bucket —
 * replicated and persisted by the NATS server the edges already use, each
 * entry expiring after STORED_RESPONSE_TTL_HOURS — because the edge has no
 * database and an edge replica's memory would lose it on restart or hide
 * it from the next replica.
 */
@Injectable()
export class StoredResponses {
  private bucket: Promise<KV> | null = null;

  constructor(
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    @Inject(EDGE_CONFIG) private readonly config: EdgeConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Records a stored answer. Never throws: the client has its answer; a lost record is logged. */
  async remember(responseId: string, record: StoredResponse): Promise<void> {
    if (!KV_KEY.test(responseId)) return;
    try {
      await (await this.open()).put(responseId, JSON.stringify(record));
    } catch (error) {
      this.logger.warn({ err: error, responseId }, 'could not record which channel stored a response');
    }
  }

  /** The caller's stored response by id; null when the gateway knows none of the caller's by that id. */
  async find(responseId: string, principal: Principal): Promise<StoredResponse | null> {
    if (!KV_KEY.test(responseId)) return null;
    let entry;
    try {
      entry = await (await this.open()).get(responseId);
    } catch (error) {
      this.logger.warn({ err: error, responseId }, 'could not read which channel stored a response');
      throw new DenialException(DenialReason.ServiceUnavailable, { retryAfterSeconds: 1 });
    }
    if (!entry || entry.operation !== 'PUT') return null;
    const record = entry.json<StoredResponse>();
    return record.userId === principal.userId ? record : null;
  }

  async forget(responseId: string): Promise<void> {
    if (KV_KEY.test(responseId)) await (await this.open()).delete(responseId);
  }

  /**
   * The route of a request naming `previous_response_id`, or null when it
   * names none. An id the gateway does not know for this caller — never
   * made through it, made by another user, expired — is a 400 naming the
   * field: no channel could continue it.
   */
  async continuation(body: JsonObject, principal: Principal): Promise<Continuation | null> {
    const id = body.previous_response_id;
    if (typeof id !== 'string') return null;
    const stored = await this.find(id, principal);
    if (!stored) {
      throw invalid(
        'previous_response_id',
        `previous_response_id '${id.slice(0, 80)}' names no response stored through this gateway for your account ` +
          `in the last ${this.config.STORED_RESPONSE_TTL_HOURS} hours`,
      );
    }
    return { storedOn: stored.channelId, contextTokens: stored.contextTokens };
  }

  private open(): Promise<KV> {
    this.bucket ??= new Kvm(this.bus.jetstream())
      .create(STORED_RESPONSES_BUCKET, { history: 1, ttl: this.config.STORED_RESPONSE_TTL_HOURS * 3_600_000 })
      .catch((error: unknown) => {
        this.bucket = null; // the next request tries again
        throw error;
      });
    return this.bucket;
  }
}
