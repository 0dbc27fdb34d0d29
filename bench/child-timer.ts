/**
 * Timing of child processes for the benchmarks: wall time, CPU time (user + sys), peak memory and
 * minor page faults of `node <args>`, from /usr/bin/time -v when present, else from a
 * process.resourceUsage() hook. runTimedPlan() starts the children from a small runner process
 * (bench/child-timer-main.ts, dist/node/child-timer.mjs) rather than from the benchmark process:
 * Node forks to start a child, and forking a parent that holds hundreds of MB (a benchmark after
 * generating its data) added ~15 ms to every child's wall time on this machine (measured: `node -e
 * 0` 33 ms from a 47 MB parent, 48 ms from a 474 MB one).
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface ChildRun {
  readonly wallMs: number;
  readonly cpuMs: number | null;
  readonly maxRssMb: number | null;
  /** Minor page faults (first touches of fresh memory), from /usr/bin/time only. */
  readonly minorFaults?: number | null;
}

export const HAVE_TIME = existsSync('/usr/bin/time');

/**
 * The environments children run in. 'user' is what a user's shell has: this machine also sets
 * NODE_EXTRA_CA_CERTS (for its proxy), which makes every Node process load the CA bundle at
 * start-up (~50–90 ms here); a user's machine normally has no such variable, so it is removed.
 * 'js' is 'user' with SOOTHE_KERNELS=js; 'machine' is the environment as it is.
 */
export type ChildEnv = 'user' | 'js' | 'machine';

export function childEnv(kind: ChildEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (kind !== 'machine') delete env.NODE_EXTRA_CA_CERTS;
  if (kind === 'js') env.SOOTHE_KERNELS = 'js';
  return env;
}

/** One run of `node <args>`. */
export async function timeChild(args: string[], env: NodeJS.ProcessEnv = childEnv('user')): Promise<ChildRun> {
  if (HAVE_TIME) {
    const t0 = performance.now();
    const r = await exec('/usr/bin/time', ['-v', process.execPath, ...args], { maxBuffer: 64 << 20, env });
    const wallMs = performance.now() - t0;
    const num = (re: RegExp): number | null => {
      const m = re.exec(r.stderr);
      return m ? Number(m[1]) : null;
    };
    const user = num(/User time \(seconds\): ([\d.]+)/);
    const sys = num(/System time \(seconds\): ([\d.]+)/);
    const rss = num(/Maximum resident set size \(kbytes\): (\d+)/);
    const minorFaults = num(/Minor \(reclaiming a frame\) page faults: (\d+)/);
    return { wallMs, cpuMs: user !== null && sys !== null ? 1000 * (user + sys) : null, maxRssMb: rss !== null ? rss / 1024 : null, minorFaults };
  }
  const hook = join(tmpdir(), 'soothe-maxrss-hook.mjs');
  writeFileSync(
    hook,
    "process.on('exit', () => { const u = process.resourceUsage(); process.stderr.write(`maxrss_kb=${u.maxRSS} cpu_us=${u.userCPUTime + u.systemCPUTime}\\n`); });\n",
  );
  const t0 = performance.now();
  const r = await exec(process.execPath, ['--import', hook, ...args], { maxBuffer: 64 << 20, env });
  const wallMs = performance.now() - t0;
  const rss = /maxrss_kb=(\d+)/.exec(r.stderr);
  const cpu = /cpu_us=(\d+)/.exec(r.stderr);
  return { wallMs, cpuMs: cpu ? Number(cpu[1]) / 1000 : null, maxRssMb: rss ? Number(rss[1]) / 1024 : null };
}

/** Commands run `rounds` times, interleaved (one of each per round), after one untimed run of each `warmUp`. */
export interface TimedPlan {
  readonly rounds: number;
  readonly warmUp?: readonly (readonly string[])[];
  readonly commands: readonly { readonly label: string; readonly args: readonly string[]; readonly env: ChildEnv }[];
}

export async function runPlan(plan: TimedPlan): Promise<Record<string, ChildRun[]>> {
  for (const args of plan.warmUp ?? []) await timeChild([...args]);
  const out: Record<string, ChildRun[]> = Object.fromEntries(plan.commands.map((c) => [c.label, [] as ChildRun[]]));
  for (let round = 0; round < plan.rounds; round++) {
    for (const c of plan.commands) out[c.label]!.push(await timeChild([...c.args], childEnv(c.env)));
  }
  return out;
}

/** runPlan in the small runner process (dist/node/child-timer.mjs); `dir` holds the plan file. */
export async function runTimedPlan(plan: TimedPlan, dir: string): Promise<Record<string, ChildRun[]>> {
  const file = join(dir, `plan-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(plan));
  const r = await exec(process.execPath, ['dist/node/child-timer.mjs', file], { maxBuffer: 64 << 20 });
  return JSON.parse(r.stdout) as Record<string, ChildRun[]>;
}
