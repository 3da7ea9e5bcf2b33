'use client';

import type { ReactNode } from 'react';
import { Segmented } from '@/components/lab/tab-bar';
import { policyApi, type ClientSettings, type PolicyState, type ProviderSettings, type RmVersion } from './api';
import { time } from './format';
import type { PolicyModel } from './use-policy';

const row = 'flex flex-wrap items-center gap-x-3 gap-y-1';
const label = 'w-28 shrink-0 text-xs text-slate-400';

function Field(props: { name: string; children: ReactNode; hint?: string }) {
  return (
    <div className={row} title={props.hint}>
      <span className={label}>{props.name}</span>
      {props.children}
    </div>
  );
}

function Check(props: { label: string; checked: boolean; disabled?: boolean; onChange(on: boolean): void; hint?: string }) {
  return (
    <label className="flex cursor-pointer items-center gap-1.5 text-sm text-slate-200" title={props.hint}>
      <input type="checkbox" className="h-4 w-4 accent-sky-400" checked={props.checked} disabled={props.disabled} onChange={(e) => props.onChange(e.target.checked)} />
      {props.label}
    </label>
  );
}

/** The provider admin: what the Orders service publishes (and enforces), live. */
export function ProviderAdmin({ model }: { model: PolicyModel }) {
  const s = model.state?.provider.settings;
  if (!s) return <p className="p-3 text-sm text-slate-400">Loading…</p>;
  const set = (change: Partial<ProviderSettings>) => void model.run('provider', () => policyApi.provider(change));
  const busy = model.busy !== null;
  return (
    <div className="space-y-2 p-3" data-testid="provider-admin">
      <Field name="WS-Addressing" hint="wsam:Addressing at wsdl:port: published and enforced (MessageAddressingHeaderRequired)">
        <Segmented
          label="Provider WS-Addressing"
          value={s.addressing ? 'on' : 'off'}
          options={[
            ['on', 'require'],
            ['off', 'drop'],
          ]}
          onChange={(v) => set({ addressing: v === 'on' })}
        />
      </Field>
      <Field name="WS-RM offered" hint="The alternatives under wsp:ExactlyOne at wsdl:binding">
        <Segmented
          label="Provider WS-RM"
          value={s.rm}
          options={[
            ['both', 'both'],
            ['1.1', '1.1 only'],
            ['1.0', '1.0 only'],
            ['none', 'none'],
          ]}
          onChange={(rm) => set({ rm })}
        />
      </Field>
      <Field name="wsp:ExactlyOne">
        <Check label="publish it empty (no alternative)" checked={s.empty} disabled={busy} onChange={(empty) => set({ empty })} hint="WS-Policy 1.5 Framework §4.3.3: an empty ExactlyOne admits no behaviour" />
      </Field>
      <p className="text-xs text-slate-400">Changes apply at once to the WSDL and to what the service accepts. The client does not hear of it: its cached policy is stale until a call faults or you refresh.</p>
    </div>
  );
}

