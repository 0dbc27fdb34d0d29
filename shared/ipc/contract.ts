/**
 * The one contract between the renderer and the main-process services.
 *
 * Two transports implement it: Electron IPC (main/electron/ipc.ts + main/preload) and a
 * WebSocket bound to 127.0.0.1 with a per-run token (main/web/server.ts). The renderer talks
 * to `SootheApi` and does not know which one it has (renderer/ipc/api-client.ts).
 *
 * Only plain data crosses it (structured clone / JSON): no class instances, no functions.
 */
import type { Result } from './result';
import type { Settings } from '../types/settings';
import type { ClientViewState, DisplayInfo } from '../types/client-view';
import type { ClientRecord } from '../types/client-record';
import type { SessionScript } from '../session-script/script';
import type { SerialBeatsBatch, SerialListResult, SerialOpenRequest, SerialSamplesBatch, SerialStatus } from '../types/serial-ppg';
import type { LslPushBatch, LslStatus, LslStreamChoice, LslStreamPick } from '../types/lsl';
import type { SessionDetail, SessionExportFile, SessionExportFormat, SessionListEntry } from '../session-format/library-types';

export interface AppInfo {
  readonly version: string;
  /** 'electron' or 'web': for display only; the renderer never branches on it for data. */
  readonly shell: 'electron' | 'web';
  readonly platform: string;
}

export interface RecordingStarted {
  readonly sessionId: string;
  readonly dir: string;
}

