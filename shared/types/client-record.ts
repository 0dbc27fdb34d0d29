import type { PacerSettings } from '../pacer/phase';

/**
 * A therapist's client, kept on this computer only. Identified by a pseudonymous code (no names
 * are required or asked for); exportable and deletable.
 */
export interface ClientRecord {
  /** Pseudonymous code chosen by the therapist, e.g. "C-014": letters, digits, '-', '_' (1–32). */
  readonly code: string;
  readonly createdIso: string;
  /** Resonance breathing rate from an assessment, breaths/min, or null. */
  readonly resonanceBreathsPerMin: number | null;
  /** Preferred pacer settings, used when a session with this client starts. */
  readonly pacer: PacerSettings | null;
  readonly notes: string;
  /** Sessions recorded with this client (session ids), oldest first. */
  readonly sessionIds: readonly string[];
}

export const CLIENT_CODE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
