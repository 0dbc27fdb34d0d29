import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { SootheApi } from '../../shared/ipc/contract';
import type { SerialPortChoice } from '../../shared/types/serial-ppg';
import { DEFAULT_BAUD, SERIAL_BAUD_RATES } from '../../shared/types/serial-ppg';
import type { Session, UiSnapshot } from '../session/session';
import { openSerialSource } from '../session/sources';
import { auditTime } from 'rxjs';
import { WebBluetoothHr, describeBluetoothError, type BleDevice, type PmdState, type PmdStreamState } from '../devices/web-bluetooth-hr';
import { BlePicker } from './BlePicker';

const CONTACT_WORDS: Record<string, string> = {
  detected: 'skin contact: good',
  'not-detected': 'no skin contact: moisten the electrodes',
  'not-supported': 'skin contact: not reported by this strap',
};

/**
 * Names of straps connected before, by device id: a device from getDevices() may come back
 * without its name (Chromium keeps the permission, not always the name).
 */
const STRAP_NAMES_KEY = 'soothe.bleStrapNames';
function strapNames(): Record<string, string> {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(STRAP_NAMES_KEY) ?? '{}');
    return typeof v === 'object' && v !== null ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}
function rememberStrapName(device: BleDevice): void {
  if (!device.name) return;
  try {
    localStorage.setItem(STRAP_NAMES_KEY, JSON.stringify({ ...strapNames(), [device.id]: device.name }));
  } catch {
    // storage full or disabled: the button then says "your strap"
  }
}
const strapName = (device: BleDevice): string | undefined => (device.name && device.name.length > 0 ? device.name : strapNames()[device.id]);

