/**
 * Runs a session script against the session clock. The state is a pure function of the script,
 * the control events and the time (shared/session-script); this class only keeps the events,
 * records them, and turns phase changes into markers (recorded like any marker, so reports and
 * exports can split a session by phase).
 */
import { scriptStateAt, type ScriptEvent, type ScriptState, type SessionScript } from '../../shared/session-script/script';
import { Store } from './store';

export interface ScriptHost {
  now(): number;
  recordEvent(kind: string, data: Readonly<Record<string, unknown>>, tMs?: number): void;
  addMarker(label: string, category?: string, tMs?: number): unknown;
}

export class ScriptRunner {
  readonly state: Store<ScriptState>;
  private events: ScriptEvent[] = [];
  private lastPhaseIndex = -1;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: ScriptHost,
    private script: SessionScript,
  ) {
    this.state = new Store(scriptStateAt(script, [], host.now()));
  }

  get current(): SessionScript {
    return this.script;
  }

  /** Choose another script (only before it starts). */
  choose(script: SessionScript): void {
    if (this.events.length > 0) return;
    this.script = script;
    this.tick();
  }

  start(): void {
    if (this.events.length > 0) return;
    this.control({ type: 'start', tMs: this.host.now() });
    this.host.recordEvent('script', { action: 'start', scriptId: this.script.id, title: this.script.title, phases: this.script.phases.map((p) => ({ id: p.id, title: p.title, kind: p.kind, durationS: p.durationS })) });
    this.timer = setInterval(() => this.tick(), 250);
  }

  pause(): void {
    this.control({ type: 'pause', tMs: this.host.now() });
  }

  resume(): void {
    this.control({ type: 'resume', tMs: this.host.now() });
  }

  skip(): void {
    this.control({ type: 'skip', tMs: this.host.now() });
  }

  extend(byS: number): void {
    this.control({ type: 'extend', tMs: this.host.now(), byS });
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private control(e: ScriptEvent): void {
    const st = this.state.get();
    if (st.finished) return;
    this.events.push(e);
    if (e.type !== 'start') this.host.recordEvent('script', { action: e.type, ...(e.type === 'extend' ? { byS: e.byS } : {}) }, e.tMs);
    this.tick();
  }

  private tick(): void {
    const st = scriptStateAt(this.script, this.events, this.host.now());
    if (st.started && st.phaseIndex !== this.lastPhaseIndex) {
      this.lastPhaseIndex = st.phaseIndex;
      if (st.phase) {
        const at = st.phaseStartMs ?? this.host.now();
        this.host.addMarker(st.phase.title, 'phase', at);
        this.host.recordEvent('script', { action: 'phase', phaseId: st.phase.id, phaseKind: st.phase.kind, title: st.phase.title }, at);
      } else {
        this.host.addMarker('Script finished', 'phase');
        if (this.timer) clearInterval(this.timer);
      }
    }
    this.state.set(st);
  }
}
