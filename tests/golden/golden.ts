import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordedChunk } from '../../lib/wire/recording-relay.ts';

/** One chunk exactly as it crossed the tap, base64 (lib/wire/recording-relay.ts records them). */
export type GoldenChunk = RecordedChunk;

/** A recorded connection (tests/golden/record.ts writes them). */
export interface GoldenTranscript {
  protocol: 'smtp' | 'ftp' | 'ssh' | 'soap' | 'zmq';
  description: string;
  recorded: string;
  chunks: GoldenChunk[];
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Every committed golden transcript, by file name without .json. */
export function loadGoldenTranscripts(): Map<string, GoldenTranscript> {
  const found = new Map<string, GoldenTranscript>();
  for (const file of fs.readdirSync(here).filter((f) => f.endsWith('.json')).sort()) {
    found.set(file.slice(0, -5), JSON.parse(fs.readFileSync(path.join(here, file), 'utf8')) as GoldenTranscript);
  }
  return found;
}
