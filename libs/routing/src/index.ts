/**
 * Channel selection and channel health as pure code, shared by the router
 * (the one owner and writer of channels and health) and the edge (which
 * picks from the router's published routing table): one implementation, so
 * both pick with the same semantics.
 */
export * from './availability.js';
export * from './channel-id.js';
export * from './channel-selector.js';
export * from './channel-table.js';
export * from './clock.js';
export * from './health-settings.js';
export * from './health-tracker.js';
export * from './outcome-kind.js';
export * from './pinned-channel-id.js';
export * from './random-source.js';
export * from './routable-channel.js';
export * from './weighted-choice.js';
export * from './picked-channel.js';
export * from './routing-table.js';
