import path from 'node:path';
import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

// Every setting comes from the environment; README documents each one.
const ConfigSchema = z.object({
  PORT: port(3000),
  LAB_HOST: z.string().min(1).default('127.0.0.1'),
  LAB_DATA_DIR: z.string().min(1).default('./data'),
  LAB_PASSWORD: z.string().min(1).optional(),
  LAB_SANDBOX: z.string().regex(/^[a-z0-9-]{1,32}$/).default('local'),
  SMTP_PORT: port(2525),
  SMTP_MAX_SIZE: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(1024 * 1024),
});

/** The daemon's settings, parsed from the environment. */
export interface LabConfig {
  webPort: number;
  host: string;
  dataDir: string;
  /** Undefined: use (or generate once) the password kept in the store. */
  password: string | undefined;
  sandbox: string;
  smtp: { port: number; maxSize: number };
}

/** Parses settings from `env`; throws one readable line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LabConfig {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const c = parsed.data;
  return {
    webPort: c.PORT,
    host: c.LAB_HOST,
    dataDir: path.resolve(c.LAB_DATA_DIR),
    password: c.LAB_PASSWORD,
    sandbox: c.LAB_SANDBOX,
    smtp: { port: c.SMTP_PORT, maxSize: c.SMTP_MAX_SIZE },
  };
}

/** The user name every lab server accepts. */
export const LAB_USER = 'student';
