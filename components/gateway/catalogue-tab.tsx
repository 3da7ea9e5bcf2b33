'use client';

import { Fragment, useState } from 'react';
import { Panel } from '@/components/lab/panel';
import type { CatalogueDiffView, CatalogueServiceView } from './api';
import type { AccessState } from './use-access';

type CallNode = CatalogueServiceView['calls'][number];

const METHOD_COLOURS: Record<string, string> = {
  GET: 'text-emerald-300',
  POST: 'text-sky-300',
  PUT: 'text-amber-300',
  PATCH: 'text-amber-300',
  DELETE: 'text-rose-300',
};
const LAYER_COLOURS: Record<CallNode['layer'], string> = {
  controller: 'text-sky-300',
  service: 'text-violet-300',
  repository: 'text-amber-300',
  helper: 'text-slate-400',
};

/** `Class.method` of a handler or call node. */
const where = (node: { class: string | null; method: string }) => (node.class ? `${node.class}.${node.method}` : `${node.method}()`);

/**
 * The catalogue tab: every service the sources declare (extracted statically, never run), with Sync
 * to re-read the sources of v1 or v2 and the diff it found; a row opens its types and call hierarchy.
 */
export function CatalogueTab({ access }: { access: AccessState }) {
  const { catalogue, diff } = access;
  const [open, setOpen] = useState<string | null>(null);
  const added = new Set(diff?.added ?? []);
  const changed = new Set(diff?.changed.map((c) => c.id) ?? []);
  const toggle = (id: string) => setOpen((o) => (o === id ? null : id));

  const sync = (
    <div className="flex items-center gap-2">
      {(['v1', 'v2'] as const).map((v) => (
        <button
          key={v}
          className={`rounded border px-2 py-0.5 text-xs disabled:opacity-40 ${catalogue?.version === v ? 'border-sky-500 text-sky-100' : 'border-slate-600 text-slate-300 hover:border-slate-400'}`}
          disabled={access.busy}
          onClick={() => void access.sync(v)}
          title={`Extract the catalogue again from the sources of version ${v}, then serve that version`}
        >
          Sync {v}
        </button>
      ))}
    </div>
  );

  return (
    <div className={`grid h-full min-h-0 gap-3 ${diff ? 'grid-cols-[minmax(0,3fr)_minmax(0,1fr)]' : 'grid-cols-1'}`}>
      <Panel title="Service catalogue" actions={sync} className="min-w-0" landmark={false}>
        <div className="flex h-full flex-col">
          <p className="border-b border-slate-800 px-3 py-1.5 text-xs text-slate-400" data-testid="catalogue-stats">
            {catalogue
              ? `Revision ${catalogue.revision} · sources ${catalogue.version} · ${catalogue.services.length} services read from ${catalogue.stats.files} files with the TypeScript compiler in ${Math.round(catalogue.stats.ms)} ms${catalogue.stats.cached ? ' (unchanged sources, cached)' : ''}, without running them.`
              : 'Loading the catalogue…'}
          </p>
          <div className="min-h-0 flex-1 overflow-auto" tabIndex={0} role="region" aria-label="Service catalogue">
            <table className="w-full text-left text-xs" data-testid="catalogue">
              <thead className="sticky top-0 bg-slate-900 text-slate-400">
                <tr>
                  <th className="px-3 py-1.5 font-medium">Service</th>
                  <th className="px-2 py-1.5 font-medium">Method and URI</th>
                  <th className="px-2 py-1.5 font-medium">Products</th>
                  <th className="px-2 py-1.5 font-medium">Handler</th>
                  <th className="px-2 py-1.5 font-medium">Request → reply</th>
                  <th className="px-2 py-1.5 font-medium">Errors</th>
                </tr>
              </thead>
              <tbody>
                {catalogue?.services.map((s) => (
                  <Fragment key={s.id}>
                    <tr
                      className={`cursor-pointer border-t border-slate-800 align-top hover:bg-slate-800/50 ${open === s.id ? 'bg-slate-800/60' : ''}`}
                      onClick={() => toggle(s.id)}
                      data-testid="catalogue-row"
                      data-service={s.id}
                    >
                      <td className="whitespace-nowrap px-3 py-1.5">
                        {/* The row takes the click; the button makes it reachable and announced by keyboard. */}
                        <button type="button" aria-expanded={open === s.id} className="text-left">
                          <span className="mr-1 text-slate-400" aria-hidden>
                            {open === s.id ? '▾' : '▸'}
                          </span>
                          <span className="font-mono text-slate-100">{s.id}</span>
                        </button>
                        {added.has(s.id) && <Badge className="bg-emerald-900/70 text-emerald-200">new</Badge>}
                        {changed.has(s.id) && <Badge className="bg-amber-900/70 text-amber-200">changed</Badge>}
                      </td>
                      <td className="px-2 py-1.5 font-mono text-slate-200">
                        <span className={METHOD_COLOURS[s.method] ?? ''}>{s.method}</span> <span className="whitespace-nowrap">{s.uriTemplate}</span>
                      </td>
                      <td className="whitespace-nowrap px-2 py-1.5">{s.products.length ? s.products.join(', ') : <span className="text-rose-300">none</span>}</td>
                      <td className="px-2 py-1.5 font-mono text-slate-300">{where(s.handler)}</td>
                      <td className="px-2 py-1.5 font-mono text-slate-300">
                        {s.request.name} → {s.reply.name}
                      </td>
                      <td className="whitespace-nowrap px-2 py-1.5 font-mono text-slate-400">{s.errors.map((e) => e.status).filter((v, i, a) => a.indexOf(v) === i).join(' ')}</td>
                    </tr>
                    {open === s.id && (
                      <tr className="bg-slate-950/50">
                        <td colSpan={6} className="px-3 py-2">
                          <ServiceDetail service={s} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </Panel>
      {diff && <DiffPanel diff={diff} />}
    </div>
  );
}

function Badge({ className, children }: { className: string; children: string }) {
  return <span className={`ml-2 rounded px-1 text-[0.7rem] ${className}`}>{children}</span>;
}

/** One service opened: summary, where it is handled, its types, declared errors and call hierarchy. */
function ServiceDetail({ service: s }: { service: CatalogueServiceView }) {
  const fields = (t: CatalogueServiceView['request']) => (t.fields.length ? t.fields.map((f) => `${f.name}${f.optional ? '?' : ''}: ${f.type}`).join(', ') : '(none)');
  return (
    <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)] gap-4" data-testid="service-detail">
      <dl className="space-y-1">
        <Item name="Summary">{s.summary}</Item>
        <Item name="Handler">
          <span className="font-mono">
            {where(s.handler)} {s.handler.declaredIn && `(declared in ${s.handler.declaredIn})`} — {s.handler.file}:{s.handler.line}
          </span>
        </Item>
        <Item name={`Request ${s.request.name}`}>
          <span className="font-mono">{fields(s.request)}</span>
        </Item>
        <Item name={`Reply ${s.reply.name} (${s.status})`}>
          <span className="font-mono">{fields(s.reply)}</span>
        </Item>
        <Item name="Declared errors">
          <span className="font-mono">{s.errors.map((e) => `${e.name} ${e.status} ${e.code}`).join(' · ') || '(none)'}</span>
        </Item>
        <Item name="In features">{s.features.join(', ') || 'none: no user can call it until a feature includes it'}</Item>
      </dl>
      <div>
        <p className="mb-1 text-slate-400">Call hierarchy (controller → service → repository)</p>
        <ul className="font-mono" data-testid="call-tree">
          <li className={LAYER_COLOURS.controller}>
            {where(s.handler)} <span className="text-slate-400">controller</span>
          </li>
          {s.calls.length ? <CallTree nodes={s.calls} depth={1} /> : <li className="pl-4 text-slate-400">(calls nothing in the sources{s.protocol === 'soap' ? ': the SOAP host answers' : ''})</li>}
        </ul>
      </div>
    </div>
  );
}

function CallTree({ nodes, depth }: { nodes: CallNode[]; depth: number }) {
  return (
    <>
      {nodes.map((n, i) => (
        <Fragment key={`${n.file}:${n.line}:${i}`}>
          <li className={LAYER_COLOURS[n.layer]} style={{ paddingLeft: `${depth}rem` }} title={`${n.file}:${n.line}`}>
            └ {where(n)} <span className="text-slate-400">{n.layer}{n.recursive ? ' (recursive)' : ''}</span>
          </li>
          {n.calls.length > 0 && <CallTree nodes={n.calls} depth={depth + 1} />}
        </Fragment>
      ))}
    </>
  );
}

function Item({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <div className="flex gap-2">
      <dt className="w-40 shrink-0 text-slate-400">{name}</dt>
      <dd className="min-w-0 break-words text-slate-200">{children}</dd>
    </div>
  );
}

/** What the last Sync found between the two revisions, service by service. */
function DiffPanel({ diff }: { diff: CatalogueDiffView }) {
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const same = !diff.added.length && !diff.removed.length && !diff.changed.length;
  return (
    <Panel title={`Sync: ${diff.from.version} → ${diff.to.version} (revision ${diff.from.revision} → ${diff.to.revision})`} className="min-w-0">
      <div className="h-full space-y-3 overflow-y-auto p-3 text-xs" data-testid="catalogue-diff">
        {same && <p className="text-slate-400">No service changed: the catalogue is the same as before.</p>}
        {diff.added.length > 0 && (
          <section>
            <h3 className="mb-1 font-semibold text-emerald-300">Added ({diff.added.length})</h3>
            <ul className="font-mono text-emerald-200">{diff.added.map((id) => <li key={id}>+ {id}</li>)}</ul>
            <p className="mt-1 text-slate-400">A new service is in no feature yet, so every call to it is denied until a feature includes it.</p>
          </section>
        )}
        {diff.removed.length > 0 && (
          <section>
            <h3 className="mb-1 font-semibold text-rose-300">Removed ({diff.removed.length})</h3>
            <ul className="font-mono text-rose-200">{diff.removed.map((id) => <li key={id}>− {id}</li>)}</ul>
          </section>
        )}
        {diff.changed.length > 0 && (
          <section>
            <h3 className="mb-1 font-semibold text-amber-300">Changed ({diff.changed.length})</h3>
            <ul className="space-y-1.5">
              {diff.changed.map((c) => (
                <li key={c.id}>
                  <span className="font-mono text-amber-200">~ {c.id}</span>
                  <ul className="pl-3 text-slate-300">
                    {c.changes.map((ch) => (
                      <li key={ch.field} className="break-all">
                        <span className="text-slate-400">{ch.field}:</span>{' '}
                        {ch.field === 'calls' ? 'the call hierarchy differs' : (
                          <>
                            <span className="text-rose-300 line-through">{show(ch.before)}</span> → <span className="text-emerald-300">{show(ch.after)}</span>
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </Panel>
  );
}
