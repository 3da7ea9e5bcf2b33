'use client';

import { useState } from 'react';

const field = 'rounded border border-slate-700 bg-slate-900 px-2 py-1 font-mono text-sm text-slate-100';

/**
 * "Open a sandbox…": a sandbox's id and password, as its card shows them on another machine.
 * `onOpen` answers null once opened (the page then reloads) or the API's refusal, shown here.
 */
export function OpenSandboxForm(props: { busy: boolean; onOpen(id: string, password: string): Promise<string | null>; onCancel(): void }) {
  const [id, setId] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="space-y-2 rounded-md border border-slate-800 p-3"
      aria-label="Open a sandbox"
      data-testid="sandbox-open-form"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        void props.onOpen(id.trim().toLowerCase(), password.trim()).then(setError);
      }}
    >
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col gap-1 text-xs text-slate-400">
          sandbox id
          <input className={`${field} w-28`} value={id} onChange={(e) => setId(e.target.value)} placeholder="k3xm9p" maxLength={6} autoComplete="off" spellCheck={false} required />
        </label>
        <label className="flex min-w-0 flex-1 flex-col gap-1 text-xs text-slate-400">
          password
          <input className={`${field} w-full`} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" required />
        </label>
        <button className="rounded-md border border-sky-500 bg-sky-500/10 px-3 py-1 text-sm text-sky-100 disabled:opacity-40" disabled={props.busy || !id.trim() || !password.trim()}>
          Open
        </button>
        <button type="button" className="rounded-md border border-slate-600 px-3 py-1 text-sm" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
      {error && (
        <p className="rounded border border-red-800 bg-red-950/50 px-2 py-1 text-sm text-red-200" role="alert" data-testid="sandbox-open-error">
          {error}
        </p>
      )}
    </form>
  );
}
