/**
 * The scaffold of a browser store React reads through useSyncExternalStore: a version counter each change
 * bumps and the listeners told of it, so a burst of changes costs one render.
 */
export class VersionedStore {
  private readonly listeners = new Set<() => void>();
  private version = 0;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  /** Marks a change and tells the listeners. An arrow, so another store can take it as its listener. */
  protected readonly bump = (): void => {
    this.version++;
    for (const listener of this.listeners) listener();
  };
}
