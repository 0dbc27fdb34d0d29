/**
 * Soothe's own Bluetooth heart-rate strap for end-to-end tests, emulated inside a real Chromium
 * through the CDP domains `BluetoothEmulation` (browser target) and `DeviceAccess` (page target).
 * Every command and pitfall used here is recorded in ../shared/notes/web-bluetooth-emulation.md:
 *
 * - a preconnected peripheral with the Heart Rate service (0x180D), Heart Rate Measurement
 *   (0x2A37, notify + read) with its CCCD (0x2902, without which startNotifications fails), and
 *   a Battery service (0x180F / 0x2A19) with a level;
 * - connection, discovery and (un)subscribe operations are answered automatically with success;
 * - the device chooser is answered once per prompt id (a second answer to the same id crashes
 *   the browser), by selecting the strap or cancelling, as the test asks;
 * - CDP cannot push a notification, so `sendNotification(bytes)` makes the page read the same
 *   characteristic (`navigator.bluetooth.getDevices()` → `readValue()`) and answers the read with
 *   the payload; Chromium then fires `characteristicvaluechanged` on the app's characteristic;
 * - `disconnect()` simulates a link loss, which wipes the fake GATT tree, and adds the tree again
 *   so the app can reconnect.
 *
 * The browser must run with `--enable-blink-features=WebBluetooth,WebBluetoothGetDevices`
 * (see BLE_CHROMIUM_ARGS) and be launched with `chromium.launch` so that
 * `browser.newBrowserCDPSession()` exists.
 */
import type { Browser, CDPSession, Page } from 'playwright-core';

export const BLE_CHROMIUM_ARGS = ['--headless', '--disable-gpu', '--enable-blink-features=WebBluetooth,WebBluetoothGetDevices'];

const uuid16 = (short: string): string => `0000${short}-0000-1000-8000-00805f9b34fb`;
export const UUIDS = {
  heartRate: uuid16('180d'),
  heartRateMeasurement: uuid16('2a37'),
  cccd: uuid16('2902'),
  battery: uuid16('180f'),
  batteryLevel: uuid16('2a19'),
  pmd: 'fb005c80-02e7-f387-1cad-8acd2d8df0c8',
  pmdControlPoint: 'fb005c81-02e7-f387-1cad-8acd2d8df0c8',
  pmdData: 'fb005c82-02e7-f387-1cad-8acd2d8df0c8',
} as const;

/** What a Polar H10 answers (notes/polar-pmd.md §3.5; vectors cp-read-features-h10, cp-resp-*-h10). */
const H10 = {
  features: Uint8Array.of(0x0f, 0x05, ...new Array<number>(15).fill(0)),
  ecgSettings: Uint8Array.of(0xf0, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x82, 0x00, 0x01, 0x01, 0x0e, 0x00),
  accSettings: Uint8Array.of(0xf0, 0x01, 0x02, 0x00, 0x00, 0x00, 0x04, 0x19, 0x00, 0x32, 0x00, 0x64, 0x00, 0xc8, 0x00, 0x01, 0x01, 0x10, 0x00, 0x02, 0x03, 0x02, 0x00, 0x04, 0x00, 0x08, 0x00),
  /** Settings a START must carry, per measurement type (the H10 answers ERROR_INVALID_PARAMETER otherwise). */
  required: { 0: [0x00, 0x01], 2: [0x00, 0x01, 0x02] } as Record<number, number[]>,
};

export interface StrapEmulatorOptions {
  /** Opaque, case-sensitive key in the emulation. */
  readonly address?: string;
  readonly name?: string;
  /** Battery level, percent; null: no battery service. */
  readonly battery?: number | null;
  /** A Polar H10 with the PMD service (raw ECG and accelerometer). */
  readonly pmd?: boolean;
}

export type PromptAnswer = 'select' | 'cancel';

interface GattIds {
  readonly hrm: string;
  readonly batteryLevel: string | null;
  readonly pmdCp: string | null;
  readonly pmdData: string | null;
}

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

export class BleStrapEmulator {
  readonly address: string;
  readonly name: string;
  /** Operations seen, for assertions: 'connection', 'discovery', 'subscribe-to-notifications', 'read:hrm', ... */
  readonly log: string[] = [];
  /** Prompt ids already answered: never answer one twice (it kills the browser). */
  private readonly answered = new Set<string>();
  private readonly pendingAnswers: PromptAnswer[] = [];
  private readonly hrmPayloads: Uint8Array[] = [];
  private ids: GattIds | null = null;
  private connectCode = 0;
  private readonly cpPayloads: Uint8Array[] = [];
  private readonly dataPayloads: Uint8Array[] = [];
  /** PMD measurement types the emulated H10 is streaming. */
  readonly pmdStreaming = new Set<number>();
  /** When true, every PMD command is answered ERROR_INVALID_MTU, as an H10 does at a small ATT MTU. */
  pmdMtuTooSmall = false;

