import { useState, type FormEvent } from 'react';
import type { ChannelCreate, ChannelResponse, ChannelUpdate } from '@tollgate/contracts';
import { Field } from '../../components/field';

/** The dialects of CHANNEL_TYPES in the contracts (values are not bundled from there, only types). */
const CHANNEL_TYPES: readonly ChannelResponse['type'][] = ['openai', 'azure', 'anthropic', 'gemini'];
/** SETTABLE_CHANNEL_STATUSES: auto_disabled is the router's verdict, an admin cannot set it. */
const SETTABLE_STATUSES = ['enabled', 'disabled'] as const;
type Settable = (typeof SETTABLE_STATUSES)[number];
const TIMEOUTS = [
  ['connect_ms', 'Connect timeout (ms)'],
  ['first_byte_ms', 'First byte timeout (ms)'],
  ['idle_ms', 'Idle timeout (ms)'],
] as const;
type TimeoutName = (typeof TIMEOUTS)[number][0];

interface Draft {
  name: string;
  type: ChannelResponse['type'];
  base_url: string;
  api_version: string;
  api_key: string;
  models: string;
  model_mapping: string;
  groups: string;
  priority: string;
  weight: string;
  status: Settable;
  timeouts: Record<TimeoutName, string>;
}

const listOf = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);

/** "gpt-4o=gpt-4o-2024-08-06" lines → { 'gpt-4o': 'gpt-4o-2024-08-06' }; a line without "=" is refused. */
function mappingOf(text: string): Record<string, string> | string {
  const mapping: Record<string, string> = {};
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line) continue;
    const at = line.indexOf('=');
    if (at <= 0 || at === line.length - 1) return `"${line}" is not of the form requested=upstream.`;
    mapping[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return mapping;
}

function draftOf(channel: ChannelResponse | undefined): Draft {
  if (!channel) {
    return {
      name: '',
      type: 'openai',
      base_url: '',
      api_version: '',
      api_key: '',
      models: '',
      model_mapping: '',
      groups: '',
      priority: '',
      weight: '',
      status: 'enabled',
      timeouts: { connect_ms: '', first_byte_ms: '', idle_ms: '' },
    };
  }
  return {
    name: channel.name,
    type: channel.type,
    base_url: channel.base_url,
    api_version: channel.api_version ?? '',
    api_key: '',
    models: channel.models.join(', '),
    model_mapping: Object.entries(channel.model_mapping)
      .map(([from, to]) => `${from}=${to}`)
      .join('\n'),
    groups: channel.groups.join(', '),
    priority: String(channel.priority),
    weight: String(channel.weight),
    // An auto-disabled channel shows "enabled" as what saving would ask for; its state is shown beside.
    status: channel.status === 'disabled' ? 'disabled' : 'enabled',
    timeouts: {
      connect_ms: String(channel.timeouts.connect_ms),
      first_byte_ms: String(channel.timeouts.first_byte_ms),
      idle_ms: String(channel.timeouts.idle_ms),
    },
  };
}

type Errors = Partial<Record<'name' | 'base_url' | 'api_key' | 'models' | 'model_mapping', string>>;

/**
 * The body to send: for a new channel, a ChannelCreate with empty optional fields left out (the API's
 * defaults apply); for an existing one, a ChannelUpdate where an empty api key keeps the stored key and an
 * emptied api version or timeout goes back to the default (null).
 */
function bodyOf(draft: Draft, editing: boolean): { body?: ChannelCreate | ChannelUpdate; errors: Errors } {
  const errors: Errors = {};
  if (!draft.name.trim()) errors.name = 'A name is required.';
  if (!draft.base_url.trim()) errors.base_url = 'A base URL is required.';
  if (!editing && !draft.api_key) errors.api_key = 'An API key is required.';
  const models = listOf(draft.models);
  if (models.length === 0) errors.models = 'At least one model is required.';
  const mapping = mappingOf(draft.model_mapping);
  if (typeof mapping === 'string') errors.model_mapping = mapping;
  if (Object.keys(errors).length > 0 || typeof mapping === 'string') return { errors };

  const timeouts: Record<string, number | null> = {};
  for (const [name] of TIMEOUTS) {
    const value = draft.timeouts[name].trim();
    if (value) timeouts[name] = Number(value);
    else if (editing) timeouts[name] = null;
  }
  const groups = listOf(draft.groups);
  const body: Record<string, unknown> = {
    name: draft.name.trim(),
    type: draft.type,
    base_url: draft.base_url.trim(),
    models,
    status: draft.status,
  };
  if (draft.api_key) body.api_key = draft.api_key;
  if (draft.api_version.trim()) body.api_version = draft.api_version.trim();
  else if (editing) body.api_version = null;
  if (Object.keys(mapping).length > 0 || editing) body.model_mapping = mapping;
  if (groups.length > 0) body.groups = groups;
  if (draft.priority.trim()) body.priority = Number(draft.priority);
  if (draft.weight.trim()) body.weight = Number(draft.weight);
  if (Object.keys(timeouts).length > 0) body.timeouts = timeouts;
  return { body, errors };
}

