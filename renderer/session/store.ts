/**
 * A tiny external store for React's useSyncExternalStore: `set` replaces the snapshot and
 * notifies; `get` returns the same object until the next set (so React does not re-render).
 */
export class Store<T> {
  private listeners = new Set<() => void>();
  constructor(private value: T) {}
  readonly get = (): T => this.value;
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  set(value: T): void {
    this.value = value;
    for (const l of this.listeners) l();
  }
}
