/**
 * Publishes what the client's screen shows ('client:publish', relayed to every window as
 * 'client:state'): on every change the console makes, at once, and once a second so a client
 * window opened later catches up. The pacer travels as its schedule, not per frame.
 */
import type { SootheApi } from '../../shared/ipc/contract';
import type { ClientViewState } from '../../shared/types/client-view';
import type { PacerStyle } from '../../shared/types/settings';
import type { Session } from './session';
import type { ScriptRunner } from './script-runner';

export interface ClientScreenOptions {
  readonly eyesClosed: boolean;
  readonly showCaption: boolean;
  readonly style: PacerStyle;
  readonly audioOn: boolean;
  readonly audioVolume: number;
}

export class ClientPublisher {
  private seq = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private options: ClientScreenOptions = { eyesClosed: false, showCaption: true, style: 'orb', audioOn: false, audioVolume: 0.5 };
  private ended = false;
  /** Session time origin on the epoch clock, fixed for this session. */
  private readonly sessionEpochStartMs: number;

  constructor(
    private readonly api: SootheApi,
    private readonly session: Session,
    private readonly runner: ScriptRunner,
  ) {
    this.sessionEpochStartMs = performance.timeOrigin + performance.now() - session.now() / session.speed;
  }

  start(): void {
    this.timer = setInterval(() => void this.publish(), 1000);
    void this.publish();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  setOptions(patch: Partial<ClientScreenOptions>): void {
    this.options = { ...this.options, ...patch };
    void this.publish();
  }

  end(): void {
    this.ended = true;
    void this.publish();
  }

  /** The state as the client should see it now. */
  build(): ClientViewState {
    const s = this.session;
    const st = this.runner.state.get();
    const phase = st.started && !st.finished ? st.phase : null;
    const ui = s.ui.get();
    return {
      sessionEpochStartMs: this.sessionEpochStartMs,
      speed: s.speed,
      schedule: s.pacerSchedule,
      pacerVisible: phase ? phase.pacer : ui.trainer.pacerVisible,
      caption: this.options.showCaption && phase ? phase.title : null,
      reward: ui.trainer.reward?.value ?? null,
      eyesClosed: this.options.eyesClosed,
      style: this.options.style,
      audio: { on: this.options.audioOn, volume: this.options.audioVolume },
      ended: this.ended || st.finished,
      seq: ++this.seq,
    };
  }

  async publish(): Promise<void> {
    await this.api.invoke('client:publish', this.build());
  }
}