/** Create (no channel given) or edit a channel: every field of ChannelCreate / ChannelUpdate. */
export function ChannelForm({
  channel,
  submitLabel,
  pending,
  onSubmit,
}: {
  channel?: ChannelResponse;
  submitLabel: string;
  pending: boolean;
  onSubmit: (body: ChannelCreate | ChannelUpdate) => void;
}) {
  const editing = channel !== undefined;
  const [draft, setDraft] = useState<Draft>(() => draftOf(channel));
  const [errors, setErrors] = useState<Errors>({});
  const set = <K extends keyof Draft>(name: K, value: Draft[K]) => setDraft((d) => ({ ...d, [name]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = bodyOf(draft, editing);
    setErrors(result.errors);
    if (result.body) onSubmit(result.body);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Field label="Name" error={errors.name}>
        {(props) => <input {...props} value={draft.name} onChange={(e) => set('name', e.target.value)} required />}
      </Field>
      <Field label="Type" hint="The upstream dialect">
        {(props) => (
          <select {...props} value={draft.type} onChange={(e) => set('type', e.target.value as Draft['type'])}>
            {CHANNEL_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Base URL"
        hint="openai: with its version path (https://api.openai.com/v1); azure: https://{resource}.openai.azure.com; anthropic: https://api.anthropic.com; gemini: https://generativelanguage.googleapis.com"
        error={errors.base_url}
      >
        {(props) => (
          <input
            {...props}
            type="url"
            value={draft.base_url}
            onChange={(e) => set('base_url', e.target.value)}
            required
          />
        )}
      </Field>
      <Field label="API version" hint="azure only; empty = the gateway's default">
        {(props) => <input {...props} value={draft.api_version} onChange={(e) => set('api_version', e.target.value)} />}
      </Field>
      <Field
        label="Upstream API key"
        hint={
          editing
            ? `Stored key ends in …${channel.api_key_last4}; leave empty to keep it`
            : 'Encrypted at rest; never shown again'
        }
        error={errors.api_key}
      >
        {(props) => (
          <input
            {...props}
            type="password"
            autoComplete="new-password"
            value={draft.api_key}
            onChange={(e) => set('api_key', e.target.value)}
          />
        )}
      </Field>
      <Field label="Models" hint="Comma-separated model names" error={errors.models}>
        {(props) => <input {...props} value={draft.models} onChange={(e) => set('models', e.target.value)} required />}
      </Field>
      <Field label="Model mapping" hint="One requested=upstream per line" error={errors.model_mapping}>
        {(props) => (
          <textarea
            {...props}
            rows={3}
            value={draft.model_mapping}
            onChange={(e) => set('model_mapping', e.target.value)}
          />
        )}
      </Field>
      <Field label="Groups" hint="Comma-separated; empty = the default">
        {(props) => <input {...props} value={draft.groups} onChange={(e) => set('groups', e.target.value)} />}
      </Field>
      <Field label="Priority" hint="Higher first">
        {(props) => (
          <input
            {...props}
            type="number"
            step={1}
            value={draft.priority}
            onChange={(e) => set('priority', e.target.value)}
          />
        )}
      </Field>
      <Field label="Weight" hint="Share of the traffic within a priority (1 or more)">
        {(props) => (
          <input
            {...props}
            type="number"
            min={1}
            step={1}
            value={draft.weight}
            onChange={(e) => set('weight', e.target.value)}
          />
        )}
      </Field>
      <Field label="Status">
        {(props) => (
          <select {...props} value={draft.status} onChange={(e) => set('status', e.target.value as Settable)}>
            {SETTABLE_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset>
        <legend>Timeouts</legend>
        {TIMEOUTS.map(([name, label]) => (
          <Field key={name} label={label} hint="Empty = the router's default">
            {(props) => (
              <input
                {...props}
                type="number"
                min={1}
                step={1}
                value={draft.timeouts[name]}
                onChange={(e) => set('timeouts', { ...draft.timeouts, [name]: e.target.value })}
              />
            )}
          </Field>
        ))}
      </fieldset>
      <button type="submit" disabled={pending}>
        {submitLabel}
      </button>
    </form>
  );
}
