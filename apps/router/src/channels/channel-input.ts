import {
  CHANNEL_TYPES,
  ok,
  refused,
  type ChannelInput,
  type ChannelStatus,
  type ChannelTimeouts,
  type ChannelType,
  type Reply,
} from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';

/** Channel fields after validation; in an update, absent = unchanged. */
export interface ChannelFields {
  name?: string;
  type?: ChannelType;
  baseUrl?: string;
  apiKey?: string;
  models?: string[];
  modelMapping?: Record<string, string>;
  groups?: string[];
  priority?: number;
  weight?: number;
  status?: Exclude<ChannelStatus, 'auto_disabled'>;
  /** null = back to the configured default. */
  timeouts?: { [K in keyof ChannelTimeouts]?: number | null };
}

export type ChannelFieldsForCreate = ChannelFields &
  Required<Pick<ChannelFields, 'name' | 'baseUrl' | 'apiKey' | 'models'>>;

const INT4_MAX = 2_147_483_647;
const MAX_TIMEOUT_MS = 3_600_000;
const GROUP = /^[\w.-]{1,64}$/;
// Printable ASCII without spaces: the key ends up in an HTTP header.
const API_KEY = /^[\x21-\x7e]{1,4096}$/;
const SETTABLE_STATUSES = ['enabled', 'disabled'] as const;

const TIMEOUT_PARAMS: Record<keyof ChannelTimeouts, string> = {
  connectMs: 'timeouts.connect_ms',
  firstByteMs: 'timeouts.first_byte_ms',
  idleMs: 'timeouts.idle_ms',
};

class InvalidField extends Error {
  constructor(
    readonly param: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const fail = (param: string, detail: string): never => {
  throw new InvalidField(param, detail);
};

/**
 * Checks everything an admin may send for a channel and normalises it.
 * Parameter names are the HTTP API's (snake_case), so the edge can show them
 * as OpenAI's `param`. A create needs name, base_url, api_key and models.
 * The api key is never echoed in a message.
 */
export function normaliseChannelInput(input: Partial<ChannelInput>, mode: 'create'): Reply<ChannelFieldsForCreate>;
export function normaliseChannelInput(input: Partial<ChannelInput>, mode: 'update'): Reply<ChannelFields>;
export function normaliseChannelInput(input: Partial<ChannelInput>, mode: 'create' | 'update'): Reply<ChannelFields> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return refused(deny(DenialReason.InvalidRequest, { detail: 'a channel must be a JSON object' }));
  }
  const raw = input as Record<string, unknown>;
  try {
    const out: ChannelFields = {};
    if (mode === 'create') {
      for (const [field, param] of [
        ['name', 'name'],
        ['baseUrl', 'base_url'],
        ['apiKey', 'api_key'],
        ['models', 'models'],
      ] as const) {
        if (raw[field] === undefined || raw[field] === null) fail(param, `${param} is required`);
      }
    }
    if (raw.name !== undefined) out.name = channelName(raw.name);
    if (raw.type !== undefined) out.type = channelType(raw.type);
    if (raw.baseUrl !== undefined) out.baseUrl = baseUrl(raw.baseUrl);
    if (raw.apiKey !== undefined) out.apiKey = apiKey(raw.apiKey);
    if (raw.models !== undefined) out.models = models(raw.models);
    if (raw.modelMapping !== undefined) out.modelMapping = modelMapping(raw.modelMapping);
    if (raw.groups !== undefined) out.groups = groups(raw.groups);
    if (raw.priority !== undefined) out.priority = integer(raw.priority, 'priority', -INT4_MAX, INT4_MAX);
    if (raw.weight !== undefined) out.weight = integer(raw.weight, 'weight', 1, INT4_MAX);
    if (raw.status !== undefined) out.status = settableStatus(raw.status);
    if (raw.timeouts !== undefined) out.timeouts = timeouts(raw.timeouts);
    return ok(out);
  } catch (error) {
    if (error instanceof InvalidField) {
      return refused(deny(DenialReason.InvalidRequest, { param: error.param, detail: error.detail }));
    }
    throw error;
  }
}

function channelName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200) {
    return fail('name', 'name must be a non-empty string of at most 200 characters');
  }
  return value.trim();
}

function channelType(value: unknown): ChannelType {
  const type = CHANNEL_TYPES.find((known) => known === value);
  return type ?? fail('type', `type must be one of ${CHANNEL_TYPES.join(', ')}`);
}

/** An http(s) URL without credentials, query or fragment; stored without a trailing slash. */
function baseUrl(value: unknown): string {
  const message = 'base_url must be an http:// or https:// URL, e.g. https://api.openai.com/v1';
  if (typeof value !== 'string' || value.length > 2048) return fail('base_url', message);
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return fail('base_url', message);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail('base_url', message);
  // Credentials in the URL would be shown by every channel listing.
  if (url.username !== '' || url.password !== '') return fail('base_url', 'base_url must not contain credentials');
  if (url.search !== '' || url.hash !== '') return fail('base_url', 'base_url must not have a query or fragment');
  return url.toString().replace(/\/+$/, '');
}

function apiKey(value: unknown): string {
  if (typeof value !== 'string' || !API_KEY.test(value.trim())) {
    return fail('api_key', 'api_key must be a non-empty string without spaces or control characters');
  }
  return value.trim();
}

function nameList(value: unknown, param: string, what: string): string[] {
  if (!Array.isArray(value)) return fail(param, `${param} must be a list of ${what}`);
  const names = value.map((item: unknown) => {
    if (typeof item !== 'string' || item.trim() === '' || item.length > 200) {
      return fail(param, `${param} must be a list of non-empty ${what}`);
    }
    return item.trim();
  });
  if (names.length === 0) return fail(param, `${param} must name at least one ${what.replace(/s$/, '')}`);
  return [...new Set(names)];
}

function models(value: unknown): string[] {
  return nameList(value, 'models', 'model names');
}

function groups(value: unknown): string[] {
  const list = nameList(value, 'groups', 'group names');
  const bad = list.find((group) => !GROUP.test(group));
  if (bad !== undefined) return fail('groups', 'a group is 1–64 letters, digits, dots, dashes or underscores');
  return list;
}

function modelMapping(value: unknown): Record<string, string> {
  const message = 'model_mapping must be an object from requested model name to upstream model name';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('model_mapping', message);
  const out: Record<string, string> = {};
  for (const [from, to] of Object.entries(value as Record<string, unknown>)) {
    if (from.trim() === '' || typeof to !== 'string' || to.trim() === '' || to.length > 200) {
      return fail('model_mapping', message);
    }
    out[from.trim()] = to.trim();
  }
  return out;
}

function integer(value: unknown, param: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return fail(param, `${param} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function settableStatus(value: unknown): Exclude<ChannelStatus, 'auto_disabled'> {
  const status = SETTABLE_STATUSES.find((known) => known === value);
  // auto_disabled is the router's own verdict; an admin enables or disables.
  return status ?? fail('status', `status must be one of ${SETTABLE_STATUSES.join(', ')}`);
}

function timeouts(value: unknown): ChannelFields['timeouts'] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('timeouts', 'timeouts must be an object with connect_ms, first_byte_ms and/or idle_ms');
  }
  const raw = value as Record<string, unknown>;
  const out: NonNullable<ChannelFields['timeouts']> = {};
  for (const field of Object.keys(TIMEOUT_PARAMS) as Array<keyof ChannelTimeouts>) {
    const given = raw[field];
    if (given === undefined) continue;
    out[field] = given === null ? null : integer(given, TIMEOUT_PARAMS[field], 1, MAX_TIMEOUT_MS);
  }
  return out;
}
