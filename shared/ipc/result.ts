/**
 * Every invoke answers with a Result instead of throwing: errors thrown across Electron IPC
 * arrive with only their message (electron docs, ipc.md), and a WebSocket has no exceptions.
 */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: string): Result<never> => ({ ok: false, error });
