import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_TRANSCRIPT_LIMITS as TRANSCRIPTS, type TranscriptLimits } from '../../lib/store/retention.ts';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

// Every setting comes from the environment; README documents each one.
const ConfigSchema = z.object({
  PORT: port(3000),
  LAB_HOST: z.string().min(1).default('127.0.0.1'),
  // Extra names the web side answers to (comma-separated), beyond localhost, 127.0.0.1, [::1] and LAB_HOST.
  LAB_ALLOWED_HOSTS: z.string().default(''),
  LAB_DATA_DIR: z.string().min(1).default('./data'),
  LAB_PASSWORD: z.string().min(1).optional(),
  LAB_SANDBOX: z.string().regex(/^[a-z0-9-]{1,32}$/).default('local'),
  LAB_SANDBOX_QUOTA: z.coerce.number().int().min(1024).default(500 * 1024 * 1024),
  SMTP_PORT: port(2525),
  FTP_PORT: port(2121),
  // Public passive ports, 'min-max' (RFC 959 §3.2); the lab advertises one per PASV/EPSV.
  FTP_PASV_RANGE: z.string().regex(/^\d{1,5}-\d{1,5}$/).default('30000-30009'),
  FTP_MAX_FILE_SIZE: z.coerce.number().int().min(1024).default(200 * 1024 * 1024),
  SERVICE_PORT: port(8080),
  SMTP_MAX_SIZE: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
  SSH_PORT: port(2222),
  // Transcript storage: messages kept whole per connection, days a finished connection is kept (0 = for ever), total size.
  LAB_TRANSCRIPT_MESSAGES: z.coerce.number().int().min(10).max(1_000_000).default(TRANSCRIPTS.maxMessages),
  LAB_RETENTION_DAYS: z.coerce.number().min(0).default(TRANSCRIPTS.retentionDays),
  LAB_TRANSCRIPT_MAX_MB: z.coerce.number().min(1).default(TRANSCRIPTS.maxBytes / 1024 / 1024),
});

/** The daemon's settings, parsed from the environment. */
export interface LabConfig {
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
  /** SMTP lab; `helloGraceMs` (time to say HELO/EHLO, default 60 s) and `idleMs` (default 5 min) are for tests. */
  smtp: { port: number; maxSize: number; helloGraceMs?: number; idleMs?: number };
  /** SSH/SFTP lab; `loginGraceMs` overrides sshd's 2-minute LoginGraceTime (tests). */
  ssh: { port: number; loginGraceMs?: number };
  /** How much transcript the store keeps; unset parts use DEFAULT_TRANSCRIPT_LIMITS (lib/store/retention.ts). */
  transcripts?: Partial<TranscriptLimits>;
  /** FTP lab: control port, public passive range (null = any free port, for tests), upload limit per file. */
  ftp: { port: number; pasvRange: { min: number; max: number } | null; maxFileBytes: number };
  /** The web-service host (SOAP lab). */
  service: { port: number };
}

/** Parses settings from `env`; throws one readable line per bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): LabConfig {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const c = parsed.data;
  return {
    webPort: c.PORT,
    host: c.LAB_HOST,
    allowedHosts: c.LAB_ALLOWED_HOSTS.split(',').map((name) => name.trim()).filter(Boolean),
    dataDir: path.resolve(c.LAB_DATA_DIR),
    password: c.LAB_PASSWORD,
    sandbox: c.LAB_SANDBOX,
    sandboxQuotaBytes: c.LAB_SANDBOX_QUOTA,
    smtp: { port: c.SMTP_PORT, maxSize: c.SMTP_MAX_SIZE },
    ssh: { port: c.SSH_PORT },
    ftp: { port: c.FTP_PORT, pasvRange: parseRange(c.FTP_PASV_RANGE), maxFileBytes: c.FTP_MAX_FILE_SIZE },
    service: { port: c.SERVICE_PORT },
    transcripts: { maxMessages: c.LAB_TRANSCRIPT_MESSAGES, retentionDays: c.LAB_RETENTION_DAYS, maxBytes: Math.round(c.LAB_TRANSCRIPT_MAX_MB * 1024 * 1024) },
  };
}

/** Parses 'min-max' into a port range; throws on an empty or inverted range. */
function parseRange(text: string): { min: number; max: number } {
  const [min, max] = text.split('-').map(Number);
  if (!(min >= 1 && max <= 65535 && min <= max)) throw new Error(`Invalid configuration:\n  FTP_PASV_RANGE: ${text} is not a port range like 30000-30009`);
  return { min, max };
}

/** The user name every lab server accepts. */
export const LAB_USER = 'student';