  private constructor(
    private readonly browserSession: CDPSession,
    private readonly pageSession: CDPSession,
    private readonly page: Page,
    private readonly opts: StrapEmulatorOptions,
  ) {
    this.address = opts.address ?? 'A0:9E:1A:AB:CD:12';
    this.name = opts.name ?? 'Polar H10 ABCD1234';
  }

  /** Enables the emulation, adds the strap and starts answering the browser's requests. */
  static async start(browser: Browser, page: Page, opts: StrapEmulatorOptions = {}): Promise<BleStrapEmulator> {
    const b = await browser.newBrowserCDPSession();
    const p = await page.context().newCDPSession(page);
    const emu = new BleStrapEmulator(b, p, page, opts);
    await emu.init();
    return emu;
  }

  private async init(): Promise<void> {
    const b = this.browserSession;
    b.on('BluetoothEmulation.gattOperationReceived', (e) => {
      if (e.address !== this.address) return;
      this.log.push(e.type);
      void b.send('BluetoothEmulation.simulateGATTOperationResponse', { address: e.address, type: e.type, code: e.type === 'connection' ? this.connectCode : 0 }).catch(() => undefined);
    });
    b.on('BluetoothEmulation.characteristicOperationReceived', (e) => {
      void this.onCharacteristicOperation(e.characteristicId, e.type, e.data).catch(() => undefined);
    });
    this.pageSession.on('DeviceAccess.deviceRequestPrompted', (e) => {
      if (this.answered.has(e.id)) return;
      const answer = this.pendingAnswers[0];
      if (answer === undefined) return;
      const device = e.devices.find((d) => d.id === this.address);
      if (answer === 'select' && !device) return; // the list may fill in a later event with the same id
      this.answered.add(e.id);
      this.pendingAnswers.shift();
      this.log.push(`prompt:${answer}`);
      const done =
        answer === 'select'
          ? this.pageSession.send('DeviceAccess.selectPrompt', { id: e.id, deviceId: this.address })
          : this.pageSession.send('DeviceAccess.cancelPrompt', { id: e.id });
      void done.catch(() => undefined);
    });
    await b.send('BluetoothEmulation.enable', { state: 'powered-on', leSupported: true });
    await b.send('BluetoothEmulation.simulatePreconnectedPeripheral', {
      address: this.address,
      name: this.name,
      manufacturerData: [],
      knownServiceUuids: [UUIDS.heartRate],
    });
    await this.addGattTree();
    await this.pageSession.send('DeviceAccess.enable');
  }

  private async onCharacteristicOperation(characteristicId: string, type: string, written?: string): Promise<void> {
    const b = this.browserSession;
    const ids = this.ids;
    const which =
      characteristicId === ids?.hrm ? 'hrm' : characteristicId === ids?.batteryLevel ? 'battery' : characteristicId === ids?.pmdCp ? 'cp' : characteristicId === ids?.pmdData ? 'data' : 'other';
    this.log.push(`${type}:${which}`);
    if (type === 'write' && which === 'cp') {
      // A control-point command: accept the write, then indicate the answer (read workaround).
      const bytes = Uint8Array.from(Buffer.from(written ?? '', 'base64'));
      this.log.push(`pmd:${Buffer.from(bytes).toString('hex')}`);
      await b.send('BluetoothEmulation.simulateCharacteristicOperationResponse', { characteristicId, type: 'write', code: 0 });
      this.cpPayloads.push(this.answerPmd(bytes));
      void this.deliver(UUIDS.pmd, UUIDS.pmdControlPoint, 'cp').catch(() => undefined);
      return;
    }
    if (type === 'read') {
      let data: Uint8Array | undefined;
      if (which === 'hrm') data = this.hrmPayloads.shift();
      if (which === 'battery') data = Uint8Array.of(this.opts.battery ?? 0);
      // The control point's own read answers the features; queued indications go first.
      if (which === 'cp') data = this.cpPayloads.shift() ?? H10.features;
      if (which === 'data') data = this.dataPayloads.shift();
      if (data === undefined) {
        await b.send('BluetoothEmulation.simulateCharacteristicOperationResponse', { characteristicId, type: 'read', code: 0x02 }); // Read Not Permitted
        return;
      }
      await b.send('BluetoothEmulation.simulateCharacteristicOperationResponse', { characteristicId, type: 'read', code: 0, data: toBase64(data) });
      return;
    }
    await b.send('BluetoothEmulation.simulateCharacteristicOperationResponse', { characteristicId, type: type as 'write', code: 0 });
  }

