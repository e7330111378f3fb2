import { useId, type ReactNode } from 'react';

/** What a control inside a Field is given: its id, and the ids of the hint and error that describe it. */
export interface FieldControlProps {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': boolean;
}

/**
 * A labelled form control with an optional hint and error, wired for screen
 * readers (label `for`, `aria-describedby`, `aria-invalid`). The control is
 * a render prop so any input, select or textarea fits:
 *
 *   <Field label="Amount" hint="In USD, up to 6 decimals">
 *     {(props) => <input {...props} name="amount" inputMode="decimal" />}
 *   </Field>
 */
export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: ReactNode;
  /** The reason the value is refused, shown under the control; null or undefined when it is fine. */
  error?: string | null;
  children: (props: FieldControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': Boolean(error) })}
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
