// @vitest-environment node
/**
 * The library on damaged folders, through the contract handlers as the renderer calls them:
 * broken or missing manifests, corrupt and cut lines, empty streams. Nothing throws; each is
 * listed with the reason and opened as far as it goes. Rename, notes and delete with checks.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices, dispatch } from '../../../main/services/services';
import type { SessionDetail, SessionListEntry } from '../../../shared/session-format/library-types';

const beat = (tMs: number, rrMs: number): string => JSON.stringify({ kind: 'beat', tMs, rrMs, source: 'simulator' }) + '\n';
const manifest = (id: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ format: 'soothe-session/1', sessionId: id, type: 'live', source: 'Simulator', wallClockStartIso: `2026-11-2${id.length % 9}T08:00:00.000Z`, status: 'complete', streams: ['events.ndjson'], ...extra });

function makeSession(dataDir: string, id: string, files: Record<string, string>): void {
  const dir = join(dataDir, 'sessions', id);
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
}

describe('session library on damaged folders', () => {
  it('lists every folder with the reason and opens what it can', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'soothe-lib-'));
    makeSession(dataDir, 'good', { 'manifest.json': manifest('good'), 'events.ndjson': beat(800, 800) + beat(1600, 800) + JSON.stringify({ kind: 'marker', tMs: 1700, label: 'settling' }) + '\n' });
    makeSession(dataDir, 'bad-manifest', { 'manifest.json': '{"format": "soothe-sess', 'events.ndjson': beat(800, 800) });
    makeSession(dataDir, 'no-manifest', { 'events.ndjson': beat(800, 800) + beat(1650, 850) });
    makeSession(dataDir, 'corrupt-lines', { 'manifest.json': manifest('corrupt-lines'), 'events.ndjson': beat(800, 800) + 'garbage\u0000\u0001\n' + '[1,2]\n' + beat(1600, 800) + '{"kind":"beat","tMs":24' });
    makeSession(dataDir, 'empty', { 'manifest.json': manifest('empty'), 'events.ndjson': '' });
    makeSession(dataDir, 'no-events', { 'manifest.json': manifest('no-events') });
    makeSession(dataDir, 'binary', { 'manifest.json': '\u0000\u00ff\u00fe', 'events.ndjson': '\u00ff\u00fe\u0000\n' });
    mkdirSync(join(dataDir, 'sessions', '.hidden-tmp'));
    const services = createServices({ dataDir, version: 'test', shell: 'web' });
    try {
      const listed = await dispatch(services.handlers, 'sessions:list', []);
      expect(listed.ok).toBe(true);
      const list = (listed.ok ? listed.value : []) as SessionListEntry[];
      const by = Object.fromEntries(list.map((s) => [s.id, s]));
      expect(Object.keys(by).sort()).toEqual(['bad-manifest', 'binary', 'corrupt-lines', 'empty', 'good', 'no-events', 'no-manifest']);
      expect(by.good?.damaged).toEqual([]);
      expect(by.good?.summary).toMatchObject({ beats: 2, markers: 1 });
      expect(by['bad-manifest']?.damaged).toEqual(['manifest.json is not valid JSON']);
      expect(by['bad-manifest']?.summary?.beats).toBe(1);
      expect(by['no-manifest']?.damaged).toEqual(['manifest.json is missing']);
      expect(by['corrupt-lines']?.damaged).toEqual(['events.ndjson ends in a cut line', 'events.ndjson: 2 unreadable line(s), skipped (first at line 2)']);
      expect(by['no-events']?.damaged).toEqual(['events.ndjson is missing']);
      expect(by.binary?.damaged.length).toBeGreaterThan(0);
      expect(by.empty?.damaged).toEqual([]);

      const opened = await dispatch(services.handlers, 'sessions:get', ['corrupt-lines']);
      expect(opened.ok).toBe(true);
      const detail = (opened.ok ? opened.value : null) as SessionDetail;
      expect(detail.events.map((e) => e.tMs)).toEqual([800, 1600]);
      expect(detail.damaged).toEqual(expect.arrayContaining(['events.ndjson: 2 unreadable line(s), skipped (first at line 2)', 'events.ndjson ends in a cut line (dropped)']));
      for (const id of Object.keys(by)) expect((await dispatch(services.handlers, 'sessions:get', [id])).ok).toBe(true);
      for (const format of ['csv', 'json', 'kubios', 'edf']) expect((await dispatch(services.handlers, 'sessions:export', ['no-manifest', format])).ok).toBe(true);

      // Requests with bad arguments are refused, not crashed on.
      for (const bad of ['../good', '', 'x/../../etc', 42]) expect((await dispatch(services.handlers, 'sessions:get', [bad])).ok).toBe(false);
      expect(await dispatch(services.handlers, 'sessions:rename', ['bad-manifest', 'x'])).toMatchObject({ ok: false });

      // Rename, notes, delete.
      expect(await dispatch(services.handlers, 'sessions:rename', ['good', '  Morning practice '])).toEqual({ ok: true, value: { name: 'Morning practice' } });
      expect(await dispatch(services.handlers, 'sessions:note', ['good', 'felt calm'])).toEqual({ ok: true, value: { notes: 'felt calm' } });
      const after = await dispatch(services.handlers, 'sessions:get', ['good']);
      expect(after.ok && (after.value as SessionDetail)).toMatchObject({ name: 'Morning practice', notes: 'felt calm', damaged: [] });
      expect(await dispatch(services.handlers, 'sessions:delete', ['empty'])).toEqual({ ok: true, value: { deleted: true } });
      expect(existsSync(join(dataDir, 'sessions', 'empty'))).toBe(false);
    } finally {
      await services.dispose();
    }
  });

  it('refuses to delete or rename a session that is being recorded', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'soothe-lib-'));
    const services = createServices({ dataDir, version: 'test', shell: 'web' });
    try {
      const started = await dispatch(services.handlers, 'recording:start', [{ source: 'live', wallClockStartIso: '2026-11-26T10:00:00.000Z' }]);
      const id = started.ok ? (started.value as { sessionId: string }).sessionId : '';
      const list = await dispatch(services.handlers, 'sessions:list', []);
      expect(list.ok && (list.value as SessionListEntry[])[0]).toMatchObject({ id, recording: true, interrupted: false, damaged: [] });
      expect(await dispatch(services.handlers, 'sessions:delete', [id])).toEqual({ ok: false, error: 'this session is still being recorded' });
      expect(await dispatch(services.handlers, 'sessions:rename', [id, 'x'])).toEqual({ ok: false, error: 'this session is still being recorded' });
      await dispatch(services.handlers, 'recording:stop', [id]);
      expect(await dispatch(services.handlers, 'sessions:delete', [id])).toEqual({ ok: true, value: { deleted: true } });
    } finally {
      await services.dispose();
    }
  });

  it('recovers, when the services start, a session whose writer died (and leaves a live writer alone)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'soothe-lib-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    const host = hostname();
    makeSession(dataDir, 'crashed', { 'manifest.json': manifest('crashed', { status: 'recording', writer: { pid: deadPid, host } }), 'events.ndjson': beat(800, 800) + beat(1600, 800) + '{"kind":"be' });
    makeSession(dataDir, 'alive', { 'manifest.json': manifest('alive', { status: 'recording', writer: { pid: process.ppid, host } }), 'events.ndjson': beat(800, 800) + '{"kind":"be' });
    const services = createServices({ dataDir, version: 'test', shell: 'web' });
    try {
      const r = await dispatch(services.handlers, 'sessions:list', []);
      const by = Object.fromEntries(((r.ok ? r.value : []) as SessionListEntry[]).map((s) => [s.id, s]));
      expect(by.crashed).toMatchObject({ status: 'interrupted', interrupted: true, recording: false, droppedPartialLines: 1, damaged: [] });
      expect(by.crashed?.summary?.beats).toBe(2);
      expect(by.alive).toMatchObject({ status: 'recording', recording: true, interrupted: false });
      expect(readFileSync(join(dataDir, 'sessions', 'alive', 'events.ndjson'), 'utf8').endsWith('{"kind":"be')).toBe(true);
    } finally {
      await services.dispose();
    }
  });
});
