/**
 * Therapists' own session scripts, saved as JSON files in <dataDir>/scripts/ (one per script),
 * validated with the same rules as the built-in ones (shared/session-script/script.ts).
 */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateScript, type SessionScript } from '../../shared/session-script/script';

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export class ScriptStore {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'scripts');
  }

  async list(): Promise<SessionScript[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const out: SessionScript[] = [];
    for (const n of names.filter((x) => x.endsWith('.json')).sort()) {
      try {
        const v = validateScript(JSON.parse(await readFile(join(this.dir, n), 'utf8')));
        if (v.ok) out.push(v.script);
      } catch {
        // unreadable file: left in place, not listed
      }
    }
    return out;
  }

  async save(raw: unknown): Promise<SessionScript> {
    const v = validateScript(raw);
    if (!v.ok) throw new Error(`This script cannot be saved: ${v.error}.`);
    const id = ID_PATTERN.test(v.script.id) ? v.script.id : v.script.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64) || 'script';
    const script = { ...v.script, id };
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, `${id}.json`);
    await writeFile(`${path}.tmp`, JSON.stringify(script, null, 2));
    await rename(`${path}.tmp`, path);
    return script;
  }

  async remove(id: string): Promise<boolean> {
    if (!ID_PATTERN.test(id)) return false;
    try {
      await rm(join(this.dir, `${id}.json`));
      return true;
    } catch {
      return false;
    }
  }
}
