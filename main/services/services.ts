/**
 * The main-process services behind the contract, as a plain Node module: tests and the web
 * server use it directly; the Electron entry only wires it to ipcMain.
 */
import { EventEmitter } from 'node:events';
import type { EventChannel, EventPayload, InvokeArgs, InvokeChannel, InvokeValue, RecordEvent } from '../../shared/ipc/contract';
import type { Settings } from '../../shared/types/settings';
import { fail, ok, type Result } from '../../shared/ipc/result';
import { Recorder } from './recorder';
import { SettingsStore } from './settings-store';
import { SerialPpgManager } from './serial-ppg';
import { SessionLibrary } from './sessions/library';
import { createSessionHandlers } from './sessions/library-handlers';

export type Handlers = { [K in InvokeChannel]: (...args: InvokeArgs<K>) => Promise<InvokeValue<K>> };

export interface Services {
  readonly handlers: Handlers;
  /** Broadcasts main → renderer events to every attached transport. */
  readonly events: {
    emit<K extends EventChannel>(channel: K, payload: EventPayload<K>): void;
    subscribe(listener: (channel: EventChannel, payload: unknown) => void): () => void;
  };
  dispose(): Promise<void>;
}

export interface ServicesOptions {
  readonly dataDir: string;
  readonly version: string;
  readonly shell: 'electron' | 'web';
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length < 200;

export function createServices(opts: ServicesOptions): Services {
  const settings = new SettingsStore(opts.dataDir);
  const recorder = new Recorder(opts.dataDir);
  const library = new SessionLibrary(opts.dataDir, () => recorder.activeIds());
  // Sessions a crash or power loss left open are recovered (and marked interrupted) at start.
  library.recover();
  const bus = new EventEmitter();
  const serial = new SerialPpgManager({
    onSamples: (b) => {
      recorder.recordSerialSamples(b); // raw input is recorded where it arrives
      bus.emit('event', 'serial:samples', b);
    },
    onBeats: (b) => bus.emit('event', 'serial:beats', b),
    onStatus: (st) => bus.emit('event', 'serial:status', st),
  });

  const handlers: Handlers = {
    'app:info': async () => ({ version: opts.version, shell: opts.shell, platform: process.platform }),
    'settings:get': () => settings.get(),
    'settings:set': (patch: Partial<Settings>) => settings.set(patch),
    'recording:start': async (meta) => {
      if (!isString(meta?.source) || !isString(meta?.wallClockStartIso)) throw new Error('recording:start needs source and wallClockStartIso');
      return recorder.start(meta);
    },
    'recording:append': async (sessionId: string, events: readonly RecordEvent[]) => {
      if (!isString(sessionId) || !Array.isArray(events)) throw new Error('recording:append needs a session id and an array of events');
      return recorder.append(sessionId, events);
    },
    'recording:stop': (sessionId: string) => recorder.stop(sessionId),
    'serial:list': () => serial.list(),
    'serial:open': (req) => {
      if (!req || !isString(req.path)) throw new Error('serial:open needs a device path');
      return serial.open(req);
    },
    'serial:close': () => serial.close(),
    ...createSessionHandlers(library),
  };

  return {
    handlers,
    events: {
      emit: (channel, payload) => bus.emit('event', channel, payload),
      subscribe: (listener) => {
        const l = (c: EventChannel, p: unknown): void => listener(c, p);
        bus.on('event', l);
        return () => bus.off('event', l);
      },
    },
    dispose: async () => {
      await serial.close();
      await recorder.closeAll();
    },
  };
}

/** Runs a handler by channel name and wraps the outcome in a Result (both transports use this). */
export async function dispatch(handlers: Handlers, channel: InvokeChannel, args: readonly unknown[]): Promise<Result<unknown>> {
  try {
    const fn = handlers[channel] as (...a: readonly unknown[]) => Promise<unknown>;
    return ok(await fn(...args));
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}
