/**
 * An in-memory Web Bluetooth strap for adapter unit tests (like serialport's MockBinding): the
 * test pushes notification bytes and link losses; the adapter sees the same members as in a
 * browser. Browser behaviour itself is covered by the Chromium emulator (ble-strap-emulator.ts).
 */
import type { BleBluetooth, BleCharacteristic, BleDevice, BleGattServer, BleService } from '../../renderer/devices/web-bluetooth-hr';

type Listener = (ev: unknown) => void;

class Target {
  private readonly listeners = new Map<string, Set<Listener>>();
  addEventListener(type: string, l: Listener): void {
    const set = this.listeners.get(type) ?? new Set<Listener>();
    set.add(l);
    this.listeners.set(type, set);
  }
  removeEventListener(type: string, l: Listener): void {
    this.listeners.get(type)?.delete(l);
  }
  dispatch(type: string): void {
    for (const l of [...(this.listeners.get(type) ?? [])]) l({ type, target: this });
  }
  listenerCount(type: string): number {
    return this.listeners.get(type)?.size ?? 0;
  }
}

export class FakeCharacteristic extends Target implements BleCharacteristic {
  value: DataView | undefined;
  notifying = false;
  constructor(private readonly readBytes: Uint8Array | null = null) {
    super();
  }
  async startNotifications(): Promise<this> {
    this.notifying = true;
    return this;
  }
  async stopNotifications(): Promise<this> {
    this.notifying = false;
    return this;
  }
  async readValue(): Promise<DataView> {
    if (!this.readBytes) throw Object.assign(new Error('read not permitted'), { name: 'NotSupportedError' });
    return new DataView(this.readBytes.buffer.slice(0));
  }
  /** Deliver one notification, as Chromium does: set value, fire characteristicvaluechanged. */
  notify(bytes: Uint8Array): void {
    if (!this.notifying) return;
    this.value = new DataView(Uint8Array.from(bytes).buffer);
    this.dispatch('characteristicvaluechanged');
  }
}

export interface FakeStrapOptions {
  readonly name?: string;
  readonly battery?: number | null;
  readonly info?: { manufacturer?: string; model?: string; firmware?: string };
  /** How many connect() calls fail (NetworkError) before one succeeds, after the first connection. */
  readonly failReconnects?: number;
}

export class FakeStrap extends Target implements BleDevice {
  readonly id = 'fake-strap-1';
  readonly name: string | undefined;
  readonly gatt: BleGattServer;
  hrm = new FakeCharacteristic();
  connectCalls = 0;
  connected = false;
  private failLeft: number;

  constructor(private readonly opts: FakeStrapOptions = {}) {
    super();
    this.name = opts.name ?? 'Polar H10 FAKE0001';
    this.failLeft = opts.failReconnects ?? 0;
    // The `connected` getter below has its own `this`; it reaches the strap through this arrow.
    const strap = (): FakeStrap => this;
    const enc = (s: string | undefined): Uint8Array | null => (s === undefined ? null : new TextEncoder().encode(s));
    const services = (): Map<string, Map<string, FakeCharacteristic>> => {
      const m = new Map<string, Map<string, FakeCharacteristic>>();
      m.set('heart_rate', new Map([['heart_rate_measurement', strap().hrm]]));
      if (opts.battery !== null && opts.battery !== undefined) m.set('battery_service', new Map([['battery_level', new FakeCharacteristic(Uint8Array.of(opts.battery))]]));
      if (opts.info) {
        const info = new Map<string, FakeCharacteristic>();
        const add = (uuid: string, v: string | undefined): void => {
          const b = enc(v);
          if (b) info.set(uuid, new FakeCharacteristic(b));
        };
        add('manufacturer_name_string', opts.info.manufacturer);
        add('model_number_string', opts.info.model);
        add('firmware_revision_string', opts.info.firmware);
        m.set('device_information', info);
      }
      return m;
    };
    this.gatt = {
      get connected() {
        return strap().connected;
      },
      connect: async () => {
        this.connectCalls++;
        if (this.connectCalls > 1 && this.failLeft > 0) {
          this.failLeft--;
          throw Object.assign(new Error('Connection Error: Connection attempt failed.'), { name: 'NetworkError' });
        }
        this.connected = true;
        return this.gatt;
      },
      disconnect: () => {
        this.connected = false;
      },
      getPrimaryService: async (uuid: string): Promise<BleService> => {
        const chars = services().get(uuid);
        if (!this.connected || !chars) throw Object.assign(new Error(`No Services matching UUID ${uuid} found in Device.`), { name: 'NotFoundError' });
        return {
          async getCharacteristic(c: string) {
            const ch = chars.get(c);
            if (!ch) throw Object.assign(new Error(`No Characteristics matching UUID ${c}`), { name: 'NotFoundError' });
            return ch;
          },
        };
      },
    };
  }

  /** Link loss: the strap drops, Chromium fires gattserverdisconnected. A new HRM object appears on reconnect. */
  loseLink(): void {
    this.connected = false;
    this.hrm.notifying = false;
    this.hrm = new FakeCharacteristic();
    this.dispatch('gattserverdisconnected');
  }
}

export function fakeBluetooth(strap: FakeStrap | Error, available = true): BleBluetooth & { requests: unknown[] } {
  const requests: unknown[] = [];
  return {
    requests,
    async getAvailability() {
      return available;
    },
    async requestDevice(options) {
      requests.push(options);
      if (strap instanceof Error) throw strap;
      return strap;
    },
  };
}
