import { useEffect, useRef, useState } from 'react';
import type { BleDeviceChoice, SootheApi } from '../../shared/ipc/contract';

/**
 * Soothe's own Bluetooth device chooser, for Electron (which has none): main relays the devices
 * found while `requestDevice()` scans ('ble:devices', main/electron/ble-chooser.ts), the person
 * picks one or cancels, and the answer goes back with 'ble:select'. In a browser the browser's
 * own chooser serves and 'ble:devices' never arrives, so nothing is shown.
 *
 * Keyboard: focus moves to the first device when the list opens; Tab between devices and
 * Cancel; Escape cancels.
 */
export function BlePicker({ api }: { readonly api: SootheApi }) {
  const [devices, setDevices] = useState<readonly BleDeviceChoice[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const firstRef = useRef<HTMLButtonElement | null>(null);
  const cancelRef = useRef<HTMLButtonElement | null>(null);
  const open = devices !== null;

  useEffect(() => api.on('ble:devices', (list) => setDevices(list.devices)), [api]);
  useEffect(() => {
    if (!open) return;
    (firstRef.current ?? cancelRef.current)?.focus();
    // Focus once when the chooser opens; later list updates must not steal focus.
  }, [open]);

  const answer = async (deviceId: string): Promise<void> => {
    setDevices(null);
    const r = await api.invoke('ble:select', deviceId);
    setNote(r.ok ? null : `The device list could not be answered: ${r.error}`);
  };

  if (!open) return note ? <p className="notice">{note}</p> : null;
  return (
    <div
      role="dialog"
      aria-modal="false"
      aria-labelledby="ble-picker-title"
      className="panel ble-picker"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          void answer('');
        }
      }}
    >
      <h3 id="ble-picker-title">Choose your heart-rate strap</h3>
      {devices.length === 0 ? (
        <p className="muted" aria-live="polite">
          Searching… Put the strap on and moisten the electrodes so it wakes up.
        </p>
      ) : (
        <ul aria-label="Straps found" className="ble-picker-list">
          {devices.map((d, i) => (
            <li key={d.deviceId}>
              <button type="button" ref={i === 0 ? firstRef : undefined} onClick={() => void answer(d.deviceId)}>
                {d.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" ref={cancelRef} onClick={() => void answer('')}>
        Cancel
      </button>
    </div>
  );
}
