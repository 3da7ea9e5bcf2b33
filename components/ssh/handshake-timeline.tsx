'use client';

import { useMemo, useState } from 'react';
import type { ViewMode } from '@/components/terminal/render';
import { isVisible } from '@/components/terminal/render';
import { TranscriptPanel } from '@/components/transcript/transcript-panel';
import { encryptionBadges } from '@/components/transcript/badges';
import { counted } from '@/lib/text/numbers.ts';
import type { LabMessage } from '@/lib/wire/event.ts';
import type { HandshakeStep, Negotiated, StepId, StepState } from './handshake-steps';

const STATE_STYLE: Record<StepState, { dot: string; text: string; label: string }> = {
  done: { dot: 'bg-emerald-500 text-slate-950', text: 'text-slate-100', label: 'done' },
  active: { dot: 'bg-sky-400 text-slate-950 animate-pulse', text: 'text-sky-100', label: 'in progress' },
  failed: { dot: 'bg-red-500 text-white', text: 'text-red-200', label: 'failed' },
  pending: { dot: 'bg-slate-800 text-slate-400 ring-1 ring-slate-600', text: 'text-slate-400', label: 'not yet' },
  skipped: { dot: 'bg-slate-900 text-slate-400 ring-1 ring-slate-700', text: 'text-slate-400', label: 'not reached' },
};

/** One line of teaching per step, shown above its details. */
const TEACH: Record<StepId, string> = {
  tcp: 'SSH runs over one TCP connection. Nothing is secret yet.',
  version: 'Each side announces "SSH-2.0-software". Both lines (V_C, V_S) are later hashed into H, so a tampered banner breaks the handshake.',
  kexinit: 'Each side lists the algorithms it supports, in order of preference. For every category the winner is the first algorithm on the CLIENT’s list that the server also supports.',
  ecdh: 'The client sends its ephemeral public value Q_C, the server answers with Q_S, its host key K_S and a signature over the exchange hash H. Both compute the same shared secret K — K itself never crosses the wire.',
  hostkey: 'The client compares K_S with known_hosts: unknown → ask the user; same → go on; different → refuse (it could be a man in the middle).',
  newkeys: 'Keys for each direction are derived from K and H. After NEWKEYS every packet is encrypted: an eavesdropper sees sizes and timing (and, with AES-GCM or an -etm MAC, each packet\u2019s length).',
  service: 'Inside the encrypted tunnel the client asks for the user-authentication service.',
  userauth: 'The client tries methods until one succeeds: password, or publickey (a query, PK_OK, then a request signed with the private key). Failures list the methods that can continue.',
  channel: 'A session channel is opened; the client asks for a pseudo-terminal (pty-req, with its size) and a shell — or an exec command, or the sftp subsystem.',
  data: 'Keystrokes and output travel as CHANNEL_DATA in both directions, each packet encrypted.',
  close: 'The shell exits (exit-status), each side sends EOF and CLOSE for the channel, then the client disconnects.',
};

export interface HandshakeTimelineProps {
  steps: HandshakeStep[];
  messages: LabMessage[];
  mode: ViewMode;
  /** Shown above the steps: which connection this is. */
  heading: React.ReactNode;
  /** The selected message, when the page keeps it (deep links); its step is shown until another is picked. */
  selectedId?: string | null;
  onSelect?(id: string | null): void;
}