  /** Adds (again) the strap's GATT tree; a link loss wipes it, and the ids change. */
  private async addGattTree(): Promise<void> {
    const b = this.browserSession;
    const address = this.address;
    const { serviceId } = await b.send('BluetoothEmulation.addService', { address, serviceUuid: UUIDS.heartRate });
    const { characteristicId: hrm } = await b.send('BluetoothEmulation.addCharacteristic', {
      serviceId,
      characteristicUuid: UUIDS.heartRateMeasurement,
      properties: { notify: true, read: true },
    });
    await b.send('BluetoothEmulation.addDescriptor', { characteristicId: hrm, descriptorUuid: UUIDS.cccd });
    let batteryLevel: string | null = null;
    if (this.opts.battery !== null && this.opts.battery !== undefined) {
      const { serviceId: bs } = await b.send('BluetoothEmulation.addService', { address, serviceUuid: UUIDS.battery });
      ({ characteristicId: batteryLevel } = await b.send('BluetoothEmulation.addCharacteristic', {
        serviceId: bs,
        characteristicUuid: UUIDS.batteryLevel,
        properties: { read: true, notify: true },
      }));
    }
    let pmdCp: string | null = null;
    let pmdData: string | null = null;
    if (this.opts.pmd) {
      const { serviceId: ps } = await b.send('BluetoothEmulation.addService', { address, serviceUuid: UUIDS.pmd });
      ({ characteristicId: pmdCp } = await b.send('BluetoothEmulation.addCharacteristic', { serviceId: ps, characteristicUuid: UUIDS.pmdControlPoint, properties: { read: true, write: true, indicate: true } }));
      await b.send('BluetoothEmulation.addDescriptor', { characteristicId: pmdCp, descriptorUuid: UUIDS.cccd });
      // read:true only for the notification workaround; a real H10's data characteristic is notify-only.
      ({ characteristicId: pmdData } = await b.send('BluetoothEmulation.addCharacteristic', { serviceId: ps, characteristicUuid: UUIDS.pmdData, properties: { notify: true, read: true } }));
      await b.send('BluetoothEmulation.addDescriptor', { characteristicId: pmdData, descriptorUuid: UUIDS.cccd });
    }
    this.ids = { hrm, batteryLevel, pmdCp, pmdData };
  }

  /** The emulated H10's answer to a control-point command (an indication). */
  private answerPmd(cmd: Uint8Array): Uint8Array {
    const op = cmd[0] ?? 0;
    const type = (cmd[1] ?? 0) & 0x3f;
    if (this.pmdMtuTooSmall) return Uint8Array.of(0xf0, op, type, 0x0a);
    if (op === 0x01) return type === 0 ? H10.ecgSettings : type === 2 ? H10.accSettings : Uint8Array.of(0xf0, op, type, 0x03);
    if (op === 0x02) {
      const required = H10.required[type];
      if (!required) return Uint8Array.of(0xf0, op, type, 0x03);
      const present = new Set<number>();
      for (let i = 2; i + 1 < cmd.length; ) {
        present.add(cmd[i] ?? 0xff);
        i += 2 + (cmd[i + 1] ?? 0) * ((cmd[i] ?? 0) === 4 ? 1 : 2);
      }
      if (!required.every((t) => present.has(t))) return Uint8Array.of(0xf0, op, type, 0x05, 0x00);
      if (this.pmdStreaming.has(type)) return Uint8Array.of(0xf0, op, type, 0x06, 0x00);
      this.pmdStreaming.add(type);
      return Uint8Array.of(0xf0, op, type, 0x00, 0x00, type === 2 ? 0x01 : 0x00);
    }
    if (op === 0x03) {
      this.pmdStreaming.delete(type);
      return Uint8Array.of(0xf0, op, type, 0x00, 0x00);
    }
    return Uint8Array.of(0xf0, op, type, 0x01);
  }

