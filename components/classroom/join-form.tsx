'use client';

import { useState } from 'react';
import { ApiError } from '@/lib/http/contract.ts';
import { classApi } from './class-api';
import { errorBox, field, messageOf, noticeBox, primaryButton } from './styles';

/** How long "You are already in this class" shows before the class page opens. */
const ALREADY_PAUSE_MS = 2500;

/** Why a join failed, in words a student can act on (the API's own text, and what to do about it). */
function refusal(err: unknown): string {
  if (err instanceof ApiError && err.status === 429) return `${err.message} Ask your teacher.`;
  return messageOf(err);
}

/**
 * A student joins a class: the code on the projector and a name for the roster. The answer gives
 * this browser a sandbox of its own in the class (its cookie); the class page then opens.
 */
export function JoinForm() {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [already, setAlready] = useState<string | null>(null);
  // Spaces a student types between the code's halves, as it is read aloud ("K7QM 2XPA"), are not part of it.
  const typedCode = code.replace(/\s+/g, '');
  return (
    <form
      className="mt-6 max-w-xl space-y-4 rounded-lg border border-slate-800 bg-slate-900/60 p-5"
      aria-label="Join a class"
      data-testid="join-form"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        classApi
          .join(typedCode, name.trim())
          .then((joined) => {
            // Joining again keeps this browser's sandbox: say so (the name may differ from the one typed), then go on.
            if (joined.membership === 'already') {
              setAlready(`You are already in this class as ${joined.name}. Opening your class page…`);
              window.setTimeout(() => window.location.assign('/class'), ALREADY_PAUSE_MS);
              return;
            }
            // A full page load, so the lab socket opens in the new sandbox.
            window.location.assign('/class');
          })
          .catch((err: unknown) => {
            setError(refusal(err));
            setBusy(false);
          });
      }}
    >
      <label className="flex flex-col gap-1 text-slate-300">
        Class code
        <input
          className={`${field} font-mono text-3xl uppercase tracking-widest placeholder:text-slate-700`}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          placeholder="K7QM-2XPA"
          maxLength={9}
          autoComplete="off"
          spellCheck={false}
          autoFocus
          required
        />
      </label>
      <label className="flex flex-col gap-1 text-slate-300">
        Your name
        <input className={`${field} text-lg`} value={name} onChange={(e) => setName(e.target.value)} placeholder="as your teacher should see it" maxLength={40} autoComplete="off" required />
      </label>
      <button className={`${primaryButton} text-lg`} disabled={busy || typedCode.length < 8 || !name.trim()}>
        {busy ? 'Joining…' : 'Join'}
      </button>
      {already && (
        <p className={noticeBox} role="status" data-testid="join-already">
          {already}
        </p>
      )}
      {error && (
        <p className={errorBox} role="alert" data-testid="join-error">
          {error}
        </p>
      )}
    </form>
  );
}
