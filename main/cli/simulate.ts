/** `soothe simulate`: RR intervals from the built-in simulator, for demos and test files. */
import { parseArgs } from 'node:util';
import { RrSimulator } from '../../shared/sim/rr-simulator';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '300' },
      seed: { type: 'string', default: '1' },
      breathing: { type: 'string', default: '13' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('soothe simulate [--duration <s>] [--seed <n>] [--breathing <breaths/min>]\n');
    return 0;
  }
  const durationMs = Number(values.duration) * 1000;
  const seed = Number(values.seed);
  const breathing = Number(values.breathing);
  if (!(durationMs > 0) || !Number.isInteger(seed) || !(breathing > 0)) throw new Error('--duration, --seed and --breathing must be positive numbers');
  const sim = new RrSimulator({ seed, breathsPerMin: breathing });
  sim.setBreathing(breathing, false);
  const out: string[] = [];
  for (let rr = sim.next(); rr.tMs <= durationMs; rr = sim.next()) out.push(rr.rrMs.toFixed(3));
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}
