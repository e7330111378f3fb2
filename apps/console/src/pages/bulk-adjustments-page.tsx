import { useMutation, useQuery } from '@tanstack/react-query';
import type { BatchResponse, BatchRowList } from '@tollgate/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { ErrorMessage } from '../components/error-message';
import { Field } from '../components/field';
import { Loading } from '../components/loading';
import { Pager, useCursorPages } from '../components/pager';
import { Money } from '../money/money-amount';
import './bulk/bulk.css';

/** The header a batch CSV starts with (BATCH_CSV_COLUMNS of the contracts: a value, so not imported here). */
const CSV_HEADER = 'user_id,amount,reason,idempotency_key';

/** A batch row's index counts from 0 and the header is line 1 of the file: row 0 is line 2. */
const lineOf = (index: number): number => index + 2;

/**
 * Billing: many adjustments from one CSV file. "Check (dry run)" changes
 * nothing and shows every row; "Apply" is all or nothing. The idempotency
 * keys are the file's own (one a row), so sending the same file again
 * replays every row and changes nothing.
 */
export function BulkAdjustmentsPage() {
  const [csv, setCsv] = useState<{ name: string; text: string } | null>(null);
  const run = useMutation({
    mutationFn: (dryRun: boolean) =>
      api.post<BatchResponse>('/adjustments/batch', { csv: csv?.text, ...(dryRun ? { dry_run: true } : {}) }),
  });

  const choose = async (file: File | undefined) => {
    run.reset();
    setCsv(file ? { name: file.name, text: await file.text() } : null);
  };
  const submit = (dryRun: boolean) => (event?: FormEvent) => {
    event?.preventDefault();
    if (csv) run.mutate(dryRun);
  };

  return (
    <>
      <form className="bulk-form" onSubmit={submit(true)} aria-label="Batch file">
        <Field
          label="CSV file"
          hint={
            <>
              Header <code>{CSV_HEADER}</code>; amounts signed (<code>-2.5</code> takes money away); one idempotency key
              a row.
            </>
          }
        >
          {(props) => (
            <input
              {...props}
              type="file"
              name="csv"
              accept=".csv,text/csv"
              onChange={(e) => void choose(e.target.files?.[0])}
            />
          )}
        </Field>
        <div className="bulk-actions">
          <button type="submit" disabled={!csv || run.isPending}>
            Check (dry run)
          </button>
          <button type="button" disabled={!csv || run.isPending} onClick={() => submit(false)()}>
            Apply
          </button>
        </div>
      </form>
      {run.isPending && <Loading label={run.variables ? 'Checking the batch…' : 'Applying the batch…'} />}
      {run.error && <ErrorMessage error={run.error} title="The batch was refused" />}
      {run.data && !run.isPending && <BatchResult key={run.data.id} batch={run.data} />}
    </>
  );
}

function BatchResult({ batch }: { batch: BatchResponse }) {
  const { counts } = batch;
  const total = counts.applied + counts.would_apply + counts.replayed + counts.error + counts.not_applied;
  return (
    <section aria-label="Batch result">
      <p role="status" className={batch.failed_rows.length > 0 ? 'error' : 'ok'}>
        {summaryOf(batch, total)}
      </p>
      <dl className="bulk-counts">
        {batch.dry_run ? (
          <>
            <dt>Would apply</dt>
            <dd>{counts.would_apply}</dd>
          </>
        ) : (
          <>
            <dt>Applied</dt>
            <dd>{counts.applied}</dd>
          </>
        )}
        <dt>Replayed</dt>
        <dd>{counts.replayed}</dd>
        <dt>Failed</dt>
        <dd>{counts.error}</dd>
        <dt>Not applied</dt>
        <dd>{counts.not_applied}</dd>
      </dl>
      {batch.failed_rows.length > 0 && (
        <table>
          <caption>Rows in error</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">User</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {batch.failed_rows.map((row) => (
              <tr key={row.index}>
                <td>{lineOf(row.index)}</td>
                <td>{row.user_id}</td>
                <td>{row.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <BatchRows batchId={batch.id} />
    </section>
  );
}

/** What happened, in words: the counts alone do not say that a replayed batch changed nothing. */
function summaryOf(batch: BatchResponse, total: number): string {
  const { counts } = batch;
  if (batch.failed_rows.length > 0) {
    const outcome = batch.dry_run ? 'applying this file would change nothing' : 'nothing was applied';
    return `${counts.error} of ${total} row(s) cannot apply, so ${outcome}: fix the lines below and check again.`;
  }
  if (batch.dry_run) return `Dry run: all ${total} row(s) would apply; nothing changed yet.`;
  if (counts.applied === 0 && counts.replayed === total) {
    return `Already applied: every row (${total}) was replayed; nothing changed.`;
  }
  return `Applied: ${counts.applied} row(s) applied, ${counts.replayed} replayed (already applied before, nothing changed for them).`;
}

/** Every row of the batch with its effect on the balance, a page at a time (the batch's rows route). */
function BatchRows({ batchId }: { batchId: string }) {
  const pages = useCursorPages();
  const rows = useQuery({
    queryKey: ['batch-rows', batchId, pages.cursor],
    queryFn: ({ signal }) =>
      api.get<BatchRowList>(`/adjustments/batches/${batchId}/rows`, { cursor: pages.cursor }, signal),
    retry: false,
  });
  if (rows.isPending) return <Loading label="Loading the rows…" />;
  if (rows.error) return <ErrorMessage error={rows.error} title="The batch's rows could not be read" />;
  return (
    <>
      <table className="bulk-rows">
        <caption>Rows</caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">User</th>
            <th scope="col">Amount</th>
            <th scope="col">Status</th>
            <th scope="col">Balance before</th>
            <th scope="col">Balance after</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {rows.data.data.map((row) => (
            <tr key={row.index}>
              <td>{lineOf(row.index)}</td>
              <td>{row.user_id}</td>
              <td className="number">
                <Money amount={row.amount} />
              </td>
              <td>{row.status.replace('_', ' ')}</td>
              <td className="number">{row.balance_before === null ? '—' : <Money amount={row.balance_before} />}</td>
              <td className="number">{row.balance_after === null ? '—' : <Money amount={row.balance_after} />}</td>
              <td>{row.message ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager pages={pages} nextCursor={rows.data.next_cursor} busy={rows.isFetching} label="Row pages" />
    </>
  );
}
