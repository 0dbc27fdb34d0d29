/**
 * Client records for therapists: one JSON file per pseudonymous client code in
 * <dataDir>/clients/. Written atomically (temporary file + rename). Codes are validated so a code
 * can never name a path outside that folder.
 */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLIENT_CODE_PATTERN, type ClientRecord } from '../../shared/types/client-record';
import { normalizePacer } from '../../shared/pacer/phase';

export class ClientStore {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'clients');
  }

  private file(code: string): string {
    if (!CLIENT_CODE_PATTERN.test(code)) throw new Error('A client code uses 1–32 letters, digits, "-" or "_" (no names needed).');
    return join(this.dir, `${code}.json`);
  }

  async list(): Promise<ClientRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const out: ClientRecord[] = [];
    for (const n of names.filter((x) => x.endsWith('.json')).sort()) {
      try {
        out.push(sanitize(JSON.parse(await readFile(join(this.dir, n), 'utf8'))));
      } catch {
        // An unreadable record is skipped, never deleted: the therapist can still find the file.
      }
    }
    return out;
  }

  async save(patch: Partial<ClientRecord> & { code: string }): Promise<ClientRecord> {
    const path = this.file(patch.code);
    let base: ClientRecord | null = null;
    try {
      base = sanitize(JSON.parse(await readFile(path, 'utf8')));
    } catch {
      base = null;
    }
    const merged = sanitize({
      ...(base ?? { code: patch.code, createdIso: new Date().toISOString(), resonanceBreathsPerMin: null, pacer: null, notes: '', sessionIds: [] }),
      ...patch,
      sessionIds: [...new Set([...(base?.sessionIds ?? []), ...(patch.sessionIds ?? [])])],
    });
    await mkdir(this.dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(merged, null, 2));
    await rename(tmp, path);
    return merged;
  }

  async remove(code: string): Promise<boolean> {
    const path = this.file(code);
    try {
      await rm(path);
      return true;
    } catch {
      return false;
    }
  }

  /** The record as a JSON text the therapist can save elsewhere. */
  async exportJson(code: string): Promise<string> {
    return JSON.stringify(sanitize(JSON.parse(await readFile(this.file(code), 'utf8'))), null, 2);
  }
}

function sanitize(raw: unknown): ClientRecord {
  const r = (raw ?? {}) as Partial<ClientRecord>;
  if (typeof r.code !== 'string' || !CLIENT_CODE_PATTERN.test(r.code)) throw new Error('invalid client record');
  const rate = typeof r.resonanceBreathsPerMin === 'number' && r.resonanceBreathsPerMin >= 3 && r.resonanceBreathsPerMin <= 10 ? r.resonanceBreathsPerMin : null;
  return {
    code: r.code,
    createdIso: typeof r.createdIso === 'string' ? r.createdIso : new Date(0).toISOString(),
    resonanceBreathsPerMin: rate,
    pacer: r.pacer && typeof r.pacer === 'object' ? normalizePacer(r.pacer) : null,
    notes: typeof r.notes === 'string' ? r.notes.slice(0, 20_000) : '',
    sessionIds: Array.isArray(r.sessionIds) ? r.sessionIds.filter((x): x is string => typeof x === 'string').slice(-10_000) : [],
  };
}
