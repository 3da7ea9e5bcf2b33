'use client';

import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import type { EncryptionBadge } from '@/components/transcript/badges';
import type { LabMessage } from '@/lib/wire/event.ts';
import { byteGlyph, bytesFields, fieldAt, type BytesFields } from './byte-fields';
import { fetchMessageBytes, type MessageBytes } from './bytes-api';

type Load = { state: 'none'; why: string } | { state: 'loading' } | { state: 'error'; error: string } | { state: 'ready'; data: MessageBytes; parsed: BytesFields };

/** Which field is lit, and whether the pointer is over the bytes or the list (the other one scrolls to it). */
type Active = { index: number; from: 'bytes' | 'fields' } | null;

/** Why a message has no bytes to show, in words; null if it may have some. */
function noBytes(message: LabMessage, badge: EncryptionBadge | null): string | null {
  if (message.dir === 'note') return 'A lab note: the lab explains something here, nothing crossed the wire.';
  if (message.view === 'endpoint' && badge === 'sent in clear')
    return 'Seen by the endpoint (the server’s own log), and sent in clear: an eavesdropper read the same. Switch to “What an eavesdropper sees” for its bytes.';
  if (message.view === 'endpoint')
    return 'Seen by the endpoint after decryption (the server’s own log), so the lab has no wire bytes for it. Switch to “What an eavesdropper sees” for the TLS or SSH records that carried it.';
  return null;
}

/**
 * A wire message's bytes in hex and as text, side by side, with its fields: the field under the
 * pointer is lit in the bytes and in the list, and a field pointed at in the list lights its bytes
 * (as The Illustrated TLS Connection does). A click keeps a field lit.
 */
