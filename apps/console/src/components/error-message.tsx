import { ApiError } from '../api/api-error';

/**
 * A refusal as the user should see it: the documented message, and the tid
 * support needs to find the request in every service's logs.
 */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  const message = error instanceof Error ? error.message : String(error);
  const tid = error instanceof ApiError ? error.tid : null;
  return (
    <div className="error" role="alert">
      {title && <p className="error-title">{title}</p>}
      <p>{message}</p>
      {tid && (
        <p className="tid">
          tid: <code>{tid}</code>
        </p>
      )}
    </div>
  );
}
