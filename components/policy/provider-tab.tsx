'use client';

import { useMemo } from 'react';
import { Panel } from '@/components/lab/panel';
import { Breakable } from './breakable';
import type { PolicyState } from './api';
import { ProviderAdmin } from './controls';
import { SCOPE_STYLE } from './format';
import type { Subject } from './types';
import type { PolicyModel } from './use-policy';
import { wsdlLines } from './wsdl-lines';

const SUBJECTS: [Subject, string][] = [
  ['service', 'service: wsdl:service'],
  ['endpoint', 'endpoint: wsdl:port ⊕ binding ⊕ portType'],
  ['operation', 'operation: wsdl:operation'],
  ['message', 'message: wsdl:input, output, message'],
];

/** The colour key of the four policy subjects (WS-PolicyAttachment 1.5 §4.1). */
export function ScopeLegend() {
  return (
    <div className="flex flex-wrap gap-1.5 text-xs">
      {SUBJECTS.map(([s, text]) => (
        <span key={s} className={`rounded px-1.5 py-0.5 ${SCOPE_STYLE[s].chip}`} title={text}>
          {s}
        </span>
      ))}
    </div>
  );
}

/** The provider's current WSDL, one element a line, each policy attachment coloured by its scope and labelled. */
function WsdlText({ state }: { state: PolicyState }) {
  const lines = useMemo(() => wsdlLines(state.provider.wsdl, state.provider.scopes), [state.provider.wsdl, state.provider.scopes]);
  return (
    <pre className="h-full overflow-auto p-3 font-mono text-[0.8rem] leading-snug text-slate-300 [overflow-wrap:anywhere]" data-testid="policy-wsdl" tabIndex={0} aria-label="The WSDL as published">
      {lines.map((line, i) => {
        const style = line.scope ? SCOPE_STYLE[line.scope] : null;
        return (
          <div key={i} className={style ? `border-l-4 ${style.bar} ${style.bg}` : 'border-l-4 border-transparent'} data-scope={line.scope}>
            {line.label && style && (
              <div className={`pl-2 font-sans text-xs font-semibold whitespace-normal ${style.text}`} data-testid="attachment-label">
                ▸ {line.scope}: {line.label}
              </div>
            )}
            {/* A line longer than the pane goes on 2ch further in (hanging), broken after a URI's `/` (Breakable) or where it must. */}
            <div
              className="whitespace-pre-wrap"
              style={{ paddingLeft: `calc(${0.5 + line.depth}rem + ${line.attribute ? 6 : 2}ch)`, textIndent: '-2ch' }}
              data-testid="wsdl-line"
            >
              <Breakable text={line.text} />
            </div>
          </div>
        );
      })}
    </pre>
  );
}

/** The Provider tab: the admin switches and where each policy attaches, beside the WSDL as published. */
export function ProviderTab({ model }: { model: PolicyModel }) {
  const state = model.state;
  return (
    // Where the lab is narrow the WSDL, which the lesson reads line by line, gets the larger share (it had 17rem).
    <div className="grid h-full min-h-0 grid-cols-[minmax(0,24rem)_minmax(0,1fr)] gap-3 lab-narrow:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
      <div className="flex min-h-0 flex-col gap-3 overflow-y-auto">
        <Panel title="Provider admin" className="shrink-0">
          <ProviderAdmin model={model} />
        </Panel>
        <Panel title="Policy attachments" className="min-h-[8rem] flex-1" landmark={false}>
          <div className="h-full space-y-2 overflow-y-auto p-3 text-sm" data-testid="scope-list" tabIndex={0} role="region" aria-label="Policy attachments">
            {state?.provider.scopes.map((s, i) => (
              <div key={i} className={`rounded border-l-4 px-2 py-1 ${SCOPE_STYLE[s.subject].bar} ${SCOPE_STYLE[s.subject].bg}`}>
                <div className={`text-xs font-semibold ${SCOPE_STYLE[s.subject].text}`}>{s.subject}</div>
                <div className="font-mono text-xs text-slate-200">
                  {s.element} <b>{s.name}</b>
                </div>
                <div className="text-xs text-slate-400">{s.how === 'reference' ? `wsp:PolicyReference URI="#${s.ref}"` : 'inline wsp:Policy'}</div>
              </div>
            ))}
            <p className="text-xs text-slate-400">
              A policy attached at an element applies to every subject in its scope: the endpoint’s to each operation, the operation’s to each of its messages. The
              client merges them per subject (WS-PolicyAttachment 1.5 §4.1).
            </p>
          </div>
        </Panel>
      </div>
      <Panel title="The WSDL as published" actions={<ScopeLegend />}>
        {state ? <WsdlText state={state} /> : <p className="p-3 text-sm text-slate-400">Loading the WSDL…</p>}
      </Panel>
    </div>
  );
}