/** The ten steps (plus TCP) of one SSH connection; a click shows that step's messages. */
export function HandshakeTimeline({ steps, messages, mode, heading, ...props }: HandshakeTimelineProps) {
  const [picked, setPicked] = useState<StepId | null>(null);
  const [ownSelection, setOwnSelection] = useState<string | null>(null);
  const selectedId = props.onSelect ? (props.selectedId ?? null) : ownSelection;
  const setSelectedId = props.onSelect ?? setOwnSelection;
  // Follow the connection until the user picks a step or a message: the step in progress, else the last one reached.
  const following = steps.find((s) => s.state === 'active' || s.state === 'failed') ?? [...steps].reverse().find((s) => s.state === 'done') ?? steps[0];
  const ofSelection = selectedId ? steps.find((s) => s.messageIds.includes(selectedId)) : undefined;
  const current = steps.find((s) => s.id === picked) ?? ofSelection ?? following;

  const shown = useMemo(() => {
    const ids = new Set(current.messageIds);
    const own = messages.filter((m) => ids.has(m.id));
    if (mode === 'wire') return own.filter((m) => m.view === 'wire');
    // Endpoint view: what the server saw; the wire decode only where the server has nothing (e.g. a bad version line).
    const endpoint = own.filter((m) => m.view === 'endpoint');
    return endpoint.length ? endpoint : own.filter((m) => isVisible(m, 'endpoint'));
  }, [current, messages, mode]);
  // A step shows part of the connection: its badges are judged against the whole of it.
  const badgeOf = useMemo(() => encryptionBadges(messages), [messages]);

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="border-b border-slate-800 px-3 py-1.5 text-xs text-slate-400">{heading}</div>
      <div className="grid min-h-0 flex-1 grid-cols-[minmax(0,15rem)_minmax(0,1fr)]">
        <ol className="min-h-0 overflow-y-auto border-r border-slate-800 py-1" aria-label="Handshake steps" data-testid="handshake-steps">
          {steps.map((step, i) => {
            const style = STATE_STYLE[step.state];
            const selected = step.id === current.id;
            return (
              <li key={step.id}>
                <button
                  onClick={() => {
                    setPicked(step.id === picked ? null : step.id);
                    setSelectedId(null);
                  }}
                  aria-current={selected ? 'step' : undefined}
                  data-state={step.state}
                  data-step={step.id}
                  className={`grid w-full grid-cols-[1.5rem_minmax(0,1fr)] gap-2 px-2 py-1 text-left ${selected ? 'bg-sky-950/70' : 'hover:bg-slate-800/60'}`}
                >
                  <span className={`mt-0.5 flex h-5 w-5 items-center justify-center rounded-full text-[0.7rem] font-bold ${style.dot}`} title={style.label}>
                    {step.state === 'done' ? '✓' : step.state === 'failed' ? '✗' : i}
                  </span>
                  <span className="min-w-0">
                    <span className={`block truncate text-sm ${style.text}`}>{step.title}</span>
                    <span className="block truncate text-xs text-slate-400">{step.state === 'pending' || step.state === 'skipped' ? step.wire : step.summary}</span>
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
        <div className="flex min-h-0 flex-col" data-testid="step-detail">
          <div className="max-h-[58%] shrink-0 overflow-y-auto px-3 py-2 text-sm">
            <div className="flex flex-wrap items-baseline gap-x-2">
              <h3 className="font-semibold text-white">{current.title}</h3>
              <code className="text-xs text-sky-300">{current.wire}</code>
              <span className={`ml-auto rounded px-1.5 text-xs ${current.state === 'failed' ? 'bg-red-500/20 text-red-200' : current.state === 'done' ? 'bg-emerald-500/15 text-emerald-300' : 'bg-slate-800 text-slate-300'}`}>
                {STATE_STYLE[current.state].label}
              </span>
            </div>
            <p className="mt-1 text-slate-200 [overflow-wrap:anywhere]" data-testid="step-summary">
              {current.summary}
            </p>
            <p className="mt-1 text-xs text-slate-400">
              {TEACH[current.id]} <span className="text-sky-300">{current.ref}</span>
            </p>
            {current.negotiation && current.negotiation.length > 0 && <NegotiationTable rows={current.negotiation} />}
            {current.details.filter((d) => !(current.negotiation?.length && d.label === 'rule')).length > 0 && (
              <table className="mt-2 w-full text-xs">
                <tbody>
                  {current.details
                    .filter((d) => !(current.negotiation?.length && d.label === 'rule'))
                    .map((d, i) => (
                      <tr key={`${d.label}-${i}`} className="border-t border-slate-800 align-top">
                        <th className="w-32 py-1 pr-2 text-left font-normal text-slate-400">{d.label}</th>
                        {/* Wrapped at spaces first; only a word longer than the cell (a fingerprint, hex) breaks inside. */}
                        <td className="py-1 font-mono text-slate-200 [overflow-wrap:anywhere]">
                          {d.value}
                          {d.note && <div className="break-normal font-sans text-slate-400">{d.note}</div>}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            )}
          </div>
          {/* Two scrolled boxes meet here: a bar says where the step's explanation ends and its messages begin. */}
          <p className="relative z-10 shrink-0 border-y border-slate-700 bg-slate-900 px-3 py-0.5 text-xs text-slate-400" data-testid="step-messages-heading">
            {counted(shown.length, 'message')} of this step
          </p>
          {/* Clipped: a row scrolled half out of the list had its badge drawn over the bar. */}
          <div className="min-h-0 flex-1 overflow-hidden">
            <TranscriptPanel
              messages={shown}
              selectedId={selectedId}
              onSelect={(id) => setSelectedId(id === selectedId ? null : id)}
              badgeOf={badgeOf}
              emptyText={
                mode === 'wire' && current.messageIds.length > 0
                  ? 'Nothing an eavesdropper can attribute to this step: it happened inside the encrypted tunnel.'
                  : current.id === 'hostkey'
                    ? 'The host-key check happens inside the client: no message of its own.'
                    : 'No messages for this step yet.'
              }
            />
          </div>
        </div>
      </div>
    </div>
  );
}

/** Client list per category, the chosen one highlighted, algorithms the server lacks struck through. */
function NegotiationTable({ rows }: { rows: Negotiated[] }) {
  return (
    <div className="mt-2" data-testid="negotiation">
      <p className="text-xs text-slate-400">
        Client’s list in preference order — <span className="text-emerald-300">chosen</span>, <span className="text-slate-400 line-through">server lacks it</span>:
      </p>
      <table className="mt-1 w-full text-xs">
        <tbody>
          {rows.map((row) => {
            const chosenAt = row.chosen ? row.client.indexOf(row.chosen) : -1;
            const visible = row.client.slice(0, Math.max(chosenAt + 2, 3));
            return (
              <tr key={row.category} className="border-t border-slate-800 align-top">
                <th className="w-24 whitespace-nowrap py-1 pr-2 text-left font-normal text-slate-400">{row.category}</th>
                <td className="py-1 font-mono" title={row.server.length ? `server offers: ${row.server.join(', ')}` : undefined}>
                  {row.chosen === null && <span className="mr-1 rounded bg-red-500/20 px-1 text-red-200">none in common</span>}
                  {visible.map((name, i) => {
                    const serverHas = row.server.length === 0 || row.server.includes(name);
                    const cls = name === row.chosen ? 'bg-emerald-500/20 text-emerald-200 ring-1 ring-emerald-500/50' : serverHas ? 'text-slate-300' : 'text-slate-400 line-through';
                    return (
                      <span key={`${name}-${i}`} className={`mr-1 inline-block rounded px-1 ${cls}`}>
                        {name}
                      </span>
                    );
                  })}
                  {row.client.length > visible.length && <span className="text-slate-400">+{row.client.length - visible.length} more</span>}
                  {row.chosen && chosenAt === -1 && (
                    <span className="ml-1 rounded bg-emerald-500/20 px-1 font-sans text-emerald-200">
                      {row.chosen === '<implicit>' ? 'implicit — the AEAD cipher authenticates' : row.chosen}
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
