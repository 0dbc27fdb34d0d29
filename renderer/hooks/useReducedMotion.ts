import { useSyncExternalStore } from 'react';

const query = typeof window !== 'undefined' ? window.matchMedia('(prefers-reduced-motion: reduce)') : null;
const subscribe = (cb: () => void): (() => void) => {
  query?.addEventListener('change', cb);
  return () => query?.removeEventListener('change', cb);
};
const get = (): boolean => query?.matches ?? false;

/** The operating system's reduced-motion preference, live. */
export function useSystemReducedMotion(): boolean {
  return useSyncExternalStore(subscribe, get);
}