/** One line of a session's event stream (see main/services/recorder.ts for the on-disk format). */
export interface RecordEvent {
  /** Stream the event belongs to: 'beat', 'metric', 'pacer', 'marker', 'device', ... */
  readonly kind: string;
  /** Data time, ms since the session's time origin. */
  readonly tMs: number;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Renderer → main requests. Each answers with a Result. */
export interface Invokes {
  'app:info': () => AppInfo;
  'settings:get': () => Settings;
  'settings:set': (patch: Partial<Settings>) => Settings;
  'recording:start': (meta: { readonly source: string; readonly wallClockStartIso: string }) => RecordingStarted;
  'recording:append': (sessionId: string, events: readonly RecordEvent[]) => { readonly written: number };
  'recording:stop': (sessionId: string) => { readonly events: number };
  /** Serial PPG sensors (main/services/serial-ppg.ts): ports with hints; a typed path also works. */
  'serial:list': () => SerialListResult;
  'serial:open': (req: SerialOpenRequest) => SerialStatus;
  'serial:close': () => { readonly closed: boolean };
  /** Lab Streaming Layer (main/services/lsl): state of Soothe's outlets and of the marker inlet. */
  'lsl:status': () => LslStatus;
  /** Turns Soothe's LSL streams on or off (persisted in Settings.lsl). */
  'lsl:enable': (on: boolean) => LslStatus;
  /** The session's events, batched, with the session time at sending (see LslPushBatch). */
  'lsl:push': (batch: LslPushBatch) => { readonly accepted: number };
  /** Marker streams on the network (PsychoPy…), for the picker. */
  'lsl:marker-streams': () => readonly LslStreamChoice[];
  /** Records the picked marker stream into the session (null stops); persisted. */
  'lsl:subscribe': (pick: LslStreamPick | null) => LslStatus;
  /** The session library (main/services/sessions/library.ts): list, open, rename, notes, delete, export, import. */
  'sessions:list': () => readonly SessionListEntry[];
  'sessions:get': (sessionId: string) => SessionDetail;
  'sessions:rename': (sessionId: string, name: string) => { readonly name: string };
  'sessions:note': (sessionId: string, notes: string) => { readonly notes: string };
  'sessions:delete': (sessionId: string) => { readonly deleted: boolean };
  'sessions:export': (sessionId: string, format: SessionExportFormat) => SessionExportFile;
  /** An RR file (formats of `soothe analyze`) or a Soothe export, as text, becomes a session. */
  'sessions:import': (fileName: string, text: string) => { readonly sessionId: string; readonly beats: number };
  /** Electron's Bluetooth chooser: the device the person picked from 'ble:devices', or '' to cancel. The browser edition answers ok:false (the browser's own chooser is used). */
  'ble:select': (deviceId: string) => { readonly selected: boolean };
  /** Therapist console → client screen: relayed to every window as 'client:state'. */
  'client:publish': (state: ClientViewState) => { readonly relayed: boolean };
  /** Electron: open the client view full screen on a display; the browser edition answers ok:false (the console opens a second browser window). */
  'client:open-window': (req: { readonly displayId?: number }) => { readonly opened: boolean };
  /** Displays the client view can be placed on (Electron); empty in the browser edition. */
  'displays:list': () => readonly DisplayInfo[];
  /** Therapists' client records (pseudonymous codes, local only: main/services/clients.ts). */
  'clients:list': () => readonly ClientRecord[];
  'clients:save': (patch: Partial<ClientRecord> & { readonly code: string }) => ClientRecord;
  'clients:delete': (code: string) => { readonly deleted: boolean };
  'clients:export': (code: string) => { readonly fileName: string; readonly json: string };
  /** Therapists' own session scripts (main/services/scripts.ts); the built-in ones live in shared/session-script. */
  'scripts:list': () => readonly SessionScript[];
  'scripts:save': (script: SessionScript) => SessionScript;
  'scripts:delete': (id: string) => { readonly deleted: boolean };
  /** Electron: the focused window printed to a PDF file (webContents.printToPDF); the browser edition answers ok:false (use the browser's print dialog). */
  'report:print-pdf': (sessionId: string) => { readonly path: string };
}

/** Main → renderer pushes. */
export interface Events {
  'app:notice': (notice: { readonly level: 'info' | 'warning' | 'error'; readonly message: string }) => void;
  /** Raw PPG samples, batched about every 50 ms. */
  'serial:samples': (batch: SerialSamplesBatch) => void;
  /** Detected pulse beats and their PPG intervals (RrInterval with ppg: true). */
  'serial:beats': (batch: SerialBeatsBatch) => void;
  'serial:status': (status: SerialStatus) => void;
  'lsl:status': (status: LslStatus) => void;
  /** Electron only: Bluetooth devices found for a pending `requestDevice()`, for Soothe's own picker (answer with 'ble:select'). */
  'ble:devices': (list: { readonly devices: readonly BleDeviceChoice[] }) => void;
  /** What the client's screen shows (see 'client:publish'). */
  'client:state': (state: ClientViewState) => void;
}

/** One device in Electron's Bluetooth chooser. */
export interface BleDeviceChoice {
  readonly deviceId: string;
  readonly name: string;
}

export type InvokeChannel = keyof Invokes;
export type EventChannel = keyof Events;
export type InvokeArgs<K extends InvokeChannel> = Parameters<Invokes[K]>;
export type InvokeValue<K extends InvokeChannel> = ReturnType<Invokes[K]>;
export type EventPayload<K extends EventChannel> = Parameters<Events[K]>[0];

/**
 * The channel lists, as values: the preload exposes exactly these and nothing else, and the
 * WebSocket server refuses any other name. `satisfies` keeps them in step with the types.
 */
export const INVOKE_CHANNELS = [
  'app:info',
  'settings:get',
  'settings:set',
  'recording:start',
  'recording:append',
  'recording:stop',
  'serial:list',
  'serial:open',
  'serial:close',
  'lsl:status',
  'lsl:enable',
  'lsl:push',
  'lsl:marker-streams',
  'lsl:subscribe',
  'sessions:list',
  'sessions:get',
  'sessions:rename',
  'sessions:note',
  'sessions:delete',
  'sessions:export',
  'sessions:import',
  'ble:select',
  'client:publish',
  'client:open-window',
  'displays:list',
  'clients:list',
  'clients:save',
  'clients:delete',
  'clients:export',
  'scripts:list',
  'scripts:save',
  'scripts:delete',
  'report:print-pdf',
] as const satisfies readonly InvokeChannel[];

export const EVENT_CHANNELS = ['app:notice', 'serial:samples', 'serial:beats', 'serial:status', 'lsl:status', 'ble:devices', 'client:state'] as const satisfies readonly EventChannel[];

// Compile-time check that the lists are complete (a missing channel is a type error here).
type Missing<All, Listed> = Exclude<All, Listed>;
const invokeListComplete: Missing<InvokeChannel, (typeof INVOKE_CHANNELS)[number]> extends never ? true : false = true;
const eventListComplete: Missing<EventChannel, (typeof EVENT_CHANNELS)[number]> extends never ? true : false = true;
void invokeListComplete;
void eventListComplete;

export const isInvokeChannel = (name: unknown): name is InvokeChannel =>
  typeof name === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(name);

/** The renderer's view of the services, whatever the transport. */
export interface SootheApi {
  invoke<K extends InvokeChannel>(channel: K, ...args: InvokeArgs<K>): Promise<Result<InvokeValue<K>>>;
  on<K extends EventChannel>(channel: K, listener: (payload: EventPayload<K>) => void): () => void;
}

/** WebSocket wire messages (JSON). */
export type WireRequest = { readonly id: number; readonly channel: string; readonly args: readonly unknown[] };
export type WireMessage =
  | { readonly id: number; readonly result: Result<unknown> }
  | { readonly event: string; readonly payload: unknown };
