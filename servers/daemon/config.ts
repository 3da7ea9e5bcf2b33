import path from 'node:path';
import type { HubLimits } from './hub.ts';
import { z } from 'zod';
import { portNumber as port } from '../../lib/labs/env.ts';
import { DEFAULT_TRANSCRIPT_LIMITS as TRANSCRIPTS, type TranscriptLimits } from '../../lib/store/retention.ts';
import { DEFAULT_CAPTURE_BYTES } from '../../lib/bus/captures.ts';
import { DEFAULT_HEAP_GROWTH_PERCENT } from './heap.ts';
import type { AnyLabModule } from './lab.ts';
import { LABS, type LabSettingsMap } from '../index.ts';

// The daemon's own settings come from the environment; each lab reads its own (LabModule.settings).
// README documents each one (tests/integration/readme-ports.test.ts checks the labs' rows).
const ConfigSchema = z.object({
  PORT: port(3000),
  LAB_HOST: z.string().min(1).default('127.0.0.1'),
  // Extra names the web side answers to (comma-separated), beyond localhost, 127.0.0.1, [::1] and LAB_HOST.
  LAB_ALLOWED_HOSTS: z.string().default(''),
  LAB_DATA_DIR: z.string().min(1).default('./data'),
  LAB_PASSWORD: z.string().min(1).optional(),
  LAB_SANDBOX: z.string().regex(/^[a-z0-9-]{1,32}$/).default('local'),
  LAB_SANDBOX_QUOTA: z.coerce.number().int().min(1024).default(500 * 1024 * 1024),
  // Student sandboxes the lab holds at once (each browser that opens its own, each student who joins a class).
  LAB_MAX_SANDBOXES: z.coerce.number().int().min(1).max(100_000).default(500),
  // Days a student sandbox may stay unused (no page opened, no login) before it is forgotten; 0 keeps them.
  LAB_SANDBOX_IDLE_DAYS: z.coerce.number().min(0).default(30),
  // Live connections a student sandbox may hold at once, over every lab (its consoles and its clients).
  LAB_SANDBOX_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(10_000).default(40),
  // Mails a student sandbox's mailbox may hold; beyond it RCPT is answered 552 5.2.2 (mailbox full).
  LAB_SANDBOX_MAX_MAILS: z.coerce.number().int().min(1).max(1_000_000).default(1000),
  // The teacher's token (classes, freeze, rewind, projector); unset: generated once and kept in the data dir.
  LAB_TEACHER_TOKEN: z.string().min(12).optional(),
  // Transcript storage: messages kept whole per connection, days a finished connection is kept (0 = for ever), total size.
  LAB_TRANSCRIPT_MESSAGES: z.coerce.number().int().min(10).max(1_000_000).default(TRANSCRIPTS.maxMessages),
  LAB_RETENTION_DAYS: z.coerce.number().min(0).default(TRANSCRIPTS.retentionDays),
  LAB_TRANSCRIPT_MAX_MB: z.coerce.number().min(1).default(TRANSCRIPTS.maxBytes / 1024 / 1024),
  // Stored transcript per student sandbox; above it that sandbox's oldest finished connections go first.
  LAB_SANDBOX_TRANSCRIPT_MB: z.coerce.number().min(1).default(TRANSCRIPTS.maxBytesPerSandbox / 1024 / 1024),
  // Bytes captured per connection (both directions) for the bytes view and pcapng export; 0 captures nothing.
  LAB_CAPTURE_BYTES: z.coerce.number().int().min(0).max(1024 * 1024 * 1024).default(DEFAULT_CAPTURE_BYTES),
  // Where costly dissectors run: on the dissect thread, or inline on the main thread (for comparison, or where worker threads misbehave).
  LAB_DISSECT_THREAD: z.enum(['thread', 'inline']).default('thread'),
  // Percent the V8 heap may grow between full collections (heap.ts); 0 leaves it to V8.
  LAB_HEAP_GROWTH: z.coerce.number().int().min(0).max(400).default(DEFAULT_HEAP_GROWTH_PERCENT),
});