export function BytesView({ message, badge }: { message: LabMessage | undefined; badge: EncryptionBadge | null }) {
  const [load, setLoad] = useState<Load>({ state: 'none', why: 'Pick a message.' });
  const [hovered, setHovered] = useState<Active>(null);
  const [pinned, setPinned] = useState<Active>(null);
  const [perRow, setPerRow] = useState(16);
  const hexRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    setHovered(null);
    setPinned(null);
    if (!message) return setLoad({ state: 'none', why: 'Pick a message.' });
    const why = noBytes(message, badge);
    if (why) return setLoad({ state: 'none', why });
    const abort = new AbortController();
    setLoad({ state: 'loading' });
    fetchMessageBytes(message.conn, message.seq, abort.signal)
      .then((data) => !abort.signal.aborted && setLoad({ state: 'ready', data, parsed: bytesFields(message, data.bytes) }))
      .catch((err: unknown) => !abort.signal.aborted && setLoad({ state: 'error', error: err instanceof Error ? err.message : String(err) }));
    return () => abort.abort();
  }, [message, badge]);

  // 16 bytes a row where they fit beside a readable fields list, else 8 (Presenter mode, narrow windows).
  useEffect(() => {
    const grid = gridRef.current;
    if (!grid) return;
    const fit = () => {
      const em = parseFloat(getComputedStyle(grid).fontSize);
      // A row of 16: offset, 16 hex pairs with gaps, 16 characters (≈0.61em each in the mono font), padding.
      const row16 = em * (0.61 * (7 + 4 * 16) + 1.5);
      setPerRow(grid.clientWidth - row16 >= em * 22 ? 16 : 8);
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(grid);
    return () => observer.disconnect();
  }, [load.state]);

  const active = hovered ?? pinned;
  const fields = load.state === 'ready' ? load.parsed.fields : [];
  const lit = active && fields[active.index] ? fields[active.index] : null;

  // Bring the other side of what the pointer is on into view.
  useEffect(() => {
    if (!active) return;
    if (active.from === 'bytes') listRef.current?.querySelector<HTMLElement>(`[data-index="${active.index}"]`)?.scrollIntoView({ block: 'nearest' });
    else if (lit) hexRef.current?.querySelector<HTMLElement>(`[data-offset="${lit.start}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active, lit]);

  const rows = useMemo(() => {
    if (load.state !== 'ready') return [];
    const out: number[] = [];
    for (let at = 0; at < load.data.bytes.length; at += perRow) out.push(at);
    return out;
  }, [load, perRow]);

  if (load.state === 'none' || load.state === 'loading' || load.state === 'error') {
    const text = load.state === 'none' ? load.why : load.state === 'loading' ? 'Reading the captured bytes…' : `No bytes for this message: ${load.error}`;
    return (
      <p className="p-3 text-sm text-slate-300" data-testid="bytes-view" data-state={load.state}>
        {text}
      </p>
    );
  }

  const { data, parsed } = load;
  const dir = message?.dir === 'server' ? 'server → client' : 'client → server';
  const byteUnder = (target: EventTarget) => {
    const offset = (target as HTMLElement).closest<HTMLElement>('[data-offset]')?.dataset.offset;
    return offset === undefined ? -1 : fieldAt(fields, Number(offset));
  };
  const isLit = (offset: number) => lit !== null && offset >= lit.start && offset < lit.end;

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="bytes-view" data-state="ready">
      <p className="border-b border-slate-800 px-3 py-1 text-xs text-slate-400">
        {dir} · {data.total} bytes at offset {data.at} of that direction’s stream
        {data.truncated && <span className="text-amber-300"> · the first {data.bytes.length} shown</span>}
        {parsed.source === 'tls' ? ' · parsed from the bytes (RFC 8446)' : ' · fields as the dissector read them'} · ← CR, ↓ LF, · other bytes
      </p>
      <div ref={gridRef} className="grid min-h-0 flex-1 grid-cols-[auto_minmax(0,1fr)]">
        <div
          ref={hexRef}
          className="min-h-0 overflow-y-auto border-r border-slate-800 px-3 py-2 font-mono leading-relaxed"
          onMouseOver={(e) => {
            const index = byteUnder(e.target);
            setHovered(index === -1 ? null : { index, from: 'bytes' });
          }}
          onMouseLeave={() => setHovered(null)}
          onClick={(e) => {
            const index = byteUnder(e.target);
            setPinned(index === -1 ? null : { index, from: 'bytes' });
          }}
          aria-label="Bytes in hex and as text"
        >
          {rows.map((at) => (
            <div key={at} className="flex whitespace-pre">
              <span className="mr-3 select-none text-slate-400">{at.toString(16).padStart(4, '0')}</span>
              <span className="mr-3">
                {Array.from(data.bytes.subarray(at, at + perRow), (b, i) => (
                  <Fragment key={i}>
                    {/* A real space between bytes (copied text reads "4d 41"), lit when it joins two lit bytes. */}
                    {i > 0 && <span className={isLit(at + i - 1) && isLit(at + i) ? 'bg-amber-400/30' : undefined}> </span>}
                    <span data-offset={at + i} data-active={isLit(at + i) || undefined} className={`cursor-pointer ${isLit(at + i) ? 'bg-amber-400/30 text-amber-100' : 'text-slate-200'}`}>
                      {b.toString(16).padStart(2, '0')}
                    </span>
                  </Fragment>
                ))}
                {' '.repeat(3 * Math.max(0, perRow - Math.min(perRow, data.bytes.length - at)))}
              </span>
              <span>
                {Array.from(data.bytes.subarray(at, at + perRow), (b, i) => (
                  <span key={i} data-offset={at + i} data-active={isLit(at + i) || undefined} className={`cursor-pointer ${isLit(at + i) ? 'bg-amber-400/30 text-amber-100' : b > 0x20 && b < 0x7f ? 'text-sky-200' : 'text-slate-400'}`}>
                    {byteGlyph(b)}
                  </span>
                ))}
              </span>
            </div>
          ))}
        </div>
        <ol ref={listRef} className="min-h-0 overflow-y-auto py-1 text-sm" aria-label="Fields" onMouseLeave={() => setHovered(null)}>
          {fields.length === 0 && <li className="px-3 py-1 text-slate-400">The dissector named no fields in these bytes.</li>}
          {fields.map((f, i) => {
            const on = active?.index === i;
            return (
              <li
                key={`${f.name}-${f.start}-${i}`}
                data-index={i}
                data-testid="byte-field"
                data-name={f.name}
                data-active={on || undefined}
                onMouseEnter={() => setHovered({ index: i, from: 'fields' })}
                onClick={() => setPinned({ index: i, from: 'fields' })}
                className={`cursor-pointer px-3 py-0.5 ${on ? 'bg-amber-400/20' : 'hover:bg-slate-800/60'}`}
                style={{ paddingLeft: `${0.75 + f.depth * 0.9}rem` }}
              >
                <span className="text-slate-400">{f.name}</span> <span className="font-mono text-slate-100">{f.value}</span>
                <span className="ml-2 text-xs tabular-nums text-slate-400">
                  {f.end - f.start === 1 ? `byte ${f.start}` : `bytes ${f.start}–${f.end - 1}`}
                </span>
                {on && (f.note || f.ref) && (
                  <span className="block text-xs text-slate-300">
                    {f.note}
                    {f.ref && !f.note?.includes(f.ref) && <span className="text-sky-300"> {f.ref}</span>}
                  </span>
                )}
              </li>
            );
          })}
          {parsed.unlocated.length > 0 && (
            <li className="mt-1 border-t border-slate-800 px-3 pt-1 text-xs text-slate-400">
              Not spelled by any byte (decoded or masked by the dissector):{' '}
              {parsed.unlocated.map((f) => `${f.name} ${f.value}`).join(' · ')}
            </li>
          )}
        </ol>
      </div>
    </div>
  );
}
