/**
 * The lab's JSON export (`format=json`): lossless and re-importable. One entry per connection with
 * its facts, its stored transcript, its captured chunks (base64) and its TLS key log. The schema is
 * what an import accepts: bounded everywhere, because an import is a file from anywhere.
 */
import { z } from 'zod';
import { PROTOCOLS, type ConnectionInfo, type LabMessage } from '../wire/event.ts';

/** What the `format` field says, so a stray JSON file is told apart from an export. */
export const EXPORT_FORMAT = 'protocol-lab-export';
export const EXPORT_VERSION = 1;

/** One chunk in the JSON export. */
export interface ExportedChunk {
  dir: 'client' | 'server';
  seq: number;
  t: number;
  offset: number;
  /** The bytes, base64. */
  data: string;
}

/** One connection in the JSON export. */
export interface ExportedConnection {
  connection: ConnectionInfo;
  messages: LabMessage[];
  chunks: ExportedChunk[];
  /** Where a capped capture stopped (both directions' bytes), or null. */
  captureTruncatedAt: number | null;
  keylog: string[];
}

/** The whole JSON export. */
export interface ExportFile {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  connections: ExportedConnection[];
}

const text = (max: number) => z.string().max(max);
const Id = z.string().regex(/^[A-Za-z0-9_:.-]{1,80}$/);
const Count = z.number().int().min(0).max(2 ** 40);

const Offset = z.number().int().min(0).max(2 ** 31);
const FieldSchema = z.object({ name: text(200), value: text(10_000), note: text(2000).optional(), start: Offset.optional(), end: Offset.optional() });
const AnnotationSchema = z.object({
  key: text(200).optional(),
  title: text(500),
  explain: text(10_000),
  ref: text(500).optional(),
  level: z.enum(['info', 'warn', 'error']).optional(),
});

const MessageSchema = z.object({
  seq: z.number().min(0).max(10_000_000),
  t: z.number().min(0).max(1e12),
  dir: z.enum(['client', 'server', 'note']),
  view: z.enum(['endpoint', 'wire']),
  kind: text(100),
  text: text(100_000),
  fields: z.array(FieldSchema).max(200).optional(),
  annotation: AnnotationSchema.optional(),
  phase: text(100).optional(),
  bytes: Count.optional(),
  at: Count.optional(),
  edited: z.object({ original: text(100_000) }).optional(),
  injected: z.object({ rule: text(200), title: text(500) }).optional(),
});

const ConnectionSchema = z.object({
  id: Id,
  protocol: z.enum(PROTOCOLS),
  startedAt: z.number().min(0).max(1e15),
  endedAt: z.number().min(0).max(1e15).nullable(),
  client: text(200),
  server: text(200).optional(),
  label: text(200).optional(),
  parent: Id.optional(),
});

const ChunkSchema = z.object({
  dir: z.enum(['client', 'server']),
  seq: Count,
  t: z.number().min(0).max(1e12),
  offset: Count,
  data: z.string().max(100 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
});

/** The JSON export as an import reads it (sandbox, ids and counts are the importer's to give). */
export const ExportFileSchema = z.object({
  format: z.literal(EXPORT_FORMAT, { error: `is not "${EXPORT_FORMAT}": this is not a Protocol Lab export` }),
  version: z.literal(EXPORT_VERSION, { error: `must be ${EXPORT_VERSION}: this export is from another version of the lab` }),
  exportedAt: z.string().max(100).optional(),
  connections: z
    .array(
      z.object({
        connection: ConnectionSchema,
        messages: z.array(MessageSchema).max(100_000),
        chunks: z.array(ChunkSchema).max(1_000_000),
        captureTruncatedAt: Count.nullable().optional(),
        keylog: z.array(text(1000)).max(10_000).optional(),
      }),
    )
    .min(1, 'names no connection')
    .max(1000),
});

/** An export as read by the import. */
export type ImportFile = z.output<typeof ExportFileSchema>;
/** One of its connections. */
export type ImportEntry = ImportFile['connections'][number];
/** One of its messages (from the file: untrusted text). */
export type ImportMessage = ImportEntry['messages'][number];
