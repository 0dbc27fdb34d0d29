/**
 * Follows a marker stream the user picked (PsychoPy, OpenViBE…) like liblsl's inlet does: resolve
 * by name + type + source_id, connect, measure time correction (again every few seconds), deliver
 * each marker with its timestamp mapped onto this machine's LSL clock, and on a lost connection
 * re-resolve and reconnect (a restarted outlet has a new uid but the same source_id).
 */
import { measureTimeCorrection, resolveStreams, StreamInlet, type UdpTarget } from './inlet';
import { lslLocalClockS, type LslClock } from './clock';

export interface MarkerStreamPick {
  readonly name: string;
  readonly sourceId: string;
}

export interface ReceivedMarker {
  readonly text: string;
  /** Outlet's timestamp, s on its clock. */
  readonly remoteTimeS: number;
  /** Time correction applied (added to remoteTimeS), s. */
  readonly correctionS: number;
  /** remoteTimeS + correctionS: this machine's LSL clock, s. */
  readonly localTimeS: number;
}

export type MarkerSubscriptionState = 'searching' | 'connected' | 'stopped';

export interface MarkerSubscriptionOptions {
  readonly pick: MarkerStreamPick;
  readonly sessionId: string;
  readonly targets: readonly UdpTarget[];
  readonly bindAddress?: string;
  readonly broadcast?: boolean;
  readonly clock?: LslClock;
  /** Time correction refresh, ms (liblsl TimeUpdateInterval 2 s; markers are sparse, 5 s is plenty). */
  readonly correctionEveryMs?: number;
  readonly retryMs?: number;
  onMarker(m: ReceivedMarker): void;
  onState?(state: MarkerSubscriptionState, detail: string): void;
}

/** XPath literal quoting: XPath 1.0 has no escapes, so a value with ' uses "…". */
export function xpathLiteral(s: string): string {
  return s.includes("'") ? `"${s.replace(/"/g, '')}"` : `'${s}'`;
}

export class MarkerSubscription {
  private stopped = false;
  private inlet: StreamInlet | null = null;
  private correctionS: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | null = null;
  private readonly clock: LslClock;
  markers = 0;
  state: MarkerSubscriptionState = 'searching';

  constructor(private readonly o: MarkerSubscriptionOptions) {
    this.clock = o.clock ?? lslLocalClockS;
    void this.loop();
  }

  get timeCorrectionS(): number | null {
    return this.correctionS;
  }

  private setState(s: MarkerSubscriptionState, detail: string): void {
    this.state = s;
    this.o.onState?.(s, detail);
  }

  private async loop(): Promise<void> {
    const query = `session_id=${xpathLiteral(this.o.sessionId)} and type='Markers' and name=${xpathLiteral(this.o.pick.name)}` + (this.o.pick.sourceId ? ` and source_id=${xpathLiteral(this.o.pick.sourceId)}` : '');
    while (!this.stopped) {
      this.setState('searching', `looking for ${this.o.pick.name}`);
      try {
        const found = await resolveStreams({ query, targets: this.o.targets, bindAddress: this.o.bindAddress, broadcast: this.o.broadcast, minimum: 1, timeoutMs: 2000 });
        const info = found[0];
        if (info && !this.stopped) {
          const c = await measureTimeCorrection(info, { bindAddress: this.o.bindAddress, clock: this.clock });
          this.correctionS = c.correctionS;
          const inlet = await StreamInlet.open(info, { hostname: '' });
          if (this.stopped) {
            inlet.close();
            break;
          }
          this.inlet = inlet;
          this.setState('connected', `${info.name} on ${info.hostname}`);
          const refresh = setInterval(() => {
            measureTimeCorrection(info, { bindAddress: this.o.bindAddress, clock: this.clock }).then(
              (r) => (this.correctionS = r.correctionS),
              () => undefined, // keep the last estimate; the connection itself tells us when the outlet is gone
            );
          }, this.o.correctionEveryMs ?? 5000);
          inlet.onSample((s) => {
            const correctionS = this.correctionS ?? 0;
            this.markers++;
            this.o.onMarker({ text: String(s.values[0] ?? ''), remoteTimeS: s.timestampS, correctionS, localTimeS: s.timestampS + correctionS });
          });
          await new Promise<void>((res) => inlet.onEnd(() => res()));
          clearInterval(refresh);
          this.inlet = null;
        }
      } catch (e) {
        this.o.onState?.(this.state, `retrying: ${(e as Error).message}`);
      }
      if (!this.stopped)
        await new Promise<void>((r) => {
          this.wake = r;
          this.timer = setTimeout(r, this.o.retryMs ?? 500);
        });
    }
    this.setState('stopped', 'stopped');
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
    this.inlet?.close();
  }
}
