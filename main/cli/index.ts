/**
 * `soothe`: the command-line entry. Each subcommand lives in its own module and exports
 * `run(argv): Promise<number>` (the exit code); errors are printed as one clear line.
 */
import { exitWith } from './exit';

declare const __SOOTHE_VERSION__: string;

type Command = { readonly summary: string; readonly load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  simulate: { summary: 'print simulated RR intervals (ms), one per line', load: () => import('./simulate') },
  analyze: { summary: 'HRV report of an RR file (artifact correction, time/frequency domain, coherence)', load: () => import('./analyze') },
  beats: { summary: 'detect pulse beats in a recorded PPG file (times s, intervals ms)', load: () => import('./beats') },
  lsl: { summary: 'publish the simulator as Lab Streaming Layer streams (test LabRecorder)', load: () => import('./lsl') },
  record: { summary: 'record a session without the window (simulator or serial pulse sensor)', load: () => import('./record') },
  export: { summary: 'export a session folder as CSV, JSON, Kubios RR text or EDF+', load: () => import('./export') },
  import: { summary: 'import an RR file (or a Soothe export) as a session', load: () => import('./import') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  soothe ${name.padEnd(10)} ${c.summary}`);
  return `Soothe ${__SOOTHE_VERSION__}: HRV biofeedback for soothing rhythm breathing (a training tool, not a medical device)\n\nUsage:\n${lines.join('\n')}\n\nRun \`soothe <command> --help\` for a command's options.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    process.stdout.write(`${__SOOTHE_VERSION__}\n`);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`soothe: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await cmd.load()).run(rest);
}

exitWith(main(process.argv.slice(2)));
