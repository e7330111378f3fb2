import { useState } from 'react';

/**
 * The full key of a key just created, shown this once: the server keeps only
 * a hash. It lives in the creating form's state alone (no query cache, no
 * storage), so leaving the page forgets it.
 */
export function CreatedKeyNotice({ label, secret, onHide }: { label: string; secret: string; onHide: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <div className="notice applied created-key" role="status">
      <p>
        <strong>Created {label}.</strong> Copy the key now: it will not be shown again.
      </p>
      <p>
        <code className="created-key-value" aria-label="The new key">
          {secret}
        </code>
      </p>
      <p className="created-key-actions">
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" className="secondary" onClick={onHide}>
          Hide the key
        </button>
        {copied === 'yes' && <span>Copied to the clipboard.</span>}
        {copied === 'failed' && <span>Could not copy: select the key and copy it yourself.</span>}
      </p>
    </div>
  );
}
