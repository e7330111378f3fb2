import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  BillingSubjects,
  type Hold,
  type PickedChannel,
  type Principal,
  type UpstreamEndpoint,
} from '@tollgate/contracts';
import { DenialException, DOCUMENTED_ERRORS } from '@tollgate/errors';
import type { NatsBus } from '@tollgate/nats';
import type { RequestEstimate } from '../openai/endpoint.js';
import { NATS_BUS } from '../tokens.js';
import { ChannelPicker } from './channel-picker.js';
import { HoldSettler } from './hold-settler.js';
import { InputTokenRatios } from './input-token-ratios.js';

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
}

/**
 * Lets a request in once the router has a channel for it and billing has held
 * its estimate. Router and billing are asked at the same time: they do not
 * depend on each other, and a request pays one round trip instead of two. The
 * documented precedence still holds — a channel error wins over a 429 or a
 * quota refusal — and a hold placed for a request the router refused is
 * released.
 */
@Injectable()
export class RequestAdmission {
  constructor(
    private readonly picker: ChannelPicker,
    private readonly holds: HoldSettler,
    private readonly ratios: InputTokenRatios,
    @Inject(NATS_BUS) private readonly bus: NatsBus,
  ) {}

  async admit(query: AdmissionQuery): Promise<Admission> {
    const { principal, model, endpoint, storedOn, tid } = query;
    const [picked, reserved] = await Promise.allSettled([
      this.picker.pick({ model, endpoint, principal, exclude: [], storedOn }),
      this.reserve(query),
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
    return { first: picked.value, hold: reserved.value };
  }

  /**
   * The hold id is chosen here. If billing's answer is lost (a timeout, billing
   * restarting), the hold may exist all the same, so a release is published
   * for that id: billing applies it once the hold appears, or drops it if the
   * reserve never happened. No request leaves a hold behind.
   *
   * The input held is the estimate scaled by the model's learned ratio
   * (InputTokenRatios), so the hold covers an upstream whose tokenizer
   * counts more than the edge's.
   */
  private async reserve({ principal, model, estimate, tid }: AdmissionQuery): Promise<Hold> {
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
        // Built field by field: billing refuses fields it does not know, such as inputAllowanceTokens.
        estimate: {
          inputTokens: this.ratios.held(model, estimate.inputTokens),
          outputTokens: estimate.outputTokens,
          images: estimate.images,
          imageSize: estimate.imageSize,
          characters: estimate.characters,
        },
      });
    } catch (error) {
      this.holds.release({ holdId, principal, model, tid, httpStatus: 503 });
      throw error;
    }
    if (!reply.ok) throw DenialException.of(reply.denial);
    return reply.value;
  }
}
