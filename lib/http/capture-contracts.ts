/**
 * Contracts of the capture routes: a message's bytes, exports of one connection or a selection
 * (JSON, text, pcapng, key log) and the import of a JSON export or a pcapng file.
 */
import { z } from 'zod';
import { raw, route, segment } from './contract.ts';

const id = segment(/[A-Za-z0-9_-]{1,64}/);
const Format = z.enum(['json', 'text', 'pcapng', 'keylog']).default('json');

/** Largest import accepted (the request body): a JSON export's base64 or a pcapng file. */
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;

export const captureContracts = {
  /** The bytes one wire message covers: `at` and `bytes` from the transcript, `data` what the capture holds of them (base64). */
  messageBytes: route({
    method: 'GET',
    path: '/api/connections/:id/messages/:seq/bytes',
    params: { id, seq: segment(/\d{1,9}/, z.coerce.number().int().min(1)) },
    reply: z.object({ at: z.number(), bytes: z.number(), data: z.string(), truncated: z.boolean() }),
  }),
  /** One connection, with the connections filed under it (an FTP control connection's data connections). */
  exportConnection: route({
    method: 'GET',
    path: '/api/connections/:id/export',
    params: { id },
    query: z.object({ format: Format }),
    reply: raw('application/octet-stream'),
  }),
  /** A selection: `conns=a,b,…` (each with the connections filed under it). */
  exportSelection: route({
    method: 'GET',
    path: '/api/export',
    query: z.object({
      conns: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64}){0,199}$/, 'must be connection ids separated by commas (at most 200)'),
      format: Format,
    }),
    reply: raw('application/octet-stream'),
  }),
  /**
   * A JSON export (Content-Type: application/json) or a pcapng file (application/octet-stream)
   * becomes new connections of the caller's sandbox, labelled imported, re-dissected.
   */
  import: route({
    method: 'POST',
    path: '/api/import',
    body: 'bytes',
    reply: z.object({
      connections: z.array(z.object({ id: z.string(), protocol: z.string(), label: z.string(), messages: z.number(), parent: z.string().optional() })),
      /** TCP connections of a pcapng file on ports no lab serves, left out. */
      skipped: z.number(),
    }),
  }),
};
