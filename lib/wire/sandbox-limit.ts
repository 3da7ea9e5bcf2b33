/**
 * Live connections per student sandbox, across every tap (LAB_SANDBOX_MAX_CONNECTIONS): one student's
 * script cannot take the lab's capacity from the rest of the class. The default sandbox (the machine
 * owner's, where every external client lands on a single-user install) is bounded per client address instead.
 */
export class SandboxConnectionLimit {
  private readonly live = new Map<string, number>();

  constructor(
    readonly max: number,
    private readonly exempt: string,
  ) {}

  /** Whether `sandbox` holds as many live connections as it may. */
  full(sandbox: string): boolean {
    return sandbox !== this.exempt && (this.live.get(sandbox) ?? 0) >= this.max;
  }

  /** Counts a connection into `sandbox`; false (and nothing counted) when it is full. */
  tryOpen(sandbox: string): boolean {
    if (this.full(sandbox)) return false;
    this.live.set(sandbox, (this.live.get(sandbox) ?? 0) + 1);
    return true;
  }

  close(sandbox: string): void {
    const left = (this.live.get(sandbox) ?? 1) - 1;
    if (left > 0) this.live.set(sandbox, left);
    else this.live.delete(sandbox);
  }
}
