/**
 * An imported connection's transcript: its captured bytes run through the protocol's dissector
 * again, as the tap would have (the same framing, the same `at` offsets, this lab's annotations),
 * and — for a JSON export — the messages no dissector can make from the bytes (the endpoint view
 * after STARTTLS, the lab's notes) put back in their places, their text escaped again because a
 * file can say anything.
 */
import type { ChunkDir } from '../bus/captures.ts';
import { endOfDirection, type DissectedMessage, type Dissector } from '../protocols/types.ts';
import { escapeControls } from '../wire/escape.ts';
import { stampMessage } from '../wire/recorder.ts';
import type { Annotation, LabMessage, Protocol, View } from '../wire/event.ts';
import type { ImportMessage } from './export-file.ts';

/** A chunk to re-dissect: who sent it, when (ms since the connection started), its bytes. */
export interface ImportChunk {
  dir: ChunkDir;
  t: number;
  data: Uint8Array;
}

/** A message with its time and view, before it gets its id and seq. */
export interface Placed {
  message: DissectedMessage;
  t: number;
  view: View;
}

/**
 * Feeds `chunks` in order to `dissector` and places what it frames: a message's `at` counts the
 * bytes framed before it in the direction whose chunk framed it (as lib/wire/gate.ts does), and
 * its time is that chunk's. A dissector that throws is stopped there, with a note saying so.
 */
export function redissect(dissector: Dissector, chunks: ImportChunk[], endT: number): Placed[] {
  const out: Placed[] = [];
  const framed: Record<ChunkDir, number> = { client: 0, server: 0 };
  const place = (dir: ChunkDir | null, t: number, messages: DissectedMessage[]) => {
    for (const m of messages) {
      // Like the gate: notes and empty messages have no place; messages from the final flush are not framed by a gate.
      const message = dir === null || m.dir === 'note' || m.bytes === 0 ? m : { ...m, at: framed[dir] };
      if (dir !== null) framed[dir] += m.bytes;
      out.push({ message, t, view: 'wire' });
    }
  };
  let lastT = 0;
  try {
    for (const chunk of chunks) {
      lastT = Math.max(lastT, chunk.t);
      place(chunk.dir, chunk.t, dissector.push(chunk.dir, chunk.data));
    }
    const end = Math.max(lastT, endT);
    for (const dir of ['client', 'server'] as const) place(dir, end, endOfDirection(dissector, dir));
    place(null, end, dissector.end());
  } catch (err) {
    const text = `The dissector stopped on this import: ${escapeControls(err instanceof Error ? err.message : String(err))}`;
    out.push({ message: { dir: 'note', kind: 'note', text, bytes: 0, annotation: { title: 'Dissector error', explain: text, level: 'error' } }, t: lastT, view: 'wire' });
  }
  return out;
}

/** Escapes every control character but the line breaks the lab's own texts have (multi-line replies, notes). */
const clean = (s: string) => s.split('\n').map(escapeControls).join('\n');
const cleanOptional = (s: string | undefined) => (s === undefined ? undefined : clean(s));

function cleanAnnotation(a: ImportMessage['annotation']): Annotation | undefined {
  if (!a) return undefined;
  return { ...(a.key ? { key: clean(a.key) } : {}), title: clean(a.title), explain: clean(a.explain), ...(a.ref ? { ref: clean(a.ref) } : {}), ...(a.level ? { level: a.level } : {}) };
}

/** A message from a file as the lab would have recorded it, every text escaped again (escaping twice changes nothing). */
export function fromFile(m: ImportMessage): Placed {
  const message: DissectedMessage = {
    dir: m.dir,
    kind: clean(m.kind),
    text: clean(m.text),
    bytes: m.bytes ?? 0,
    ...(m.fields ? { fields: m.fields.map((f) => ({ name: clean(f.name), value: clean(f.value), ...(f.note !== undefined ? { note: clean(f.note) } : {}) })) } : {}),
    ...(m.annotation ? { annotation: cleanAnnotation(m.annotation) } : {}),
    ...(m.phase !== undefined ? { phase: cleanOptional(m.phase) } : {}),
    ...(m.at !== undefined ? { at: m.at } : {}),
    ...(m.edited ? { edited: { original: clean(m.edited.original) } } : {}),
    ...(m.injected ? { injected: { rule: clean(m.injected.rule), title: clean(m.injected.title) } } : {}),
  };
  return { message, t: m.t, view: m.view };
}

const isFramedByDissector = (m: { dir: string; view: View }) => m.view === 'wire' && m.dir !== 'note';

/**
 * The file's transcript with its wire messages replaced by the re-dissected ones, in order: each
 * wire message of the file is where the next re-dissected one goes (with the dissector's notes in
 * front of it); the file's wire notes the dissector made again are not repeated; the rest (endpoint
 * view, the lab's own notes, and messages whose bytes the tap never forwarded) stays where it was.
 * Re-dissected messages beyond the file's come last.
 */
export function mergeWithFile(file: ImportMessage[], redissected: Placed[]): Placed[] {
  const out: Placed[] = [];
  let r = 0;
  const lastFramed = redissected.findLastIndex((p) => isFramedByDissector({ dir: p.message.dir, view: p.view }));
  const upToNextFramed = (): Placed[] => {
    let end = r;
    while (end < redissected.length && !isFramedByDissector({ dir: redissected[end].message.dir, view: redissected[end].view })) end++;
    return redissected.slice(r, end);
  };
  for (const m of [...file].sort((a, b) => a.seq - b.seq)) {
    if (isFramedByDissector(m) && r > lastFramed) {
      // The tap saw it but never forwarded its bytes (the other side had gone): the capture cannot make it again.
      out.push(fromFile(m));
    } else if (isFramedByDissector(m)) {
      // Through the next framed message (and the dissector's notes before it).
      while (r < redissected.length) {
        const placed = redissected[r++];
        out.push(placed);
        if (isFramedByDissector({ dir: placed.message.dir, view: placed.view })) break;
      }
    } else if (m.view === 'wire' && m.dir === 'note' && upToNextFramed().some((p) => p.message.text === clean(m.text))) {
      // A note the dissector makes again: emit the dissector's notes up to and including it.
      while (r < redissected.length) {
        const placed = redissected[r++];
        out.push(placed);
        if (placed.message.text === clean(m.text)) break;
      }
    } else {
      out.push(fromFile(m));
    }
  }
  out.push(...redissected.slice(r));
  return out;
}

/** Gives placed messages their identity in the new connection: id, seq from 1, sandbox. */
export function stamp(placed: Placed[], conn: { id: string; sandbox: string; protocol: Protocol }): LabMessage[] {
  return placed.map(({ message, t, view }, i) => stampMessage(message, conn, i + 1, Math.round(t * 10) / 10, view));
}
