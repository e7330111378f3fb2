/*
 * The buttons the prices and the groups share: a table row's Edit, and a
 * form's Save and Clear.
 */

/** A row's Edit button; its accessible name says which row ("Edit gpt-4o") and starts with the visible "Edit". */
export function RowEditButton({ name, onClick }: { name: string; onClick: () => void }) {
  return (
    <button type="button" className="secondary" aria-label={`Edit ${name}`} onClick={onClick}>
      Edit
    </button>
  );
}

/** Save (its label while pending: "Saving…") and "Clear the form", both off while a save is on its way. */
export function SaveOrClear({
  saveLabel,
  pending,
  onClear,
}: {
  saveLabel: string;
  pending: boolean;
  onClear: () => void;
}) {
  return (
    <div className="form-actions">
      <button type="submit" disabled={pending}>
        {pending ? 'Saving…' : saveLabel}
      </button>
      <button type="button" className="secondary" onClick={onClear} disabled={pending}>
        Clear the form
      </button>
    </div>
  );
}
