import { useId, useRef, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../components/error-message';
import type { ApiError } from '../api/api-error';
import { useSessionControls } from './session-context';

/**
 * A staff key in, a session cookie out. The key lives only in this field's
 * DOM value until the edge answers: never in React state, storage or a
 * cookie, and the field is emptied whatever the answer.
 */
export function SignInPage({ notice }: { notice: ApiError | null }) {
  const { signIn } = useSessionControls();
  const keyField = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fieldId = useId();
  const hintId = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const field = keyField.current;
    if (!field) return;
    const key = field.value.trim();
    field.value = '';
    if (key === '') {
      setError(new Error('Enter a staff API key (it starts with sk-).'));
      field.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(key);
    } catch (refusal) {
      setError(refusal);
      setBusy(false);
      field.focus();
    }
  }

  return (
    <main className="sign-in" id="main">
      <h1>Tollgate console</h1>
      {notice && (
        <ErrorMessage error={notice} title={notice.status === 401 ? 'Your session ended: sign in again.' : undefined} />
      )}
      <form onSubmit={(event) => void submit(event)} aria-busy={busy}>
        <label htmlFor={fieldId}>Staff API key</label>
        <input
          id={fieldId}
          ref={keyField}
          name="key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          required
          aria-describedby={hintId}
          aria-invalid={error !== null}
        />
        <p id={hintId} className="hint">
          A key of a billing, admin or root user. It is sent once to sign in and not kept in this browser.
        </p>
        {error !== null && <ErrorMessage error={error} />}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
