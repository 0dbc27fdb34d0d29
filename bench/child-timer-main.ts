/**
 * `node dist/node/child-timer.mjs <plan.json>`: runs a TimedPlan (bench/child-timer.ts) from this
 * small process and prints the runs as JSON.
 */
import { readFileSync } from 'node:fs';
import { runPlan, type TimedPlan } from './child-timer';

const plan = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as TimedPlan;
process.stdout.write(JSON.stringify(await runPlan(plan)) + '\n');
