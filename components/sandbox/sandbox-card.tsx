'use client';

import { useState, type ReactNode } from 'react';
import type { SandboxReply } from '@/lib/http/sandbox-contracts.ts';
import { sandboxApi } from './sandbox-api';
import type { SandboxState } from './use-sandbox';
import { OpenSandboxForm } from './open-sandbox-form';

const button = 'rounded-md border border-slate-600 px-3 py-1 text-sm text-slate-100 hover:border-slate-400 disabled:opacity-40';
const small = 'shrink-0 rounded border border-slate-700 px-1.5 py-0.5 text-xs text-slate-300 hover:border-sky-500 hover:text-white';

/**
 * The sandbox card: which sandbox this browser is in, the login that puts an external client
 * (swaks, ssh, sftp, FileZilla, curl) in it, its mail domain, and Start / Open… / Leave. Every
 * action reloads the page, so the lab socket reconnects and its events are the new sandbox's.
 */
export function SandboxCard({ state, onClose }: { state: SandboxState; onClose(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);

  // Runs an action, then reloads; a refusal is answered with the API's words (null: done).
  const act = async (action: () => Promise<unknown>): Promise<string | null> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      location.reload();
      return null;
    } catch (e) {
      setBusy(false);
      return (e as Error).message;
    }
  };
  const actHere = async (action: () => Promise<unknown>) => setError(await act(action));

  const reply = state.kind === 'in' ? state.reply : null;
  return (
    <div className="space-y-3 text-sm">
      <div className="flex items-start gap-3">
        <h2 className="text-base font-semibold text-white">
          {reply ? (
            <>
              {reply.shared ? 'Shared sandbox' : 'Your sandbox'} <span className="font-mono text-emerald-300" data-testid="sandbox-id">{reply.sandbox}</span>
            </>
          ) : (
            'No sandbox yet'
          )}
        </h2>
        <button className="ml-auto text-slate-400 hover:text-white" onClick={onClose} aria-label="Close the sandbox card">
          ✕
        </button>
      </div>
      <p className="text-slate-300">
        Each sandbox has its own mailbox, files, transcripts, step mode and faults; external clients land in it by logging in with this login.
        {reply?.shared && ' This one is the machine’s own: every browser without a sandbox of its own shares it.'}
      </p>
      {state.kind === 'none' && <p className="text-amber-200">{state.message}</p>}
      {reply && <LoginFacts reply={reply} />}
      {error && (
        <p className="rounded border border-red-800 bg-red-950/50 px-2 py-1 text-red-200" role="alert">
          {error}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <button
          className={`${button} border-sky-500 bg-sky-500/10 text-sky-100`}
          disabled={busy}
          onClick={() => void actHere(sandboxApi.create)}
          title={reply && !reply.shared ? 'A new, empty sandbox; this one stays, reopenable with its id and password' : 'A new, empty sandbox of your own'}
        >
          Start my own sandbox
        </button>
        <button className={button} disabled={busy} onClick={() => setOpening(!opening)} aria-expanded={opening}>
          Open a sandbox…
        </button>
        {reply && !reply.shared && (
          <button className={button} disabled={busy} onClick={() => void actHere(sandboxApi.leave)} title="Back to the machine’s shared sandbox; yours stays, reopenable with its id and password">
            Leave this sandbox
          </button>
        )}
      </div>
      {opening && <OpenSandboxForm busy={busy} onOpen={(id, password) => act(() => sandboxApi.open(id, password))} onCancel={() => setOpening(false)} />}
    </div>
  );
}

/** The login and mail domain, each with Copy; the password stays hidden until Show (a projector is watching). */
function LoginFacts({ reply }: { reply: SandboxReply }) {
  const [shown, setShown] = useState(false);
  return (
    <dl className="grid grid-cols-[auto_minmax(0,1fr)] items-center gap-x-3 gap-y-1.5 rounded-md border border-slate-800 bg-slate-900/60 p-3">
      <dt className="text-slate-400">user</dt>
      <Fact value={reply.user} testId="sandbox-user" />
      <dt className="text-slate-400">password</dt>
      <Fact value={reply.password} testId="sandbox-password" display={shown ? reply.password : '••••••••'}>
        <button className={small} onClick={() => setShown(!shown)} aria-pressed={shown}>
          {shown ? 'Hide' : 'Show'}
        </button>
      </Fact>
      <dt className="text-slate-400">mail</dt>
      <dd className="min-w-0 text-slate-300">
        mail to <code className="break-all text-slate-100" data-testid="sandbox-mail-domain">anything@{reply.mailDomain}</code> arrives here
      </dd>
    </dl>
  );
}

function Fact({ value, display = value, testId, children }: { value: string; display?: string; testId: string; children?: ReactNode }) {
  return (
    <dd className="flex min-w-0 items-center gap-2">
      <code className="min-w-0 flex-1 break-all font-mono text-slate-100" data-testid={testId}>
        {display}
      </code>
      {children}
      <CopyButton value={value} />
    </dd>
  );
}

function CopyButton({ value }: { value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      className={small}
      onClick={() =>
        void navigator.clipboard?.writeText(value).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}
