'use client';

import { useState } from 'react';
import { classApi } from './class-api';
import { errorBox, field, messageOf, primaryButton } from './styles';

/** The teacher's sign-in: the token printed when the lab starts, traded once for this browser's session. */
export function TeacherSignIn({ onSignedIn }: { onSignedIn(): void }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="mt-6 max-w-xl space-y-3 rounded-lg border border-slate-800 bg-slate-900/60 p-5"
      aria-label="Teacher sign-in"
      data-testid="teacher-sign-in"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        classApi
          .signIn(token.trim())
          .then(onSignedIn)
          .catch((err: unknown) => setError(messageOf(err)))
          .finally(() => setBusy(false));
      }}
    >
      <p className="text-slate-300">
        Sign in with the teacher&apos;s token. The lab prints it when it starts (<span className="font-mono">Teacher: token teach-…</span>), or set
        your own with <span className="font-mono">LAB_TEACHER_TOKEN</span>.
      </p>
      <label className="flex flex-col gap-1 text-sm text-slate-400">
        Teacher&apos;s token
        <input className={`${field} font-mono`} type="password" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" spellCheck={false} required />
      </label>
      <button className={primaryButton} disabled={busy || !token.trim()}>
        Sign in
      </button>
      {error && (
        <p className={errorBox} role="alert" data-testid="teacher-sign-in-error">
          {error}
        </p>
      )}
    </form>
  );
}
