import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AdjustmentResponse } from '@tollgate/contracts';
import { api } from '../../api/client';
import { useIdempotencyKey } from '../../api/idempotency';
import { AppliedNotice } from '../../components/applied-notice';
import { refusalFor } from '../../api/api-error';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { Money } from '../../money/money-amount';
import { useSession } from '../../session/session-context';

type Kind = 'topup' | 'adjustment';

const FORMS: Record<Kind, { title: string; path: string; submit: string; amountHint: string; pattern: string }> = {
  topup: {
    title: 'Top up',
    path: 'topups',
    submit: 'Top up',
    amountHint: 'A positive amount, up to 6 decimals',
    pattern: '\\d+(\\.\\d{1,6})?',
  },
  adjustment: {
    title: 'Adjust the balance',
    path: 'adjustments',
    submit: 'Adjust',
    amountHint: 'Signed, up to 6 decimals: -2.5 takes money away',
    pattern: '-?\\d+(\\.\\d{1,6})?',
  },
};

/**
 * A top-up or an adjustment. The form's idempotency key stays the same until
 * its values change after an answer: a double click, or submitting the same
 * thing again, applies once, and the second answer (replayed) says
 * "Already applied". Editing the amount or the reason makes a new change.
 */
export function MoneyForm({ userId, kind }: { userId: string; kind: Kind }) {
  const form = FORMS[kind];
  const { currency } = useSession();
  const queries = useQueryClient();
  const { key, renew } = useIdempotencyKey(kind);
  const [answered, setAnswered] = useState(false);
  const change = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api.post<AdjustmentResponse>(`/users/${userId}/${form.path}`, { ...body, idempotency_key: key }),
    onSuccess: () => {
      setAnswered(true);
      void queries.invalidateQueries({ queryKey: ['customer', userId] });
    },
  });

  /** A field edited after an answer is a new change: a new key, and the last answer no longer shown. */
  function edited() {
    if (!answered) return;
    renew();
    setAnswered(false);
    change.reset();
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const values = new FormData(event.currentTarget);
    const body: Record<string, unknown> = { amount: values.get('amount'), reason: values.get('reason') };
    if (kind === 'adjustment') body.allow_negative = values.get('allow_negative') === 'on';
    change.mutate(body);
  }

  return (
    <form className="money-form" onSubmit={submit} onChange={edited} aria-labelledby={`${kind}-title`}>
      <h3 id={`${kind}-title`}>{form.title}</h3>
      <Field label={`Amount (${currency})`} hint={form.amountHint} error={refusalFor(change.error, 'amount')}>
        {(props) => (
          <input {...props} name="amount" inputMode="decimal" pattern={form.pattern} required autoComplete="off" />
        )}
      </Field>
      <Field
        label="Reason"
        hint="Kept in the ledger: an invoice number, a ticket"
        error={refusalFor(change.error, 'reason')}
      >
        {(props) => <input {...props} name="reason" required maxLength={500} autoComplete="off" />}
      </Field>
      {kind === 'adjustment' && (
        <div className="field checkbox">
          <label>
            <input type="checkbox" name="allow_negative" /> May take the balance below zero
          </label>
        </div>
      )}
      <button type="submit" disabled={change.isPending}>
        {change.isPending ? 'Applying…' : form.submit}
      </button>
      {change.error && <ErrorMessage error={change.error} title={`${form.title}: not applied.`} />}
      {change.data && (
        <AppliedNotice replayed={change.data.replayed}>
          <Money amount={change.data.entry.amount} /> — balance now <Money amount={change.data.balance.balance} />.
        </AppliedNotice>
      )}
    </form>
  );
}
