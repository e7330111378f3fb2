const INT4_MAX = 2_147_483_647;

/** Channel ids are positive int4 identity values; anything else cannot name a channel. */
export const isChannelId = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= INT4_MAX;
