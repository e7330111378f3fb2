import { Field } from './field';

/**
 * The From and Before fields of a list's filters: whole UTC days, the first
 * one included, the second not (the admin API's `from` and `to`). `what`
 * says which time they bound: "Entries created", "Settled".
 */
export function DateRangeFields({
  from,
  to,
  what,
  onChange,
}: {
  from: string;
  to: string;
  what: string;
  onChange: (name: 'from' | 'to', value: string) => void;
}) {
  return (
    <>
      <Field label="From" hint={`${what} on or after this day (UTC)`}>
        {(props) => (
          <input {...props} type="date" name="from" value={from} onChange={(e) => onChange('from', e.target.value)} />
        )}
      </Field>
      <Field label="Before" hint={`${what} before this day (UTC)`}>
        {(props) => (
          <input {...props} type="date" name="to" value={to} onChange={(e) => onChange('to', e.target.value)} />
        )}
      </Field>
    </>
  );
}