/** The daemon's own settings (web port, host, data dir, sandbox, transcripts). */
export interface CoreConfig {
  webPort: number;
  host: string;
  /** Extra Host names the web side accepts (LAB_ALLOWED_HOSTS); see host-guard.ts for the full rule. */
  allowedHosts: string[];
  dataDir: string;
  /** Undefined: use (or generate once) the password kept in the store. */
  password: string | undefined;
  sandbox: string;
  /** Most bytes a sandbox's file tree may hold (uploads beyond it are refused). */
  sandboxQuotaBytes: number;
  /** Most student sandboxes at once (LAB_MAX_SANDBOXES); unset: 500. */
  maxSandboxes?: number;
  /** Days an unused student sandbox is kept (LAB_SANDBOX_IDLE_DAYS; 0 = for ever); unset: 30. */
  sandboxIdleDays?: number;
  /** Live connections per student sandbox (LAB_SANDBOX_MAX_CONNECTIONS); unset: 40. */
  sandboxMaxConnections?: number;
  /** Mails per student sandbox (LAB_SANDBOX_MAX_MAILS); unset: 1000. */
  sandboxMaxMails?: number;
  /** The teacher's token (LAB_TEACHER_TOKEN); undefined: use (or generate once) the one kept in the store. */
  teacherToken?: string;
  /** How much transcript the store keeps; unset parts use DEFAULT_TRANSCRIPT_LIMITS (lib/store/retention.ts). */
  transcripts?: Partial<TranscriptLimits>;
  /** Bytes captured per connection, both directions together (LAB_CAPTURE_BYTES); unset: DEFAULT_CAPTURE_BYTES. */
  captureBytes?: number;
  /** How far a slow browser may fall behind; unset parts use DEFAULT_HUB_LIMITS (hub.ts). Tests lower them. */
  hub?: Partial<HubLimits>;
  /** Where the taps that name a thread dissector dissect (LAB_DISSECT_THREAD); unset: on the dissect thread. */
  dissectThread?: 'thread' | 'inline';
  /** Percent the V8 heap may grow between full collections (LAB_HEAP_GROWTH; 0: V8 decides); unset: DEFAULT_HEAP_GROWTH_PERCENT. */
  heapGrowthPercent?: number;
}

/** The daemon's settings: its own, and under each registered lab's id that lab's settings. */
export type LabConfig = CoreConfig & LabSettingsMap;

type Env = Record<string, string | undefined>;

/** One readable line per bad variable. */
const problems = (error: z.ZodError): string[] => error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

/** Parses settings from `env` for `labs` (the registry); throws one readable line per bad variable, every lab's at once. */
export function loadConfig(env: Env = process.env, labs: readonly AnyLabModule[] = LABS): LabConfig {
  const parsed = ConfigSchema.safeParse(env);
  const lines = parsed.success ? [] : problems(parsed.error);
  const settings: Record<string, unknown> = {};
  for (const lab of labs) {
    const result = lab.settings.safeParse(env);
    if (result.success) settings[lab.about.id] = result.data;
    else lines.push(...problems(result.error));
  }
  if (!parsed.success || lines.length > 0) throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  // Each lab's settings are typed by its own schema; the map is keyed by the ids of the same list.
  return { ...coreConfig(parsed.data), ...(settings as LabSettingsMap) };
}

/** The daemon's own settings from the parsed environment. */
function coreConfig(c: z.output<typeof ConfigSchema>): CoreConfig {
  return {
    webPort: c.PORT,
    host: c.LAB_HOST,
    allowedHosts: c.LAB_ALLOWED_HOSTS.split(',').map((name) => name.trim()).filter(Boolean),
    dataDir: path.resolve(c.LAB_DATA_DIR),
    password: c.LAB_PASSWORD,
    sandbox: c.LAB_SANDBOX,
    sandboxQuotaBytes: c.LAB_SANDBOX_QUOTA,
    maxSandboxes: c.LAB_MAX_SANDBOXES,
    sandboxIdleDays: c.LAB_SANDBOX_IDLE_DAYS,
    sandboxMaxConnections: c.LAB_SANDBOX_MAX_CONNECTIONS,
    sandboxMaxMails: c.LAB_SANDBOX_MAX_MAILS,
    teacherToken: c.LAB_TEACHER_TOKEN,
    transcripts: {
      maxMessages: c.LAB_TRANSCRIPT_MESSAGES,
      retentionDays: c.LAB_RETENTION_DAYS,
      maxBytes: Math.round(c.LAB_TRANSCRIPT_MAX_MB * 1024 * 1024),
      maxBytesPerSandbox: Math.round(c.LAB_SANDBOX_TRANSCRIPT_MB * 1024 * 1024),
      // The machine owner's (the teacher's) recordings are bounded by the shared cap only.
      uncappedSandbox: c.LAB_SANDBOX,
    },
    captureBytes: c.LAB_CAPTURE_BYTES,
    dissectThread: c.LAB_DISSECT_THREAD,
    heapGrowthPercent: c.LAB_HEAP_GROWTH,
  };
}


/** The user name every lab server accepts. */
export const LAB_USER = 'student';
