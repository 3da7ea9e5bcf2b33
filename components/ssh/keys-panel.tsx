'use client';

import { useCallback, useEffect, useState } from 'react';
import { keyTypeLabel } from '@/lib/protocols/ssh/key-type.ts';
import { sshApi, type AuthorizedKey, type HostKey, type KnownHostLine, type UserKey } from './api';

const button = 'rounded border border-slate-600 px-2 py-0.5 text-xs text-slate-200 hover:border-slate-400 disabled:opacity-40';

/**
 * The server's host keys by their fingerprints, as OpenSSH prints them ("ED25519 key fingerprint is
 * SHA256:…") and ssh-keyscan | ssh-keygen -lf - computes them: what a student compares on first contact.
 */
export function ServerHostKeys({ keys, error, knownHostsName }: { keys: HostKey[] | null; error: string | null; knownHostsName: string }) {
  return (
    <section data-testid="server-host-keys">
      <h3 className="text-sm font-semibold text-slate-200">
        The server’s host keys <span className="font-normal text-slate-400">— compare the fingerprint ssh shows for {knownHostsName}</span>
      </h3>
      {error && <p className="text-xs text-red-300">{error}</p>}
      {keys === null ? (
        !error && <p className="text-xs text-slate-400">Loading…</p>
      ) : (
        <ul className="mt-1 space-y-1">
          {keys.map((k) => (
            <li key={k.type} className="rounded bg-slate-950 px-2 py-1 font-mono text-xs">
              <span className="text-slate-400">{keyTypeLabel(k.type)} key fingerprint is </span>
              {/* Never broken inside: the student compares it character by character. */}
              <span className="whitespace-nowrap text-emerald-200" data-testid="server-fingerprint">
                {k.fingerprint}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** known_hosts lines (OpenSSH format) of the browser terminal, with a remove button per line. */
export function KnownHostsList({ refreshKey, hostKeys, onChange }: { refreshKey: number; hostKeys?: HostKey[] | null; onChange?(): void }) {
  const [lines, setLines] = useState<KnownHostLine[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    sshApi
      .knownHosts()
      .then((r) => setLines(r.lines))
      .catch((e: Error) => setError(e.message));
  }, []);
  useEffect(load, [load, refreshKey]);

  return (
    <section data-testid="known-hosts">
      <h3 className="text-sm font-semibold text-slate-200">
        known_hosts <span className="font-normal text-slate-400">— ~/.ssh/known_hosts of the browser terminal</span>
      </h3>
      {error && <p className="text-xs text-red-300">{error}</p>}
      {lines === null ? (
        <p className="text-xs text-slate-400">Loading…</p>
      ) : lines.length === 0 ? (
        <p className="mt-1 text-xs text-slate-400">Empty: the next connect asks “Are you sure you want to continue connecting?”.</p>
      ) : (
        <ol className="mt-1 space-y-1">
          {lines.map((l) => (
            <li key={l.id} className="flex items-start gap-2 rounded bg-slate-950 px-2 py-1">
              <span className="w-4 shrink-0 text-right font-mono text-xs text-slate-400">{l.line}</span>
              <span className="min-w-0 flex-1">
                <code className="block break-all font-mono text-xs text-slate-200">{l.text}</code>
                <KnownHostVerdict line={l} hostKeys={hostKeys} />
              </span>
              <button
                className={button}
                title="Remove this line (like ssh-keygen -R)"
                onClick={() =>
                  void sshApi
                    .removeKnownHostLine(l.line)
                    .then((r) => (setLines(r.lines), onChange?.()))
                    .catch((e: Error) => setError(e.message))
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Whether a known_hosts line holds the server's current key of its type (a stale one fails the next connect). */
function KnownHostVerdict({ line, hostKeys }: { line: KnownHostLine; hostKeys?: HostKey[] | null }) {
  const current = hostKeys?.find((k) => k.type === line.keyType);
  if (!current) return null;
  return current.publicKey === `${line.keyType} ${line.keyBase64}` ? (
    <span className="text-xs text-emerald-300" data-testid="known-host-verdict">
      the server’s current {keyTypeLabel(line.keyType)} key
    </span>
  ) : (
    <span className="text-xs text-red-300" data-testid="known-host-verdict">
      not the server’s current {keyTypeLabel(line.keyType)} key: the next connect warns “REMOTE HOST IDENTIFICATION HAS CHANGED!”
    </span>
  );
}

/** Key pairs for the student and the server's authorized_keys. */
export function KeysPanel({ refreshKey, onUseKey }: { refreshKey: number; onUseKey?(name: string): void }) {
  const [keys, setKeys] = useState<UserKey[]>([]);
  const [authorized, setAuthorized] = useState<AuthorizedKey[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [paste, setPaste] = useState('');
  const [copied, setCopied] = useState<string | null>(null);

  const load = useCallback(() => {
    void Promise.all([sshApi.keys(), sshApi.authorizedKeys()])
      .then(([k, a]) => {
        setKeys(k.keys);
        setAuthorized(a.keys);
      })
      .catch((e: Error) => setError(e.message));
  }, []);
  useEffect(load, [load, refreshKey]);

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
      load();
    }
  };

  return (
    <div className="space-y-4" data-testid="keys-panel">
      <section>
        <div className="flex items-center gap-2">
          <h3 className="text-sm font-semibold text-slate-200">Your key pairs</h3>
          <button className={`${button} ml-auto border-sky-600 text-sky-200`} disabled={busy} onClick={() => void run(() => sshApi.generateKey())}>
            Generate ed25519 key pair
          </button>
        </div>
        <p className="mt-1 text-xs text-slate-400">
          A new key is added to authorized_keys. The terminal uses it only when you ask — <code>ssh -i NAME …</code> or “Log in with this key” — so the
          password prompt (and a wrong password) still work; with the key you see publickey: query → PK_OK → signature. Download the private key to use it
          with a real <code>ssh -i</code>.
        </p>
        {keys.length === 0 && <p className="mt-1 text-xs text-slate-400">No key yet.</p>}
        <ul className="mt-1 space-y-2">
          {keys.map((k) => (
            <li key={k.id} className="rounded border border-slate-800 bg-slate-950 p-2 text-xs" data-testid="user-key">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-mono text-slate-200">{k.name}</span>
                <span className="font-mono text-slate-400">{k.fingerprint}</span>
                <span className="ml-auto flex gap-1">
                  {onUseKey && (
                    <button className={`${button} border-sky-600 text-sky-200`} onClick={() => onUseKey(k.name)}>
                      Log in with this key
                    </button>
                  )}
                  <button className={button} onClick={() => void navigator.clipboard?.writeText(k.publicKey).then(() => setCopied(k.id))}>
                    {copied === k.id ? 'Copied' : 'Copy public key'}
                  </button>
                  <a className={`${button} border-amber-600 text-amber-200`} href={k.privateKeyUrl} download={k.name}>
                    Download private key
                  </a>
                </span>
              </div>
              <code className="mt-1 block break-all font-mono text-slate-300">{k.publicKey}</code>
            </li>
          ))}
        </ul>
      </section>

      <section>
        <h3 className="text-sm font-semibold text-slate-200">
          authorized_keys <span className="font-normal text-slate-400">— on the server, for your sandbox’s login</span>
        </h3>
        {authorized.length === 0 ? (
          <p className="mt-1 text-xs text-slate-400">Empty: only the password works.</p>
        ) : (
          <ol className="mt-1 space-y-1">
            {authorized.map((a) => (
              <li key={a.id} className="flex items-start gap-2 rounded bg-slate-950 px-2 py-1">
                <code className="min-w-0 flex-1 break-all font-mono text-xs text-slate-200">{a.line}</code>
                <button className={button} onClick={() => void run(() => sshApi.removeAuthorizedKey(a.id))}>
                  Remove
                </button>
              </li>
            ))}
          </ol>
        )}
        <form
          className="mt-2 flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            const line = paste.trim();
            if (line) void run(() => sshApi.addAuthorizedKey(line)).then(() => setPaste(''));
          }}
        >
          <input
            value={paste}
            onChange={(e) => setPaste(e.target.value)}
            aria-label="Public key to authorize"
            placeholder="paste your own public key (ssh-ed25519 AAAA… you@host)"
            className="min-w-0 flex-1 rounded border border-slate-700 bg-slate-950 px-2 py-0.5 font-mono text-xs"
          />
          <button className={button} type="submit" disabled={busy || !paste.trim()}>
            Add
          </button>
        </form>
      </section>
      {error && <p className="text-xs text-red-300">{error}</p>}
    </div>
  );
}
