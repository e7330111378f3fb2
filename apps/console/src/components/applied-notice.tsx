import type { ReactNode } from 'react';

/**
 * What a write did: "Applied." for a new change, "Already applied" for a
 * replay of an idempotency key the gateway has seen (nothing changed the
 * second time). Announced to screen readers as a status.
 */
export function AppliedNotice({ replayed, children }: { replayed: boolean; children?: ReactNode }) {
  return (
    <p className={replayed ? 'notice replayed' : 'notice applied'} role="status">
      <strong>{replayed ? 'Already applied' : 'Applied'}</strong>
      {replayed ? ': this was done before with the same idempotency key; nothing changed.' : '.'}
      {children && <> {children}</>}
    </p>
  );
}
