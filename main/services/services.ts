/**
 * The main-process services behind the contract, as a plain Node module: tests and the web
 * server use it directly; the Electron entry only wires it to ipcMain.
 */
import { EventEmitter } from 'node:events';
import type { EventChannel, EventPayload, InvokeArgs, InvokeChannel, InvokeValue, RecordEvent } from '../../shared/ipc/contract';
import type { Settings } from '../../shared/types/settings';
import type { ClientViewState, DisplayInfo } from '../../shared/types/client-view';
import { fail, ok, type Result } from '../../shared/ipc/result';
import { Recorder } from './recorder';
import { SettingsStore } from './settings-store';
import { ClientStore } from './clients';
import { ScriptStore } from './scripts';
import { SerialPpgManager } from './serial-ppg';
import { LslService } from './lsl/lsl-service';
import type { LslApiConfig } from '../../shared/lsl/api-config';
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
  /** Lab Streaming Layer settings over lsl_api.cfg (tests confine LSL to 127.0.0.1 this way). */
  readonly lslConfig?: Partial<LslApiConfig>;
  /** Electron only: answers the pending Bluetooth chooser (main/electron/ble-chooser.ts); false when none is pending. */
  readonly bleSelect?: (deviceId: string) => boolean;
  /** Electron only: opens the client view on a display (main/electron/client-window.ts). */
  readonly openClientWindow?: (displayId: number | undefined) => boolean;
  /** Electron only: the displays the client view can go on. */
  readonly listDisplays?: () => readonly DisplayInfo[];
  /** Electron only: prints the focused window (showing the report) to a PDF file and returns its path. */
  readonly printReportPdf?: (sessionId: string) => Promise<string>;
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length < 200;

export function createServices(opts: ServicesOptions): Services {
  const settings = new SettingsStore(opts.dataDir);
  const recorder = new Recorder(opts.dataDir);
  const library = new SessionLibrary(opts.dataDir, () => recorder.activeIds());
  // Sessions a crash or power loss left open are recovered (and marked interrupted) at start.
  library.recover();
  const bus = new EventEmitter();
  const clients = new ClientStore(opts.dataDir);
  const scripts = new ScriptStore(opts.dataDir);
  const lsl = new LslService({
    version: opts.version,
    config: opts.lslConfig,
    onStatus: (st) => bus.emit('event', 'lsl:status', st),
    // a researcher's markers (PsychoPy…) go into the session beside Soothe's own
    onInletMarkers: (sessionId, events) => void recorder.append(sessionId, events).catch(() => undefined),
  });
  bus.on('event', (channel: string, payload: unknown) => lsl.onSerialEvent(channel, payload));
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
    'lsl:status': async () => lsl.status(),
    'lsl:enable': async (on: boolean) => {
      if (typeof on !== 'boolean') throw new Error('lsl:enable needs true or false');
      const st = await lsl.enable(on);
      await settings.set({ lsl: { enabled: st.enabled, markerInlet: (await settings.get()).lsl?.markerInlet ?? null } });
      return st;
    },
    'lsl:push': async (batch) => lsl.push(batch),
    'lsl:marker-streams': () => lsl.listMarkerStreams(),
    'lsl:subscribe': async (pick) => {
      const st = lsl.subscribe(pick);
      await settings.set({ lsl: { enabled: (await settings.get()).lsl?.enabled ?? false, markerInlet: st.inlet?.pick ?? null } });
      return st;
    },
    ...createSessionHandlers(library),
    'ble:select': async (deviceId: string) => {
      if (!opts.bleSelect) throw new Error("the browser's own chooser is used");
      if (typeof deviceId !== 'string' || deviceId.length > 200) throw new Error('ble:select needs a device id (or an empty string to cancel)');
      return { selected: opts.bleSelect(deviceId) };
    },
    'client:publish': async (state: ClientViewState) => {
      if (!state || typeof state !== 'object' || !Array.isArray(state.schedule) || typeof state.seq !== 'number') throw new Error('client:publish needs a client view state');
      bus.emit('event', 'client:state', state);
      return { relayed: true };
    },
    'client:open-window': async (req) => {
      if (!opts.openClientWindow) throw new Error('In the browser edition the console opens the client view as a second browser window.');
      return { opened: opts.openClientWindow(typeof req?.displayId === 'number' ? req.displayId : undefined) };
    },
    'displays:list': async () => opts.listDisplays?.() ?? [],
    'clients:list': () => clients.list(),
    'clients:save': (patch) => {
      if (!patch || typeof patch.code !== 'string') throw new Error('clients:save needs a client code');
      return clients.save(patch);
    },
    'clients:delete': async (code) => ({ deleted: await clients.remove(String(code)) }),
    'clients:export': async (code) => ({ fileName: `soothe-client-${String(code)}.json`, json: await clients.exportJson(String(code)) }),
    'scripts:list': () => scripts.list(),
    'scripts:save': (script) => scripts.save(script),
    'scripts:delete': async (id) => ({ deleted: await scripts.remove(String(id)) }),
    'report:print-pdf': async (sessionId) => {
      if (!opts.printReportPdf) throw new Error('In the browser edition, use “Print or save as PDF” (the browser’s print dialog).');
      if (!isString(sessionId)) throw new Error('report:print-pdf needs a session id');
      return { path: await opts.printReportPdf(sessionId) };
    },
  };

  // While LSL is on it publishes what the session records (beats, metrics, reward, pacer, markers).
  const recordingStart = handlers['recording:start'];
  const recordingAppend = handlers['recording:append'];
  handlers['recording:start'] = async (meta) => {
    const atS = lsl.now();
    const r = await recordingStart(meta);
    lsl.startSession(r.sessionId, 0, atS);
    return r;
  };
  handlers['recording:append'] = async (sessionId, events) => {
    const r = await recordingAppend(sessionId, events);
    lsl.sessionEvents(sessionId, events);
    return r;
  };
  // Off by default: started here only when the person turned it on.
  void settings.get().then((s) => {
    if (!s.lsl?.enabled) return undefined;
    if (s.lsl.markerInlet) lsl.subscribe(s.lsl.markerInlet);
    return lsl.enable(true);
  });

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
      await lsl.dispose();
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
