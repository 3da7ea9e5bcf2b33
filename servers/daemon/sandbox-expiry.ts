/**
 * Idle expiry of student sandboxes (issue 15, LAB_SANDBOX_IDLE_DAYS): a sandbox no browser has
 * opened and no client has logged into for that long is forgotten — its login, browser tokens,
 * files, mail, lesson progress and every lab's rows for it. Its transcripts are unreachable from
 * then on and age out with LAB_RETENTION_DAYS like every other. The default sandbox never expires.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FaultEngine } from '../../lib/faults/engine.ts';
import type { ClientAddressBook } from '../../lib/sandbox/address-book.ts';
import type { SandboxDirectory } from '../../lib/sandbox/directory.ts';
import { sandboxRoot } from '../../lib/sandbox/jail.ts';
import { forgetSpaceAccount } from '../../lib/sandbox/quota.ts';
import type { Db } from '../../lib/store/db.ts';
import type { StepController } from '../../lib/wire/step.ts';
import type { RunningLab } from './lab.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;
/** Transcripts keep their own retention (connections are deleted with their messages and capture). */
const KEPT_TABLES = new Set(['connections', 'sandboxes', 'sandbox_tokens']);

/** Every table with a `sandbox` column: the kernel's and each lab's own (a lab's new table is covered by construction). */
function sandboxTables(db: Db): string[] {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[];
  return tables
    .map((t) => t.name)
    .filter((name) => !KEPT_TABLES.has(name) && (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as { name: string }[]).some((c) => c.name === 'sandbox'));
}

/** Forgets one student sandbox: its rows in every table, its login and tokens, its file tree. False: nothing to forget (the default sandbox, or none). */
export async function forgetSandbox(db: Db, directory: SandboxDirectory, dataDir: string, sandbox: string): Promise<boolean> {
  if (sandbox === directory.defaultSandbox || !directory.exists(sandbox)) return false;
  db.transaction(() => {
    for (const table of sandboxTables(db)) db.prepare(`DELETE FROM "${table}" WHERE sandbox = ?`).run(sandbox);
  })();
  directory.remove(sandbox);
  await fs.rm(path.join(dataDir, 'sandboxes', sandbox), { recursive: true, force: true });
  return true;
}

/** What the daemon keeps in memory per sandbox besides its rows and files. */
export interface SandboxMemory {
  faults: Pick<FaultEngine, 'forget'>;
  labs: readonly Pick<RunningLab, 'forgetSandbox'>[];
  /** Every tap's step mode. */
  steps: Iterable<Pick<StepController, 'forget'>>;
  /** The classroom machines each sandbox's pages were seen on. */
  addresses: Pick<ClientAddressBook, 'forget'>;
  /** The data dir's real path: a Jail's quota account is keyed by its real root (Jail.open resolves it). */
  realDataDir: string;
}

/** Drops it for a forgotten sandbox. Faults first: disarming tells their labs (the policy provider's offer), whose state goes next. */
export function forgetSandboxMemory(memory: SandboxMemory, sandbox: string): void {
  memory.faults.forget(sandbox);
  for (const lab of memory.labs) lab.forgetSandbox?.(sandbox);
  for (const step of memory.steps) step.forget(sandbox);
  memory.addresses.forget(sandbox);
  forgetSpaceAccount(sandboxRoot(memory.realDataDir, sandbox));
}

/**
 * Forgets every sandbox idle for `idleDays` (0: never); returns the ids forgotten. `onForgotten` is
 * called after each, so the daemon drops what labs and taps keep in memory for it.
 */
export async function expireIdleSandboxes(db: Db, directory: SandboxDirectory, dataDir: string, idleDays: number, onForgotten: (sandbox: string) => void, now = Date.now()): Promise<string[]> {
  if (idleDays <= 0) return [];
  const forgotten: string[] = [];
  for (const sandbox of directory.idleSince(now - idleDays * DAY_MS)) {
    if (!(await forgetSandbox(db, directory, dataDir, sandbox))) continue;
    forgotten.push(sandbox);
    onForgotten(sandbox);
  }
  return forgotten;
}

/** Sweeps now and every hour; returns the function that stops it. */
export function startSandboxExpiry(db: Db, directory: SandboxDirectory, dataDir: string, idleDays: number, onForgotten: (sandbox: string) => void): () => void {
  const sweep = () =>
    expireIdleSandboxes(db, directory, dataDir, idleDays, onForgotten).then(
      (gone) => gone.length > 0 && console.log(`[sandboxes] forgot ${gone.length} sandbox(es) idle for ${idleDays} days: ${gone.join(', ')}`),
      (err: unknown) => console.error('[sandboxes] idle expiry failed:', err),
    );
  void sweep();
  const timer = setInterval(() => void sweep(), SWEEP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
