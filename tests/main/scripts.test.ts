// @vitest-environment node
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScriptStore } from '../../main/services/scripts';
import { BUILTIN_SCRIPTS } from '../../shared/session-script/builtin-scripts';

describe('ScriptStore', () => {
  it('saves a therapist’s edited script, lists it and deletes it', async () => {
    const store = new ScriptStore(mkdtempSync(join(tmpdir(), 'soothe-scripts-')));
    const base = BUILTIN_SCRIPTS[0];
    if (!base) throw new Error('no built-in script');
    const saved = await store.save({ ...base, id: 'my-srb', title: 'My SRB', phases: [...base.phases, { id: 'x', title: 'Imagery', kind: 'imagery', durationS: 120, pacer: true, instructions: 'Safe place' }] });
    expect(saved.id).toBe('my-srb');
    expect((await store.list()).map((s) => [s.id, s.phases.length])).toEqual([['my-srb', base.phases.length + 1]]);
    expect(await store.remove('my-srb')).toBe(true);
    expect(await store.list()).toEqual([]);
  });

  it('refuses an invalid script with the reason and never writes outside its folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soothe-scripts-'));
    const store = new ScriptStore(dir);
    await expect(store.save({ title: 'x', phases: [] })).rejects.toThrow('This script cannot be saved: the script needs at least one phase.');
    const s = await store.save({ id: '../../evil', title: 'Evil Path', phases: [{ title: 'p', kind: 'rest', durationS: 60, instructions: '', pacer: false }] });
    expect(s.id).toBe('evil-path');
    expect(await store.remove('../../etc/passwd')).toBe(false);
    writeFileSync(join(dir, 'scripts', 'broken.json'), '{');
    expect((await store.list()).map((x) => x.id)).toEqual(['evil-path']);
  });
});
