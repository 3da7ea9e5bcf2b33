/**
 * The FTP data-channel summariser: a Dissector for one data connection that never keeps the
 * bulk. Plain data (PROT C, or no TLS at all) shows its first bytes per direction as an
 * eavesdropper reads them; under PROT P it frames TLS records (the first few one by one, the rest
 * counted). At the end one summary per direction covers every byte not yet reported, so the sum of
 * `bytes` always equals the bytes seen (RFC 959 §3.3; RFC 4217 §9).
 */
import { groupDigits } from '../../text/numbers.ts';
import { escapeControls, hexPreview } from '../../wire/escape.ts';
import { flushTls, frameTls, initialTlsFramerState, type TlsFrame, type TlsFramerState } from '../../wire/tls-records.ts';
import { tlsRecordLine, tlsRecordMessage } from '../kit/tls-message.ts';
import type { DissectedMessage, HalfCloseDissector, StreamDir } from '../types.ts';
import { annotate } from './annotate.ts';

/** Bytes of plain data shown per direction. */
export const DATA_PREVIEW_BYTES = 256;
/** TLS records listed one by one per direction before the rest is only counted. */
export const DATA_RECORDS_SHOWN = 8;

const decoder = new TextDecoder('utf-8', { fatal: false });

interface Side {
  seen: number;
  reported: number;
  preview: Buffer;
  records: number;
  hiddenRecords: number;
  tls: TlsFramerState;
}

/** Mostly printable text (a listing, a text file) is shown as text; anything else as hex. */
function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return true;
  let printable = 0;
  for (const b of bytes) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 0xc0) printable++;
  return printable / bytes.length > 0.9;
}

/**
 * Text for a note: valid UTF-8 (a sequence cut at the end aside), no NUL, and at most a third
 * control characters, so a file with escape sequences in it reads as the text it is.
 */
function readableText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    // A fresh decoder each time: with `stream` it keeps a cut sequence for the next call.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return null;
  }
  const chars = [...text];
  const controls = chars.filter((c) => /[\0-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/.test(c)).length;
  return !text.includes('\0') && controls * 3 <= chars.length ? text : null;
}

/**
 * The first bytes of a transfer as an eavesdropper reads them, for a note: up to `maxLines` lines
 * of text, each escaped (no control byte reaches a terminal), or hex when the bytes are binary.
 */
export function previewLines(bytes: Uint8Array, maxLines = 10): string[] {
  const text = readableText(bytes);
  if (text === null) return [hexPreview(bytes, 32)];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const shown = lines.slice(0, maxLines).map((line) => escapeControls(line));
  return lines.length > maxLines ? [...shown, '…'] : shown;
}

class FtpDataSummariser implements HalfCloseDissector {
  private readonly sides: Record<StreamDir, Side> = {
    client: { seen: 0, reported: 0, preview: Buffer.alloc(0), records: 0, hiddenRecords: 0, tls: initialTlsFramerState },
    server: { seen: 0, reported: 0, preview: Buffer.alloc(0), records: 0, hiddenRecords: 0, tls: initialTlsFramerState },
  };

  constructor(private readonly tls: boolean) {}

  push(dir: StreamDir, chunk: Uint8Array): DissectedMessage[] {
    const side = this.sides[dir];
    side.seen += chunk.length;
    if (this.tls) {
      const { state, frames } = frameTls(side.tls, chunk);
      side.tls = state;
      return this.records(dir, frames);
    }
    if (side.preview.length >= DATA_PREVIEW_BYTES) return [];
    side.preview = Buffer.concat([side.preview, chunk.subarray(0, DATA_PREVIEW_BYTES - side.preview.length)]);
    // Report the preview once it is full; a shorter transfer is reported at the end.
    return side.preview.length >= DATA_PREVIEW_BYTES ? [this.preview(dir)] : [];
  }

  end(): DissectedMessage[] {
    return [...this.endOf('client'), ...this.endOf('server')];
  }

  /**
   * One direction ended (its sender's FIN): report what is left of it, so every byte it sent is
   * covered before the FIN is passed on (step mode releases them together). Later calls add nothing.
   */
  endOf(dir: StreamDir): DissectedMessage[] {
    const out: DissectedMessage[] = [];
    const side = this.sides[dir];
    if (this.tls) {
      out.push(...this.records(dir, flushTls(side.tls)));
      side.tls = initialTlsFramerState;
    } else if (side.reported === 0 && side.preview.length > 0) out.push(this.preview(dir));
    const rest = side.seen - side.reported;
    if (rest > 0) {
      const what = this.tls ? `${groupDigits(side.hiddenRecords)} more TLS records` : 'more bytes';
      out.push({ dir, kind: 'data-summary', text: `<${groupDigits(rest)} ${this.tls ? 'bytes in ' + what : what} — ${groupDigits(side.seen)} bytes in all>`, bytes: rest, fields: [{ name: 'total bytes', value: String(side.seen) }], annotation: annotate({ key: 'ftp.data.summary', ref: 'RFC 959 §3.3' }), phase: 'data' });
      side.reported = side.seen;
    }
    return out;
  }

  private preview(dir: StreamDir): DissectedMessage {
    const side = this.sides[dir];
    const bytes = side.preview;
    side.reported += bytes.length;
    const shown = looksLikeText(bytes) ? escapeControls(decoder.decode(bytes)) : hexPreview(bytes, 32);
    return {
      dir,
      kind: 'data',
      text: `${shown}${side.seen > bytes.length || bytes.length >= DATA_PREVIEW_BYTES ? ' …' : ''}`,
      bytes: bytes.length,
      fields: [{ name: 'first bytes', value: String(bytes.length) }],
      annotation: annotate({ key: 'ftp.data.plain', ref: 'RFC 959 §3.3; RFC 4217 §9', level: 'warn' }),
      phase: 'data',
    };
  }

  private records(dir: StreamDir, frames: TlsFrame[]): DissectedMessage[] {
    const side = this.sides[dir];
    const out: DissectedMessage[] = [];
    for (const frame of frames) {
      if (side.records >= DATA_RECORDS_SHOWN) {
        if (frame.kind === 'record') side.hiddenRecords++;
        continue;
      }
      side.records++;
      side.reported += frame.bytes;
      if (frame.kind === 'garbage') {
        out.push(tlsRecordMessage(dir, frame, { text: `<${frame.bytes} bytes that are not TLS: ${hexPreview(frame.preview)}>`, phase: 'data' }));
        continue;
      }
      out.push(tlsRecordMessage(dir, frame, { text: tlsRecordLine(frame, { markCut: false }), annotation: annotate({ key: 'ftp.data.tls', ref: 'RFC 4217 §9; RFC 8446 §5.1' }), phase: 'data' }));
    }
    return out;
  }
}

/** Builds a summariser for one data connection; `tls` when PROT P was in force. */
export function createFtpDataDissector(options: { tls: boolean }): HalfCloseDissector {
  return new FtpDataSummariser(options.tls);
}
