import { groupDigits } from '../text/numbers.ts';
import { sandboxUsage } from './usage.ts';

/** A write that would take the sandbox past its quota; the writer words it for its protocol. */
export class QuotaExceeded extends Error {
  readonly code = 'ENOSPC';
  /** The limit and what is left, in words. */
  readonly detail: string;
  constructor(
    readonly virtualPath: string,
    readonly limit: number,
    readonly left: number,
  ) {
    const detail = `this sandbox holds at most ${groupDigits(limit)} bytes; ${groupDigits(left)} are left`;
    super(`${virtualPath}: quota exceeded (${detail})`);
    this.detail = detail;
    this.name = 'QuotaExceeded';
  }
}

/** One open write (an upload, an SFTP handle, a shell `cp`): growth is charged to the account while it lasts. */
export interface SpaceLease {
  /** Charges the file at `real` going from `from` to `to` bytes; throws QuotaExceeded (and charges nothing) if it would not fit. */
  resize(virtual: string, real: string, from: number, to: number): void;
  end(): void;
}

/**
 * The bytes one sandbox holds, shared by every writer (FTP, SFTP, the shell, the panels) so one
 * quota binds them all. Sizes are apparent sizes (st_size), so a sparse file counts in full,
 * as `ls -l` shows it. The tree is rescanned when a write begins while no other write is open:
 * whatever changed the tree meanwhile (a delete, a restart) is seen. While writes are open,
 * every growth is checked and added synchronously, so concurrent writers cannot overshoot together;
 * a recount counts each open file at the size charged for it, even if its bytes are still in flight.
 */
export class SpaceAccount {
  /** Most bytes the sandbox may hold; undefined = no quota. */
  limit: number | undefined;
  private used = 0;
  private open = 0;
  private scanning: Promise<void> | null = null;
  /** Per open lease: the size charged for each file it writes (real path → bytes). */
  private readonly leases = new Set<Map<string, number>>();

  constructor(private readonly root: string) {}

  /** Starts a write; rescans first if it is the only one. */
  async begin(): Promise<SpaceLease> {
    if (this.open++ === 0 || this.scanning) {
      this.scanning ??= this.count().then(
        (bytes) => {
          this.used = bytes;
          this.scanning = null;
        },
        () => {
          this.scanning = null;
        },
      );
      await this.scanning;
    }
    let ended = false;
    const sizes = new Map<string, number>();
    this.leases.add(sizes);
    return {
      resize: (virtual, real, from, to) => {
        this.charge(virtual, to - from);
        sizes.set(real, to);
      },
      end: () => {
        if (ended) return;
        ended = true;
        this.leases.delete(sizes);
        this.open--;
      },
    };
  }

  /**
   * Recounts the tree. Called before refusing a write: files deleted behind the writers' back
   * (by hand, by a test) while other writes were open must not make the lab refuse wrongly.
   */
  async rescan(): Promise<void> {
    this.used = await this.count();
  }

  private count(): Promise<number> {
    return sandboxUsage(this.root, (file, onDisk) => {
      let size = onDisk;
      for (const sizes of this.leases) size = Math.max(size, sizes.get(file) ?? 0);
      return size;
    });
  }

  /** Whether a write is open (a lease still charges this account). */
  get writing(): boolean {
    return this.open > 0;
  }

  /** Bytes freed outside a lease (a delete); the next rescan corrects any drift. */
  free(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }

  private charge(virtual: string, delta: number): void {
    if (delta > 0 && this.limit !== undefined && this.used + delta > this.limit) {
      throw new QuotaExceeded(virtual, this.limit, Math.max(0, this.limit - this.used));
    }
    this.used = Math.max(0, this.used + delta);
  }
}

const accounts = new Map<string, SpaceAccount>();

/** The one account of the sandbox at `realRoot`, shared by every Jail opened on it. */
export function spaceAccount(realRoot: string): SpaceAccount {
  let account = accounts.get(realRoot);
  if (!account) {
    account = new SpaceAccount(realRoot);
    accounts.set(realRoot, account);
  }
  return account;
}

/**
 * Drops the account of a sandbox that expired (servers/daemon/sandbox-expiry.ts): its tree is gone.
 * One a write still holds stays, so the quota that write is charged to is never split in two.
 */
export function forgetSpaceAccount(realRoot: string): void {
  if (accounts.get(realRoot)?.writing !== true) accounts.delete(realRoot);
}