/** Where the beats come from: simulator, a Bluetooth strap, or a serial pulse sensor; and the signal's health. */
export function SourcePanel({ session, api, ui, onStrap }: { readonly session: Session; readonly api: SootheApi; readonly ui: UiSnapshot; readonly onStrap?: (strap: WebBluetoothHr | null) => void }) {
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [serialOpen, setSerialOpen] = useState(false);
  const [ports, setPorts] = useState<readonly SerialPortChoice[]>([]);
  const [portNote, setPortNote] = useState<string | null>(null);
  const [path, setPath] = useState('');
  /** The person has been in the path field: a late port list must not write into it (their typing would land after the suggestion). */
  const pathTouched = useRef(false);
  const [baud, setBaud] = useState<number>(DEFAULT_BAUD);
  const [remembered, setRemembered] = useState<readonly BleDevice[]>([]);
  const [strap, setStrap] = useState<WebBluetoothHr | null>(null);
  const [pmd, setPmd] = useState<PmdState | null>(null);
  const pathId = useId();
  const baudId = useId();

  // Straps this page may already use (getDevices(), where the browser has it): reconnect without the chooser.
  const refreshRemembered = useCallback(async (): Promise<void> => {
    setRemembered(await WebBluetoothHr.remembered(typeof navigator === 'undefined' ? undefined : navigator.bluetooth));
  }, []);
  useEffect(() => {
    void refreshRemembered();
  }, [refreshRemembered]);

  const startStrap = async (device: BleDevice): Promise<void> => {
    const name = strapName(device);
    const next = new WebBluetoothHr(device, { clock: () => session.now(), pacerCyclesAt: (t) => session.pacerAt(t).cycles, ...(name ? { label: name } : {}) });
    await next.connect();
    rememberStrapName(device);
    await session.useSource(next);
    setStrap(next);
    onStrap?.(next);
  };

  // Polar H10 raw streams of the connected strap, at most 4 updates a second for React.
  useEffect(() => {
    if (!strap) return;
    const sub = strap.pmd$.pipe(auditTime(250)).subscribe(setPmd);
    return () => sub.unsubscribe();
  }, [strap]);

  const togglePmd = async (kind: 'ecg' | 'breathing', state: PmdStreamState): Promise<void> => {
    if (!strap) return;
    if (state === 'on') await strap.stopPmd(kind);
    else await strap.startPmd(kind);
  };

  const connectStrap = async (): Promise<void> => {
    setMessage(null);
    setBusy(true);
    try {
      // requestDevice must run inside the click's user gesture: it is the first await here.
      const device = await WebBluetoothHr.request(navigator.bluetooth);
      await startStrap(device);
      void refreshRemembered();
    } catch (e) {
      setMessage(describeBluetoothError(e));
    } finally {
      setBusy(false);
    }
  };

  const reconnectStrap = async (device: BleDevice): Promise<void> => {
    setMessage(null);
    setBusy(true);
    try {
      try {
        await startStrap(device);
      } catch (first) {
        // A remembered strap must be heard advertising before Chromium can connect to it.
        if (!(await WebBluetoothHr.waitForAdvertisement(device))) throw first;
        await startStrap(device);
      }
    } catch (e) {
      // Out of range, or the permission is gone: ask once through the chooser instead.
      setRemembered((list) => list.filter((d) => d !== device));
      setMessage(`${describeBluetoothError(e)} If it still fails, press Connect a heart-rate strap and choose it from the list.`);
    } finally {
      setBusy(false);
    }
  };

  const showSerial = async (): Promise<void> => {
    setSerialOpen(true);
    const r = await api.invoke('serial:list');
    if (r.ok) {
      setPorts(r.value.ports);
      setPortNote(r.value.note ?? null);
      // Suggest the first listed port only while the person has not been in the field: once it has
      // had the focus, a suggestion arriving between their click and their typing would be typed onto.
      const first = r.value.ports[0]?.path;
      if (first && !pathTouched.current) setPath((typed) => typed || first);
    } else setPortNote(r.error);
  };

  const openSerial = async (): Promise<void> => {
    setMessage(null);
    setBusy(true);
    try {
      const src = await openSerialSource(api, { path: path.trim(), baudRate: baud }, session.now());
      await session.useSource(src, src.samples$);
      setSerialOpen(false);
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const statusText =
    ui.status.state === 'error' ? ui.status.message : ui.status.state === 'reconnecting' ? `Reconnecting… ${ui.status.detail ?? ''}` : ui.status.state === 'idle' ? 'idle' : (ui.status.detail ?? ui.status.state);

  return (
    <section className="panel source" aria-label="Signal source">
      <h2>Signal</h2>
      <p data-testid="source-label">
        {ui.sourceLabel}
        {ui.sourceKind === 'serial-ppg' ? ' (pulse-rate variability from an optical sensor, not ECG RR)' : ''}
      </p>
      <p className="muted" data-testid="source-status" aria-live="polite">
        {statusText}
      </p>
      {ui.contact ? <p className={ui.contact === 'not-detected' ? 'notice' : 'muted'}>{CONTACT_WORDS[ui.contact] ?? ui.contact}</p> : null}
      {ui.batteryPct !== null ? <p className="muted">battery {ui.batteryPct} %</p> : null}
      <p className="muted" data-testid="signal-diagnostics">
        artifacts corrected: <span data-testid="artifact-pct">{ui.artifactPct.toFixed(1)}</span> % of the last {Math.round(session.rmssdWindowMs / 1000)} s
        {ui.unreliableReason === 'artifacts' ? ' (too many to trust this window)' : ''} · packets rejected: <span data-testid="malformed-count">{ui.diagnostics.malformed}</span> · gaps:{' '}
        <span data-testid="gap-count">{ui.diagnostics.gaps}</span>
      </p>
      {ui.unreliableReason === 'ectopy' ? (
        <p className="notice" role="status" data-testid="ectopy-notice">
          Many early beats: {ui.prematurePct.toFixed(0)} % of the last {Math.round(session.rmssdWindowMs / 1000)} s came more than 20 % sooner than their neighbours. Heart rate
          variability then mostly reflects these beats, so the reward holds still for now. They can come from the strap (a loose fit, dry electrodes) or from the heart&apos;s own
          early beats, which are common and usually harmless. This describes the signal, not your health; if it keeps happening and worries you, a doctor can tell you more.
        </p>
      ) : null}
      {ui.diagnostics.last ? <p className="muted">{ui.diagnostics.last}</p> : null}
      <div className="buttons">
        <button type="button" onClick={() => void connectStrap()} disabled={busy}>
          Connect a heart-rate strap
        </button>
        {ui.sourceKind !== 'ble'
          ? remembered.map((d) => (
              <button key={d.id} type="button" onClick={() => void reconnectStrap(d)} disabled={busy}>
                Reconnect to {strapName(d) ?? 'your strap'}
              </button>
            ))
          : null}
        <button type="button" onClick={() => void showSerial()} disabled={busy} aria-expanded={serialOpen}>
          Use a pulse sensor (USB serial)
        </button>
        {ui.sourceKind !== 'simulator' ? (
          <button type="button" onClick={() => void session.useSimulator()} disabled={busy}>
            Use the simulator
          </button>
        ) : null}
      </div>
      {ui.sourceKind === 'ble' && strap && pmd?.available ? (
        <div className="pmd" role="group" aria-label="Polar raw streams">
          <div className="buttons">
            <button type="button" aria-pressed={pmd.ecg === 'on'} disabled={pmd.ecg === 'starting' || pmd.ecg === 'stopping'} onClick={() => void togglePmd('ecg', pmd.ecg)}>
              {pmd.ecg === 'on' ? 'Stop raw ECG' : 'Stream raw ECG'}
            </button>
            <button type="button" aria-pressed={pmd.acc === 'on'} disabled={pmd.acc === 'starting' || pmd.acc === 'stopping'} onClick={() => void togglePmd('breathing', pmd.acc)}>
              {pmd.acc === 'on' ? 'Stop breathing from chest movement' : 'Breathing from chest movement'}
            </button>
          </div>
          <p className="muted" data-testid="pmd-status" aria-live="polite">
            raw ECG: {pmd.ecg}
            {pmd.ecgSamples > 0 ? ` (${pmd.ecgSamples} samples)` : ''} · chest movement: {pmd.acc}
            {pmd.accSamples > 0 ? ` (${pmd.accSamples} samples)` : ''}
          </p>
          {pmd.ecg === 'on' ? (
            <p className="muted" data-testid="ecg-quality-line">
              ECG R-peaks: {pmd.rPeaks}
              {pmd.ecgQuality
                ? ` · strap RR confirmed by the ECG: ${pmd.ecgQuality.confirmedRr} of ${pmd.ecgQuality.strapRr}` +
                  (pmd.ecgQuality.rrDiffMedianMs !== null ? ` (difference median ${pmd.ecgQuality.rrDiffMedianMs.toFixed(1)} ms, p95 ${(pmd.ecgQuality.rrDiffP95Ms ?? 0).toFixed(1)} ms)` : '')
                : ' · comparing with the strap’s RR…'}
            </p>
          ) : null}
          {pmd.lastBreath ? (
            <p className="muted" data-testid="chest-breathing">
              breathing (chest): {pmd.lastBreath.breathsPerMin.toFixed(1)} /min
              {pmd.lastBreath.pacerPhaseDeg !== null ? `, ${pmd.lastBreath.pacerPhaseDeg > 0 ? '+' : ''}${pmd.lastBreath.pacerPhaseDeg.toFixed(0)}° from the pacer` : ''}
            </p>
          ) : null}
          {pmd.message ? (
            <p className="notice" data-testid="pmd-message">
              {pmd.message}
            </p>
          ) : null}
        </div>
      ) : null}
      <BlePicker api={api} />
      {serialOpen ? (
        <form
          className="serial-form"
          aria-label="Serial pulse sensor"
          onSubmit={(e) => {
            e.preventDefault();
            void openSerial();
          }}
        >
          <label htmlFor={pathId}>Port (pick one or type its path)</label>
          <input id={pathId} list={`${pathId}-list`} value={path} onFocus={() => (pathTouched.current = true)} onChange={(e) => setPath(e.currentTarget.value)} placeholder="/dev/ttyACM0 or COM3" required />
          <datalist id={`${pathId}-list`}>
            {ports.map((p) => (
              <option key={p.path} value={p.path}>
                {[p.hint, p.manufacturer, p.vidPid].filter(Boolean).join(' · ')}
              </option>
            ))}
          </datalist>
          {portNote ? <p className="muted">{portNote}</p> : null}
          <label htmlFor={baudId}>Baud rate</label>
          <select id={baudId} value={baud} onChange={(e) => setBaud(Number(e.currentTarget.value))}>
            {SERIAL_BAUD_RATES.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
          <button type="submit" disabled={busy || path.trim() === ''}>
            Open the sensor
          </button>
        </form>
      ) : null}
      {message ? (
        <p role="alert" className="notice" data-testid="source-message">
          {message}
        </p>
      ) : null}
    </section>
  );
}
