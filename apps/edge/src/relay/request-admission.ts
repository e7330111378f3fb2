import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  BillingSubjects,
  type AdmissionRecord,
  type Hold,
  type PickedChannel,
  type Principal,
  type UpstreamEndpoint,
  type UsageEstimate,
} from '@tollgate/contracts';
import { DenialException, DOCUMENTED_ERRORS } from '@tollgate/errors';
import type { NatsBus } from '@tollgate/nats';
import { EdgeGrants } from '../grants/edge-grants.js';
import type { RequestEstimate } from '../openai/endpoint.js';
import { NATS_BUS } from '../tokens.js';
import { ChannelPicker } from './channel-picker.js';
import { HoldSettler } from './hold-settler.js';
import { InputTokenRatios } from './input-token-ratios.js';
import { edgeMetrics } from '../metrics/edge-metrics.js';

export interface AdmissionQuery {
  principal: Principal;
  model: string;
  endpoint: UpstreamEndpoint;
  /** The channel storing the response this request continues, if it names one. */
  storedOn?: number;
  /** As counted: the hold scales its input by the model's ratio. */
  estimate: RequestEstimate;
  tid: string;
}

/** An admitted request: the channel to try first and the money held for it. */
export interface Admission {
  first: PickedChannel;
  hold: Hold;
  /** Admitted from a credit grant: the record its settlement carries (the hold id is its admission id). */
  admission?: AdmissionRecord;
}

/**
 * Lets a request in once the router has a channel for it and billing has held
 * its estimate. Router and billing are asked at the same time: they do not
 * depend on each other, and a request pays one round trip instead of two. The
 * documented precedence still holds — a channel error wins over a 429 or a
 * quota refusal — and a hold placed for a request the router refused is
 * released.
 *
 * A key busy enough to hold a credit grant on this edge is admitted without
 * asking billing at all (EdgeGrants): the channel is picked first (locally,
 * from the routing table), so a request the router refuses touches no money,
 * then the estimate is taken from the grant and its admission record stored
 * in JetStream. Whatever the grant does not cover is reserved as above.
 */
@Injectable()
export class RequestAdmission {
  constructor(
    private readonly picker: ChannelPicker,
    private readonly holds: HoldSettler,
    private readonly ratios: InputTokenRatios,
    private readonly grants: EdgeGrants,
    @Inject(NATS_BUS) private readonly bus: NatsBus,
  ) {}

  async admit(query: AdmissionQuery): Promise<Admission> {
    const { principal, model, endpoint, storedOn, tid } = query;
    const estimate = this.heldEstimate(query);
    if (this.grants.mayCover(principal, model, estimate)) {
      const first = await this.picker.pick({ model, endpoint, principal, exclude: [], storedOn });
      const fromGrant = await this.grants.admit(principal, model, estimate, tid, (admission) =>
        this.holds.release({ holdId: admission.admissionId, principal, model, tid, httpStatus: 503, admission }),
      );
      edgeMetrics.admitted(fromGrant !== null && fromGrant !== undefined);
      if (fromGrant) return { first, ...fromGrant };
      return { first, hold: await this.reserved(query, estimate) };
    }
    const [picked, reserved] = await Promise.allSettled([
      this.picker.pick({ model, endpoint, principal, exclude: [], storedOn }),
      this.reserved(query, estimate),
    ]);
    if (picked.status === 'rejected') {
      if (reserved.status === 'fulfilled') {
        const reason: unknown = picked.reason;
        const httpStatus = reason instanceof DenialException ? DOCUMENTED_ERRORS[reason.denial.reason].status : 503;
        this.holds.release({ holdId: reserved.value.holdId, principal, model, tid, httpStatus });
      }
      throw picked.reason;
    }
    if (reserved.status === 'rejected') throw reserved.reason;
    edgeMetrics.admitted(false);
    return { first: picked.value, hold: reserved.value };
  }

  /** A per-request reserve, which also tells EdgeGrants the key is busy (a grant may follow). */
  private async reserved(query: AdmissionQuery, estimate: UsageEstimate): Promise<Hold> {
    const hold = await this.reserve(query, estimate);
    this.grants.reserved(query.principal, query.model, hold, estimate);
    return hold;
  }

  /**
   * What is held: the estimate with its input scaled by the model's learned
   * ratio (InputTokenRatios), so the hold covers an upstream whose tokenizer
   * counts more than the edge's. Built field by field: billing refuses fields
   * it does not know, such as inputAllowanceTokens.
   */
  private heldEstimate({ model, estimate }: AdmissionQuery): UsageEstimate {
    return {
      inputTokens: this.ratios.held(model, estimate.inputTokens),
      outputTokens: estimate.outputTokens,
      images: estimate.images,
      imageSize: estimate.imageSize,
      characters: estimate.characters,
      // Transcriptions and translations are held for their audio's duration at the per-minute price.
      ...(estimate.audioSeconds === undefined ? {} : { audioSeconds: estimate.audioSeconds }),
    };
  }

  /**
   * The hold id is chosen here. If billing's answer is lost (a timeout, billing
   * restarting), the hold may exist all the same, so a release is published
   * for that id: billing applies it once the hold appears, or drops it if the
   * reserve never happened. No request leaves a hold behind.
   */
  private async reserve({ principal, model, tid }: AdmissionQuery, estimate: UsageEstimate): Promise<Hold> {
    const holdId = randomUUID();
    let reply;
    try {
      reply = await this.bus.request(BillingSubjects.reserve, {
        holdId,
        userId: principal.userId,
        keyId: principal.keyId,
        keySuffix: principal.keySuffix,
        group: principal.group,
        model,
        rpmLimit: principal.rpmLimit,
        budgetMicros: principal.budgetMicros,
        estimate,
      });
    } catch (error) {
      this.holds.release({ holdId, principal, model, tid, httpStatus: 503 });
      throw error;
    }
    if (!reply.ok) throw DenialException.of(reply.denial);
    return reply.value;
  }
}
