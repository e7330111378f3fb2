import type { EventSubject } from '@tollgate/contracts';

/**
 * The part of NatsBus the router's services use: broadcasts every replica
 * receives. NatsBus satisfies it; tests pass an in-memory fan-out.
 */
export interface BroadcastBus {
  broadcast<Payload>(target: EventSubject<Payload>, payload: Payload): void;
  onBroadcast<Payload>(target: EventSubject<Payload>, handler: (payload: Payload) => void): unknown;
}