/** The client's policy set: what it supports, strict or lax, the dispatch rule. */
export function ClientEditor({ model }: { model: PolicyModel }) {
  const c = model.state?.client;
  if (!c) return <p className="p-3 text-sm text-slate-400">Loading…</p>;
  const set = (change: Partial<ClientSettings>) => void model.run('client', () => policyApi.client(change));
  const busy = model.busy !== null;
  const rm = (v: RmVersion, on: boolean) => set({ rm: on ? [...new Set([...c.rm, v])] : c.rm.filter((x) => x !== v) });
  return (
    <div className="space-y-2 p-3" data-testid="client-editor">
      <Field name="Supports">
        <Check label="WS-Addressing" checked={c.addressing} disabled={busy} onChange={(addressing) => set({ addressing })} />
        <Check label="RM 1.1" checked={c.rm.includes('1.1')} disabled={busy} onChange={(on) => rm('1.1', on)} />
        <Check label="RM 1.0" checked={c.rm.includes('1.0')} disabled={busy} onChange={(on) => rm('1.0', on)} />
        <Check label="MTOM" checked={c.mtom} disabled={busy} onChange={(mtom) => set({ mtom })} />
        <Check label="log:Logging" checked={c.logging} disabled={busy} onChange={(logging) => set({ logging })} hint="The provider's ignorable assertion" />
      </Field>
      <Field name="Intersection" hint="WS-Policy 1.5 Framework §4.5">
        <Segmented
          label="Intersection mode"
          value={c.mode}
          options={[
            ['lax', 'lax'],
            ['strict', 'strict'],
          ]}
          onChange={(mode) => set({ mode })}
        />
        <span className="text-xs text-slate-400">{c.mode === 'lax' ? 'unmatched wsp:Ignorable assertions pass' : 'every assertion must be matched'}</span>
      </Field>
      <Field name="Dispatch client">
        <Check
          label="operation policies must be the same for all operations"
          checked={c.dispatch}
          disabled={busy}
          onChange={(dispatch) => set({ dispatch })}
          hint="The seed's JAX-WS Dispatch rule (CWPOL0106E)"
        />
      </Field>
      <p className="text-xs text-slate-400">Changing the set recomputes with the cached provider policy; nothing goes on the wire. Transport settings (HTTP, TLS) stay client configuration here, as in the seed's WebSphere client, which does not take them from the provider; a policy can still require HTTPS (WS-SecurityPolicy's sp:TransportBinding with sp:HttpsToken, the example of WS-Policy 1.5 Framework §4.3.2).</p>
    </div>
  );
}

/** One line, on every tab: where the cached provider policy came from and when, and the refresh. */
export function CacheBar({ model, state }: { model: PolicyModel; state: PolicyState | null }) {
  const cache = state?.cache;
  const via = state?.client.via ?? 'get';
  const busy = model.busy !== null;
  const button = 'rounded-md border px-3 py-0.5 text-sm disabled:opacity-40';
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-md border border-slate-800 bg-slate-900/60 px-3 py-1.5 text-sm" data-testid="cache-bar">
      <span className="font-semibold text-slate-200">Cached provider policy:</span>
      <span data-testid="cache-state" className={cache?.cached ? 'text-slate-200' : 'text-amber-300'}>
        {cache?.cached ? (
          <>
            by <b>{cache.via === 'mex' ? 'WS-MEX GetMetadata' : 'GET ?wsdl'}</b> at {time(cache.fetchedAt)}
          </>
        ) : (
          'empty: fetched on the first call, or now'
        )}
        {cache?.refresh && <span className="ml-2 rounded bg-amber-500/15 px-1.5 text-xs text-amber-200">refreshProviderPolicy set</span>}
      </span>
      <span className="ml-auto flex items-center gap-2 text-xs text-slate-400">
        fetch by
        <Segmented
          label="Fetch the provider policy by"
          value={via}
          options={[
            ['get', 'GET ?wsdl'],
            ['mex', 'WS-MEX'],
          ]}
          onChange={(v) => void model.run('client', () => policyApi.client({ via: v }))}
        />
      </span>
      <button className={`${button} border-sky-600 text-sky-100 hover:bg-sky-500/10`} disabled={busy} onClick={() => void model.run('fetch', () => policyApi.refresh(true))}>
        {model.busy === 'fetch' ? 'Fetching…' : cache?.cached ? 'Refresh provider policy' : 'Fetch provider policy'}
      </button>
      <button
        className={`${button} border-slate-600 text-slate-200 hover:border-slate-400`}
        disabled={busy || cache?.refresh}
        title="The seed's refreshProviderPolicy property: the next call re-fetches and recomputes first"
        onClick={() => void model.run('flag', () => policyApi.refresh(false))}
      >
        Refresh on next call
      </button>
    </div>
  );
}