  /** Makes the page read a characteristic so Chromium fires `characteristicvaluechanged` with the queued bytes. */
  private async deliver(service: string, characteristic: string, key: string): Promise<void> {
    await this.page.evaluate(`(async () => {
      const emu = (window.__sootheBleEmu ??= { ch: null });
      let ch = emu[${JSON.stringify(key)}];
      if (!ch || !ch.service.device.gatt.connected) {
        const devices = await navigator.bluetooth.getDevices();
        const device = devices.find((d) => d.gatt && d.gatt.connected);
        if (!device) throw new Error('emulator: no connected strap in navigator.bluetooth.getDevices()');
        ch = emu[${JSON.stringify(key)}] = await (await device.gatt.getPrimaryService(${JSON.stringify(service)})).getCharacteristic(${JSON.stringify(characteristic)});
      }
      await ch.readValue();
    })()`);
  }

  /** Delivers one PMD data notification (an ECG or ACC frame) with exactly these bytes. */
  async sendPmdFrame(bytes: Uint8Array): Promise<void> {
    this.dataPayloads.push(bytes);
    await this.deliver(UUIDS.pmd, UUIDS.pmdData, 'data');
  }

  /** The next device chooser gets this answer (one answer per prompt, in order). */
  answerNextPrompt(answer: PromptAnswer): void {
    this.pendingAnswers.push(answer);
  }

  /**
   * Delivers one Heart Rate Measurement notification with exactly these bytes. Resolves after the
   * page's `characteristicvaluechanged` listeners have run.
   */
  async sendNotification(bytes: Uint8Array): Promise<void> {
    this.hrmPayloads.push(bytes);
    // Runs in the page; the code is a string so this Node-typed file needs no DOM types. The
    // characteristic is looked up once and kept (fewer round trips, so packets keep their pace on a
    // loaded machine); a link loss makes a new GATT tree, so disconnect() forgets it.
    await this.page.evaluate(`(async () => {
      const emu = (window.__sootheBleEmu ??= { ch: null });
      const find = async () => {
        const devices = await navigator.bluetooth.getDevices();
        const device = devices.find((d) => d.gatt && d.gatt.connected);
        if (!device) throw new Error('emulator: no connected strap in navigator.bluetooth.getDevices()');
        const service = await device.gatt.getPrimaryService('heart_rate');
        return service.getCharacteristic('heart_rate_measurement');
      };
      if (!emu.ch || !emu.ch.service.device.gatt.connected) emu.ch = await find();
      await emu.ch.readValue();
    })()`);
  }

  /** Forgets the page-side characteristic kept by sendNotification (after a reconnection or reload). */
  private async forgetCharacteristic(): Promise<void> {
    await this.page.evaluate('window.__sootheBleEmu && (window.__sootheBleEmu = { ch: null })').catch(() => undefined);
  }

  /** Link loss: the page gets `gattserverdisconnected`; the GATT tree is added again for reconnection. */
  async disconnect(): Promise<void> {
    await this.browserSession.send('BluetoothEmulation.simulateGATTDisconnection', { address: this.address });
    this.log.push('link-lost');
    this.pmdStreaming.clear(); // a link loss ends an H10's streams
    // ...and whatever was in flight: an answer queued for the old link must not reach the next one.
    this.cpPayloads.length = 0;
    this.dataPayloads.length = 0;
    this.hrmPayloads.length = 0;
    await this.forgetCharacteristic();
    await this.addGattTree();
  }

  /** One advertisement from the strap (a remembered device must be heard before it can connect again). */
  async advertise(): Promise<void> {
    await this.browserSession.send('BluetoothEmulation.simulateAdvertisement', {
      entry: { deviceAddress: this.address, rssi: -55, scanRecord: { name: this.name, uuids: [UUIDS.heartRate], manufacturerData: [] } },
    });
    this.log.push('advertisement');
  }

  /** HCI code answered to the next connection attempts: 0 = success, 8 = connection timeout. */
  setConnectionResult(code: number): void {
    this.connectCode = code;
  }

  /** Makes `getAvailability()` false (no adapter) or true again. */
  async setAdapterPresent(present: boolean): Promise<void> {
    await this.browserSession.send('BluetoothEmulation.setSimulatedCentralState', { state: present ? 'powered-on' : 'absent' });
  }

  async stop(): Promise<void> {
    await this.browserSession.send('BluetoothEmulation.disable').catch(() => undefined);
    await this.browserSession.detach().catch(() => undefined);
    await this.pageSession.detach().catch(() => undefined);
  }
}
