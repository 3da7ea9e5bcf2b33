'use client';

import { useRef, useState } from 'react';
import { errorText, sessionsApi, type ImportReply } from './api';

/** Import: a file picker for a JSON export or a .pcapng capture; reports what came in. */
export function ImportButton({ onImported }: { onImported(reply: ImportReply): void }) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      <input
        ref={input}
        type="file"
        accept=".json,.pcapng,application/json"
        className="sr-only"
        aria-label="Import a JSON export or a pcapng file"
        data-testid="import-file"
        onChange={async (e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (!file) return;
          setBusy(true);
          setError(null);
          try {
            onImported(await sessionsApi.importFile(file));
          } catch (err) {
            setError(`${file.name}: ${errorText(err)}`);
          } finally {
            setBusy(false);
          }
        }}
      />
      <button
        type="button"
        className="rounded-md border border-slate-600 px-3 py-1 text-sm hover:border-slate-400 disabled:opacity-40"
        disabled={busy}
        onClick={() => input.current?.click()}
        title="A JSON export of this lab, or a pcapng capture (SMTP, FTP, SSH, HTTP on the lab's ports)"
      >
        {busy ? 'Importing…' : 'Import…'}
      </button>
      {error && (
        <span className="text-sm text-red-300" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
