import type { ChannelInput } from '@tollgate/contracts';

/** Channel fields as stored; in an update, absent = unchanged. */
export type ChannelFields = Partial<ChannelInput>;

export type ChannelFieldsForCreate = ChannelFields &
  Required<Pick<ChannelInput, 'name' | 'baseUrl' | 'apiKey' | 'models'>>;

/**
 * A channel's fields as the router keeps them. The input is what its
 * subject's schema accepts (checked on arrival, see RouterController); what
 * is left is spelling: names without surrounding spaces and each once, and a
 * base URL in one form, without a trailing slash, so that appending a path
 * like `/chat/completions` never doubles one.
 */
export function normaliseChannelInput(input: ChannelInput): ChannelFieldsForCreate;
export function normaliseChannelInput(input: Partial<ChannelInput>): ChannelFields;
export function normaliseChannelInput(input: Partial<ChannelInput>): ChannelFields {
  const out: ChannelFields = { ...input };
  if (input.name !== undefined) out.name = input.name.trim();
  if (input.baseUrl !== undefined) out.baseUrl = new URL(input.baseUrl).toString().replace(/\/+$/, '');
  if (input.models !== undefined) out.models = names(input.models);
  if (input.groups !== undefined) out.groups = names(input.groups);
  if (input.modelMapping !== undefined) {
    out.modelMapping = Object.fromEntries(
      Object.entries(input.modelMapping).map(([from, to]) => [from.trim(), to.trim()]),
    );
  }
  return out;
}

const names = (list: readonly string[]): string[] => [...new Set(list.map((name) => name.trim()))];
