import { isChannelId } from './channel-id.js';

const POSITIVE_INTEGER = /^[1-9][0-9]{0,9}$/;

/**
 * The channel id from a key's `-<id>` suffix: a positive integer written
 * plainly ('7', not '07', '+7', '7.0' or '1e1'), else null.
 */
export function parsePinnedChannelId(raw: string): number | null {
  if (typeof raw !== 'string' || !POSITIVE_INTEGER.test(raw)) return null;
  const id = Number(raw);
  return isChannelId(id) ? id : null;
}
