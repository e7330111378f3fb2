import { type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { Field } from '../../components/field';

/** Where the request settled under a tid is shown. */
export const tracePath = (tid: string): string => `/requests/${encodeURIComponent(tid)}`;

/**
 * The tid in what was pasted: a customer often quotes more than the tid (the
 * error's whole line or body), so the one run of 32 hex digits in it is the
 * tid. Text without one is sent as it is, and the API says why it is no tid.
 */
function tidIn(text: string): string {
  const tids = text.match(/\b[0-9a-f]{32}\b/gi) ?? [];
  return tids.length === 1 && tids[0] ? tids[0] : text.trim();
}

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
    const text = new FormData(event.currentTarget).get('tid');
    if (typeof text === 'string' && text.trim() !== '') navigate(tracePath(tidIn(text)));
  }

  return (
    <form role="search" className="search-form tid-form" onSubmit={submit}>
      <Field
        label={label}
        hint="The 32 hex digits a customer quotes from an error or the X-Tid header; the whole error message will do"
      >
        {(props) => <input {...props} name="tid" required autoComplete="off" spellCheck={false} />}
      </Field>
      <button type="submit">Find</button>
    </form>
  );
}
