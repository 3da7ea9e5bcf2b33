/**
 * Contracts of the daemon's own routes (DESIGN.md "Stable JSON API"): connections and their
 * transcripts, the mailbox, step mode. The schemas are typed against the kernel's own types, so a
 * field added there must be added here before anything compiles.
 */
import { z } from 'zod';
import { STEP_SCOPES, type MailSummary, type StepState } from '../bus/events.ts';
import type { ParsedMail } from '../store/mailbox.ts';
import type { TranscriptPage } from '../store/transcripts.ts';
import { PROTOCOLS, type Annotation, type ConnectionInfo, type Field, type LabMessage } from '../wire/event.ts';
import { raw, route, segment } from './contract.ts';

const Level = z.enum(['info', 'warn', 'error']);
const Dir = z.enum(['client', 'server', 'note']);

export const FieldSchema: z.ZodType<Field> = z.object({ name: z.string(), value: z.string(), note: z.string().optional(), start: z.number().optional(), end: z.number().optional() });
export const AnnotationSchema: z.ZodType<Annotation> = z.object({
  key: z.string().optional(),
  title: z.string(),
  explain: z.string(),
  ref: z.string().optional(),
  level: Level.optional(),
});
export const LabMessageSchema: z.ZodType<LabMessage> = z.object({
  id: z.string(),
  conn: z.string(),
  sandbox: z.string(),
  protocol: z.enum(PROTOCOLS),
  seq: z.number(),
  t: z.number(),
  dir: Dir,
  view: z.enum(['endpoint', 'wire']),
  kind: z.string(),
  text: z.string(),
  fields: z.array(FieldSchema).optional(),
  annotation: AnnotationSchema.optional(),
  phase: z.string().optional(),
  bytes: z.number().optional(),
  at: z.number().optional(),
  edited: z.object({ original: z.string() }).optional(),
  injected: z.object({ rule: z.string(), title: z.string() }).optional(),
});
export const ConnectionInfoSchema: z.ZodType<ConnectionInfo> = z.object({
  id: z.string(),
  protocol: z.enum(PROTOCOLS),
  sandbox: z.string(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
  messageCount: z.number(),
  client: z.string(),
  server: z.string().optional(),
  label: z.string().optional(),
  parent: z.string().optional(),
  openedByPage: z.boolean().optional(),
  unclaimed: z.boolean().optional(),
});
export const TranscriptPageSchema: z.ZodType<TranscriptPage> = z.object({
  connection: ConnectionInfoSchema,
  messages: z.array(LabMessageSchema),
  more: z.boolean(),
  next: z.number().nullable(),
  children: z.array(ConnectionInfoSchema).optional(),
});
export const MailSummarySchema = z.object({
  id: z.string(),
  sandbox: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  date: z.number(),
  size: z.number(),
  conn: z.string().nullable(),
  messageId: z.string().nullable(),
  inReplyTo: z.string().nullable(),
}) satisfies z.ZodType<MailSummary>;
export const ParsedMailSchema: z.ZodType<ParsedMail> = MailSummarySchema.extend({
  headers: z.array(z.object({ name: z.string(), value: z.string() })),
  text: z.string(),
  html: z.boolean(),
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), size: z.number() })),
});
export const StepStateSchema: z.ZodType<StepState> = z.object({
  protocol: z.enum(PROTOCOLS),
  enabled: z.boolean(),
  scope: z.enum(STEP_SCOPES),
  conn: z.string().optional(),
  held: z.number(),
  playing: z.boolean(),
  paceMs: z.number(),
  next: z
    .object({ conn: z.string(), connection: z.string(), dir: Dir, text: z.string(), full: z.string().optional(), editable: z.boolean().optional(), refusal: z.string().optional() })
    .optional(),
});

const id = segment(/[A-Za-z0-9_-]{1,64}/);

export const coreContracts = {
  connections: route({
    method: 'GET',
    path: '/api/connections',
    query: z.object({
      protocol: z.enum(PROTOCOLS).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(50),
      /** Only connections started before this (ms since the epoch): the next page back, from the oldest start listed. */
      before: z.coerce.number().positive().optional(),
    }),
    reply: z.object({ connections: z.array(ConnectionInfoSchema) }),
  }),
  /** A page of one transcript: stored messages with seq ≥ from (a capped connection's summary note is seq cap + 0.5). */
  connection: route({
    method: 'GET',
    path: '/api/connections/:id',
    params: { id },
    query: z.object({ from: z.coerce.number().min(0).default(0), limit: z.coerce.number().int().min(1).max(2000).default(500) }),
    reply: TranscriptPageSchema,
  }),
  mailbox: route({ method: 'GET', path: '/api/mailbox', reply: z.object({ messages: z.array(MailSummarySchema) }) }),
  /** The RFC 5322 source as stored: bytes, not JSON. */
  mailRaw: route({ method: 'GET', path: '/api/mailbox/:id/raw', params: { id }, reply: raw('message/rfc822') }),
  mail: route({ method: 'GET', path: '/api/mailbox/:id', params: { id }, reply: ParsedMailSchema }),
  step: route({ method: 'GET', path: '/api/step', reply: z.object({ step: z.array(StepStateSchema) }) }),
  setStep: route({
    method: 'POST',
    path: '/api/step/:protocol',
    params: { protocol: segment(/[a-z]+/) },
    // scope: 'sandbox' (default: every connection of the sandbox no browser opened), 'connection' (conn), 'own' (none from HTTP).
    // action 'edit' releases the next held message with `text` in its place; 'drop' releases nothing (hold-edit-release).
    body: z.object({
      enabled: z.boolean().optional(),
      scope: z.enum(STEP_SCOPES).optional(),
      conn: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
      action: z.enum(['next', 'play', 'pause', 'edit', 'drop']).optional(),
      text: z.string().max(256 * 1024).optional(),
      paceMs: z.number().min(50).max(10_000).optional(),
    }),
    reply: StepStateSchema,
  }),
};
