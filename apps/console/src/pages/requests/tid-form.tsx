import { type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { Field } from '../../components/field';

/** Where the request settled under a tid is shown. */
export const tracePath = (tid: string): string => `/requests/${encodeURIComponent(tid)}`;

/**
 * Support's way in: a customer quotes the tid of an error (its body, or the
 * X-Tid header), staff paste it here and see what happened to that request.
 * The tid is not checked here: the admin API's refusal of one that is not a
 * tid says exactly what is wrong, with a tid of its own.
 */
export function TidForm({ label = 'Find a request by tid' }: { label?: string }) {
  const [, navigate] = useLocation();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const tid = new FormData(event.currentTarget).get('tid');
    if (typeof tid === 'string' && tid.trim() !== '') navigate(tracePath(tid.trim()));
  }

  return (
    <form role="search" className="search-form tid-form" onSubmit={submit}>
      <Field label={label} hint="The 32 hex digits a customer quotes from an error, or from the X-Tid header">
        {(props) => <input {...props} name="tid" required autoComplete="off" spellCheck={false} />}
      </Field>
      <button type="submit">Find</button>
    </form>
  );
}
