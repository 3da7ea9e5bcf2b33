'use client';

import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { sshApi, type Faults, type HostKey } from './api';

const button = 'rounded-md border px-3 py-1 text-sm disabled:opacity-40';

function Card({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-800 bg-slate-950/60 p-3">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="text-sm font-semibold text-slate-100">{title}</h3>
        <div className="ml-auto">{action}</div>
      </div>
      <div className="mt-1 space-y-1 text-xs text-slate-400">{children}</div>
    </section>
  );
}

/** The lab's faults: a changed host key (MITM lesson), a stale known_hosts line, restricted algorithms, a wrong password. */
export function FaultsPanel(props: { knownHostsName: string; hostKeys: HostKey[]; refreshKey: number; onChanged(): void; onConnect(): void; canConnect: boolean }) {
  const keys = props.hostKeys;
  const [faults, setFaults] = useState<Faults | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    void sshApi
      .faults()
      .then(setFaults)
      .catch((e: Error) => setNote(e.message));
  }, []);
  useEffect(load, [load, props.refreshKey]);

  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    try {
      setNote(await work());
    } catch (e) {
      setNote((e as Error).message);
    } finally {
      setBusy(false);
      load();
      props.onChanged();
    }
  };

  const connect = (
    <button className={`${button} border-sky-500 text-sky-200 hover:bg-sky-500/10`} disabled={!props.canConnect} onClick={props.onConnect}>
      Connect now
    </button>
  );

  return (
    <div className="space-y-3" data-testid="faults-panel">
      {note && (
        <p className="flex items-center gap-3 rounded border border-amber-700 bg-amber-950/40 px-3 py-1.5 text-sm text-amber-100" role="status">
          <span className="flex-1">{note}</span>
          {connect}
        </p>
      )}
      <Card
        title="1. Rotate the server’s host key"
        action={
          <button
            className={`${button} border-red-600 text-red-200 hover:bg-red-500/10`}
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await sshApi.rotateHostKey();
                return 'New host keys generated. Connect again: the client finds a different key than the one in known_hosts.';
              })
            }
          >
            Rotate host key
          </button>
        }
      >
        <p>
          The server gets new host keys, as if it were reinstalled — or as if someone were in the middle. The next connect prints OpenSSH’s{' '}
          <span className="text-red-300">WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!</span> and ends in “Host key verification failed.”
        </p>
        <ul className="font-mono text-slate-300">
          {keys.map((k) => (
            <li key={k.type}>
              {k.type} {k.fingerprint}
            </li>
          ))}
        </ul>
      </Card>
      <Card
        title="2. Remove the stale known_hosts line"
        action={
          <button
            className={`${button} border-slate-500 text-slate-100 hover:bg-slate-700/40`}
            disabled={busy}
            onClick={() =>
              void run(async () => {
                const r = await sshApi.removeKnownHost(props.knownHostsName);
                return r.removed.length
                  ? `Removed line ${r.removed.join(', ')} for ${props.knownHostsName}. The next connect asks again, like the first time.`
                  : `known_hosts has no line for ${props.knownHostsName}.`;
              })
            }
          >
            Remove from known_hosts
          </button>
        }
      >
        <p>
          Only after checking the new fingerprint out of band! This is what <code className="text-slate-200">ssh-keygen -R &quot;{props.knownHostsName}&quot;</code> does — you can also type that in the terminal.
        </p>
      </Card>
      <Card
        title="3. Restrict algorithms"
        action={
          <label className="flex cursor-pointer items-center gap-2 text-sm text-slate-200">
            <input
              type="checkbox"
              className="h-4 w-4 accent-red-500"
              checked={faults?.restrictAlgorithms ?? false}
              disabled={busy || !faults}
              onChange={(e) => {
                const enabled = e.target.checked;
                void run(async () => {
                  await sshApi.restrictAlgorithms(enabled);
                  return enabled
                    ? 'The server now offers only diffie-hellman-group14-sha1. Connect: “Unable to negotiate … no matching key exchange method found”.'
                    : 'The server offers its normal algorithms again.';
                });
              }}
            />
            Server offers only an old SHA-1 key exchange
          </label>
        }
      >
        <p>No algorithm in common means no connection: the Algorithm negotiation step fails (RFC 4253 §7.1).</p>
        {faults && <p className="break-all font-mono text-slate-300">server kex offer: {faults.kexOffer.join(', ')}</p>}
      </Card>
      <Card title="4. Wrong password">
        <p>
          Nothing to switch on: just type a wrong password at the prompt. The server answers <code className="text-slate-200">USERAUTH_FAILURE</code> with the methods that can
          continue (publickey,password); after three tries the client gives up with “Permission denied”. Watch the Log in step.
        </p>
      </Card>
    </div>
  );
}
