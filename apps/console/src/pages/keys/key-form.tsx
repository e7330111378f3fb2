import { useState, type FormEvent, type ReactNode } from 'react';
import type { KeyResponse } from '@tollgate/contracts';
import { refusalFor } from '../../api/api-error';
import { Field, type FieldControlProps } from '../../components/field';
import { KEY_FIELDS, KEY_FIELD_NAMES, bodyOf, draftOf, type KeyFieldName } from './key-fields';

/** The control a field of the table asks for. */
function Control({
  name,
  value,
  onChange,
  props,
}: {
  name: KeyFieldName;
  value: string;
  onChange: (value: string) => void;
  props: FieldControlProps;
}) {
  const common = {
    ...props,
    name,
    value,
    autoComplete: 'off',
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
  };
  switch (KEY_FIELDS[name].control) {
    case 'lines':
      return <textarea {...common} rows={3} spellCheck={false} />;
    case 'datetime':
      return <input {...common} type="datetime-local" />;
    case 'decimal':
      return <input {...common} inputMode="decimal" />;
    case 'integer':
      return <input {...common} inputMode="numeric" />;
    case 'text':
      return <input {...common} />;
  }
}

/**
 * The field's hint, and a warning for an expiry already past: the admin API
 * takes it (the key is then refused from the start), so the page says so
 * before it is sent.
 */
function hintOf(name: KeyFieldName, text: string): string {
  const { hint, control } = KEY_FIELDS[name];
  if (control !== 'datetime') return hint;
  const instant = KEY_FIELDS.expires_at.parse(text);
  const past = typeof instant === 'string' && Date.parse(instant) <= Date.now();
  return past ? `${hint}. This time has passed: the key would be refused from the start.` : hint;
}

/**
 * A key's fields, for a new key (no `initial`) or to change one: every
 * control comes from the one field table (key-fields.ts). The page does not
 * judge the values (noValidate): the admin API does, and its documented
 * refusal names the field that is wrong.
 */
export function KeyForm({
  initial,
  label,
  submitLabel,
  pendingLabel,
  pending,
  onSubmit,
  actions,
  refused,
  children,
}: {
  initial?: KeyResponse;
  /** The form's accessible name. */
  label: string;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  onSubmit: (body: Record<string, unknown>) => void;
  /** More buttons beside the submit button (Cancel). */
  actions?: ReactNode;
  /** The last submit's refusal: the field it names is marked with its message. */
  refused?: unknown;
  /** Shown under the buttons: the answer. */
  children?: ReactNode;
}) {
  const [draft, setDraft] = useState(() => draftOf(initial));

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(bodyOf(draft, initial !== undefined));
  }

  return (
    <form className="key-form" onSubmit={submit} noValidate aria-label={label}>
      {KEY_FIELD_NAMES.map((name) => (
        <Field
          key={name}
          label={KEY_FIELDS[name].label}
          hint={hintOf(name, draft[name])}
          error={refusalFor(refused, name)}
        >
          {(props) => (
            <Control
              name={name}
              value={draft[name]}
              onChange={(value) => setDraft((d) => ({ ...d, [name]: value }))}
              props={props}
            />
          )}
        </Field>
      ))}
      <div className="key-form-actions">
        <button type="submit" disabled={pending}>
          {pending ? pendingLabel : submitLabel}
        </button>
        {actions}
      </div>
      {children}
    </form>
  );
}
