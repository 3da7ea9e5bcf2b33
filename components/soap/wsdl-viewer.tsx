'use client';

import { useState, type ReactNode } from 'react';
import { Panel } from '@/components/lab/panel';
import type { WsdlSummary } from './api';

const chip = 'rounded bg-slate-800 px-1.5 py-0.5 font-mono text-xs text-slate-200';

/** One part of the WSDL with the lab's explanation and the concrete values from this service. */
function Section(props: { element: string; layer: 'abstract' | 'concrete'; explain: string; ref_?: string; children: ReactNode }) {
  return (
    <section className="rounded-md border border-slate-800 bg-slate-950/40 p-3" aria-label={props.element}>
      <header className="flex items-baseline gap-2">
        <h3 className="font-mono text-sm font-semibold text-sky-300">&lt;wsdl:{props.element}&gt;</h3>
        <span className={`rounded px-1.5 text-xs ${props.layer === 'abstract' ? 'bg-violet-500/15 text-violet-300' : 'bg-emerald-500/15 text-emerald-300'}`}>
          {props.layer === 'abstract' ? 'abstract: what' : 'concrete: how and where'}
        </span>
        {props.ref_ && <span className="ml-auto text-xs text-slate-400">{props.ref_}</span>}
      </header>
      <p className="mt-1 text-sm text-slate-300">{props.explain}</p>
      <div className="mt-2 text-sm">{props.children}</div>
    </section>
  );
}

/** The WSDL tab: each part of the Calendar service's WSDL explained, and the document itself. */
export function WsdlViewer({ wsdl }: { wsdl: WsdlSummary | null }) {
  const [showRaw, setShowRaw] = useState(true);
  if (!wsdl) return <p className="p-4 text-sm text-slate-400">Loading the WSDL…</p>;
  return (
    <div className={`grid h-full min-h-0 gap-3 ${showRaw ? 'grid-cols-[minmax(0,1.1fr)_minmax(0,1fr)]' : 'grid-cols-1'}`}>
      <Panel
        title="The WSDL, part by part"
        landmark={false}
        actions={
          <>
            <span className="truncate text-xs text-slate-400">{wsdl.style}</span>
            {!showRaw && (
              <button className="rounded border border-slate-700 px-2 py-0.5 text-xs text-slate-300 hover:text-white" onClick={() => setShowRaw(true)}>
                Show raw WSDL
              </button>
            )}
          </>
        }
      >
        <div className="h-full space-y-3 overflow-y-auto p-3" data-testid="wsdl-parts" tabIndex={0} role="region" aria-label="The WSDL, part by part">
          <p className="text-sm text-slate-300">
            A WSDL describes a service in two layers: the <span className="text-violet-300">abstract</span> interface (which messages exist and which operations
            exchange them) and its <span className="text-emerald-300">concrete</span> bindings (SOAP 1.1 or 1.2 over HTTP) and addresses. Tools such as SoapUI
            and the <code>soap</code> package read it to build requests. Target namespace <code className={chip}>{wsdl.targetNamespace}</code>
          </p>
          <Section element="types" layer="abstract" explain={wsdl.types.explain} ref_={wsdl.types.ref}>
            <div className="flex flex-wrap gap-1">{wsdl.types.elements.map((e) => <code key={e} className={chip}>{e}</code>)}</div>
          </Section>
          <Section element="message" layer="abstract" explain={wsdl.messages.explain} ref_={wsdl.messages.ref}>
            <div className="flex flex-wrap gap-1">{wsdl.messages.names.map((e) => <code key={e} className={chip}>{e}</code>)}</div>
          </Section>
          <Section element="portType" layer="abstract" explain={wsdl.portType.explain} ref_={wsdl.portType.ref}>
            <p className="mb-1 text-xs text-slate-400">
              <code className={chip}>{wsdl.portType.name}</code>
            </p>
            <table className="w-full text-xs">
              <thead className="text-left text-slate-400">
                <tr>
                  <th className="py-1 pr-2 font-normal">operation</th>
                  <th className="py-1 pr-2 font-normal">input</th>
                  <th className="py-1 pr-2 font-normal">output</th>
                  <th className="py-1 font-normal">fault</th>
                </tr>
              </thead>
              <tbody>
                {wsdl.operations.map((o) => (
                  <tr key={o.name} className="border-t border-slate-800 align-top">
                    <td className="py-1 pr-2">
                      <code className="text-sky-200">{o.name}</code>
                      <div className="text-slate-400">{o.documentation}</div>
                    </td>
                    <td className="py-1 pr-2 font-mono text-slate-300">{o.input.parts.map((p) => `${p.name}: ${p.type}`).join(', ')}</td>
                    <td className="py-1 pr-2 font-mono text-slate-300">{o.output.parts.map((p) => `${p.name}: ${p.type}`).join(', ')}</td>
                    <td className="py-1 font-mono text-slate-300">{o.fault.name}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Section>
          <Section element="binding" layer="concrete" explain={wsdl.bindings[0].explain} ref_={wsdl.bindings[0].ref}>
            <div className="grid grid-cols-2 gap-2">
              {wsdl.bindings.map((b) => (
                <dl key={b.name} className="grid grid-cols-[6rem_1fr] gap-x-2 gap-y-0.5 rounded border border-slate-800 p-2 text-xs">
                  <dt className="col-span-2 mb-1 font-mono text-sm text-slate-100">{b.name}</dt>
                  <dt className="text-slate-400">SOAP</dt>
                  <dd>{b.soapVersion}</dd>
                  <dt className="text-slate-400">content type</dt>
                  <dd className="font-mono">{b.contentType}</dd>
                  <dt className="text-slate-400">action in</dt>
                  <dd>{b.actionCarrier}</dd>
                  <dt className="text-slate-400">namespace</dt>
                  <dd className="break-all font-mono text-slate-300">{b.namespace}</dd>
                </dl>
              ))}
            </div>
            <p className="mt-2 text-xs text-slate-400">
              SOAPAction per operation:{' '}
              {wsdl.operations.map((o) => (
                <code key={o.name} className={`${chip} mr-1`}>
                  {o.soapAction}
                </code>
              ))}
            </p>
          </Section>
          <Section element="service" layer="concrete" explain={`${wsdl.service.explain} ${wsdl.service.ports[0]?.explain ?? ''}`} ref_={wsdl.service.ref}>
            <ul className="space-y-1 text-xs">
              {wsdl.service.ports.map((p) => (
                <li key={p.name} className="flex flex-wrap items-center gap-2">
                  <code className="text-slate-100">port {p.name}</code>
                  <span className="text-slate-400">binding</span>
                  <code className="text-slate-300">{p.binding}</code>
                  <span className="text-slate-400">at</span>
                  <code className="text-emerald-300">{p.address}</code>
                </li>
              ))}
            </ul>
          </Section>
        </div>
      </Panel>
      {showRaw ? (
        <Panel
          title="Raw WSDL"
          actions={
            <>
              <a className="text-xs text-sky-300 hover:text-sky-100" href={wsdl.url} target="_blank" rel="noreferrer">
                {wsdl.url}
              </a>
              <button className="rounded border border-slate-700 px-2 py-0.5 text-xs text-slate-300 hover:text-white" onClick={() => setShowRaw(false)}>
                Hide
              </button>
            </>
          }
        >
          <pre className="h-full overflow-auto p-3 font-mono text-xs leading-5 text-slate-300" data-testid="raw-wsdl" tabIndex={0} aria-label="The WSDL document">
            {wsdl.wsdl}
          </pre>
        </Panel>
      ) : null}
    </div>
  );
}
