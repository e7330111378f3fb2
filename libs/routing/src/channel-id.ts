import { ChannelId, compile } from '@tollgate/contracts';

const channelId = compile(ChannelId());

/** Channel ids are positive int4 identity values; anything else cannot name a channel. */
export const isChannelId = (value: unknown): value is number => channelId.is(value);
