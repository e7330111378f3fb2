import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { Query } from '../api/client';
import { exportCsv, MAX_EXPORT_PAGES, saveFile } from '../api/csv-export';
import { ErrorMessage } from './error-message';

/**
 * "Export CSV": every row the filter matches, not only the page shown, saved
 * as one file. The API exports a page at a time, so the button reads them
 * all (see exportCsv) and says how far it got while it does.
 */
export function CsvExportButton({
  path,
  query,
  fileName,
  noun,
}: {
  path: string;
  query: Query;
  fileName: string;
  /** What a row is, for the notices: "entries". */
  noun: string;
}) {
  const [progress, setProgress] = useState(0);
  const download = useMutation({
    mutationFn: () => exportCsv(path, query, setProgress),
    onSuccess: (result) => saveFile(result.text, fileName),
  });
  return (
    <div className="csv-export">
      <button
        type="button"
        className="secondary"
        onClick={() => {
          setProgress(0);
          download.mutate();
        }}
        disabled={download.isPending}
      >
        Export CSV
      </button>
      <span role="status" aria-live="polite">
        {download.isPending && `Exporting… ${progress.toLocaleString('en')} ${noun} so far`}
        {download.data &&
          (download.data.truncated
            ? `Exported the first ${download.data.rows.toLocaleString('en')} ${noun} (${MAX_EXPORT_PAGES} pages): narrow the filter for the rest.`
            : `Exported ${download.data.rows.toLocaleString('en')} ${noun}.`)}
      </span>
      {download.error && <ErrorMessage error={download.error} title="The export failed." />}
    </div>
  );
}
