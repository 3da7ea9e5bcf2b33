/**
 * wc's counts. A file is counted whole, streamed in chunks, so a file over the shell's 1 MiB read
 * bound (input.ts) gets its real line, word and byte counts rather than those of its first MiB.
 */
import fs from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

/** Lines (newlines), words (runs of non-space) and bytes, as wc prints them. */
export interface Counts {
  lines: number;
  words: number;
  bytes: number;
}

/** Counts text chunk by chunk; a word or a UTF-8 character split between chunks is counted once. */
class Counter {
  readonly counts: Counts = { lines: 0, words: 0, bytes: 0 };
  private inWord = false;
  private readonly decoder = new StringDecoder('utf8');

  push(chunk: Buffer): void {
    this.counts.bytes += chunk.length;
    this.text(this.decoder.write(chunk));
  }

  end(): Counts {
    this.text(this.decoder.end());
    return this.counts;
  }

  /** Same words as `text.split(/\s+/).filter(Boolean)` on the whole input. */
  private text(text: string): void {
    if (!text) return;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.counts.lines++;
    const words = text.match(/\S+/g)?.length ?? 0;
    // A word that goes on from the previous chunk was counted there.
    this.counts.words += this.inWord && /^\S/.test(text) ? words - 1 : words;
    this.inWord = /\S$/.test(text);
  }
}

/** The counts of a text (standard input). */
export function countText(text: string): Counts {
  const counter = new Counter();
  counter.push(Buffer.from(text));
  return counter.end();
}

/** The counts of a whole file; with `bytesOnly` its size alone, without reading it. */
export async function countFile(real: string, bytesOnly: boolean): Promise<Counts> {
  const handle = await fs.open(real, 'r');
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error('dir'), { code: 'EISDIR' });
    if (bytesOnly) return { lines: 0, words: 0, bytes: stat.size };
    const counter = new Counter();
    for await (const chunk of handle.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) counter.push(chunk);
    return counter.end();
  } finally {
    await handle.close();
  }
}
