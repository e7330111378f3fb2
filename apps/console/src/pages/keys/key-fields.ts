import type { KeyCreate, KeyResponse, KeyUpdate } from '@tollgate/contracts';

/** Every restriction a key can have: the fields of KeyCreate (KeyUpdate has the same ones, see KEY_FIELDS). */
export type KeyFieldName = keyof KeyCreate;

/** What the form holds: the text of each control. */
export type KeyDraft = Record<KeyFieldName, string>;

/**
 * A value the page does not judge: text sent as typed so that the admin API
 * refuses it with its documented message naming the field (a budget of
 * "-1", an RPM limit of "ten"), instead of the page inventing its own words.
 */
type AsTyped = string;

/** How one field looks in the form, and how its text becomes the API's value and back. */
interface KeyFieldSpec<N extends KeyFieldName> {
  label: string;
  hint: string;
  control: 'text' | 'lines' | 'datetime' | 'decimal' | 'integer';
  /** The control's text → the body's value: null for an empty control ("none", "never", "any"). */
  parse: (text: string) => KeyCreate[N] | AsTyped;
  /** A key's value → the control's text, to edit it. */
  show: (key: KeyResponse) => string;
}

const linesOf = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

const listOrNull = (text: string): string[] | null => {
  const lines = linesOf(text);
  return lines.length > 0 ? lines : null;
};

/**
 * The expiry control is a datetime-local, which has no zone: the page reads
 * it as UTC (as every time in the console is shown) and sends an ISO instant.
 */
function instantOf(text: string): string | null {
  if (!text.trim()) return null;
  const date = new Date(`${text.trim()}Z`);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

/** "2027-06-30T12:00:00.000Z" → "2027-06-30T12:00", the datetime-local form of the same UTC time (seconds if any). */
function localTextOf(iso: string | null): string {
  if (!iso) return '';
  const text = new Date(iso).toISOString();
  return text.slice(17, 23) === '00.000' ? text.slice(0, 16) : text.slice(0, 19);
}

/**
 * The one table of a key's fields, in form order: the create form and the
 * edit form are both made from it. Typed over KeyCreate's and KeyUpdate's
 * fields, so a field the contracts add to either does not compile until it
 * has a row here.
 */
export const KEY_FIELDS: { [N in KeyFieldName]: KeyFieldSpec<N> } & Record<keyof KeyUpdate, unknown> = {
  name: {
    label: 'Name',
    hint: 'To recognise the key in lists, e.g. "backend" or "ci"',
    control: 'text',
    // A name cannot be taken away: empty leaves it as it is (none for a new key).
    parse: (text) => text.trim() || undefined,
    show: (key) => key.name,
  },
  expires_at: {
    label: 'Expires (UTC)',
    hint: 'A date and time in UTC; empty = never',
    control: 'datetime',
    parse: instantOf,
    show: (key) => localTextOf(key.expires_at),
  },
  allowed_models: {
    label: 'Allowed models',
    hint: 'One model name per line, e.g. gpt-4o-mini; empty = every model',
    control: 'lines',
    parse: listOrNull,
    show: (key) => (key.allowed_models ?? []).join('\n'),
  },
  allowed_ip_ranges: {
    label: 'Allowed IP ranges',
    hint: 'One IPv4 or IPv6 address or CIDR range per line, e.g. 10.0.0.0/8; empty = any address',
    control: 'lines',
    parse: listOrNull,
    show: (key) => (key.allowed_ip_ranges ?? []).join('\n'),
  },
  budget: {
    label: 'Budget (USD)',
    hint: 'Total spend allowed for the key, a decimal amount such as 12.50; empty = no budget',
    control: 'decimal',
    parse: (text) => text.trim() || null,
    show: (key) => key.budget ?? '',
  },
  rpm_limit: {
    label: 'RPM limit',
    hint: 'Requests per minute, a whole number; empty = the default limit',
    control: 'integer',
    parse: (text) => {
      const trimmed = text.trim();
      if (!trimmed) return null;
      return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
    },
    show: (key) => (key.rpm_limit === null ? '' : String(key.rpm_limit)),
  },
};

export const KEY_FIELD_NAMES = Object.keys(KEY_FIELDS) as KeyFieldName[];

/** The form's text for a key being edited, or empty controls for a new one. */
export function draftOf(key?: KeyResponse): KeyDraft {
  const draft = {} as KeyDraft;
  for (const name of KEY_FIELD_NAMES) draft[name] = key ? KEY_FIELDS[name].show(key) : '';
  return draft;
}

/**
 * The body to send. A new key leaves empty fields out (the API's defaults:
 * never expires, every model, any address, no budget, the default RPM); an
 * edited key sends null for them, which takes the restriction away.
 */
export function bodyOf(draft: KeyDraft, editing: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of KEY_FIELD_NAMES) {
    const value = KEY_FIELDS[name].parse(draft[name]);
    if (value === undefined || (value === null && !editing)) continue;
    body[name] = value;
  }
  return body;
}
