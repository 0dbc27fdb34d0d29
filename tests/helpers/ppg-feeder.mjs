#!/usr/bin/env node
// Test feeder: writes a PPG recording to a serial device (a socat pty end) at real-time speed
// (× --speed), as one of the line formats DIY sensor sketches print (CR LF line ends).
// usage: node ppg-feeder.mjs --port <path> --csv <file> [--column ppg] [--fs 100] [--format single]
//          [--speed 1] [--start 0] [--duration <s>] [--scale 1] [--offset 0]
//          [--garbage-at <s>] [--skip-at <s> --skip <s>] [--random <s>] [--beats <json file of beat times s>] [--count-every 0]
// --random <s>: ignore the recording and write random bytes for <s> seconds (wrong baud rate).
// --format seq: "<sample index>,<value>" lines (for the loss count benchmark).
// Prints "done <lines> <samples>" on stdout at the end.
import { openSync, writeSync, readFileSync, closeSync } from 'node:fs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1] ?? '']] : acc), []),
);
const fs = Number(args.fs ?? 100);
const speed = Number(args.speed ?? 1);
const format = args.format ?? 'single';
const fd = openSync(args.port, 'w');

let lines = 0;
let samples = 0;
function write(str) {
  const buf = Buffer.from(str, 'latin1');
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      if (e.code === 'EAGAIN') continue;
      throw e;
    }
  }
}

function finish() {
  try { closeSync(fd); } catch { /* gone */ }
  process.stdout.write(`done ${lines} ${samples}\n`);
  process.exit(0);
}
process.on('SIGTERM', finish);

if (args.random) {
  // Wrong baud rate: the UART decodes noise. Random bytes, occasional LF, for --random seconds.
  const end = Date.now() + Number(args.random) * 1000;
  let seed = 12345;
  const tick = () => {
    const b = Buffer.alloc(200);
    for (let i = 0; i < b.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      b[i] = (seed >>> 16) & 0xff;
    }
    writeSync(fd, b);
    if (Date.now() < end) setTimeout(tick, 20);
    else finish();
  };
  tick();
} else {
  const text = readFileSync(args.csv, 'utf8').trim().split(/\r?\n/);
  const header = text[0].split(',');
  const col = header.indexOf(args.column ?? 'ppg');
  const scale = Number(args.scale ?? 1);
  const offset = Number(args.offset ?? 0);
  const start = Math.round(Number(args.start ?? 0) * fs);
  const all = text.slice(1).map((l) => Math.round(offset + scale * Number(l.split(',')[col])));
  const n = args.duration ? Math.min(all.length - start, Math.round(Number(args.duration) * fs)) : all.length - start;
  const values = all.slice(start, start + n);
  const beats = args.beats ? JSON.parse(readFileSync(args.beats, 'utf8')) : [];
  const garbageAt = args['garbage-at'] ? Math.round(Number(args['garbage-at']) * fs) : -1;
  // --skip-at <s> --skip <s>: samples lost on the device: nothing is written for them.
  const skipAt = args['skip-at'] ? Math.round(Number(args['skip-at']) * fs) : -1;
  const skipN = args.skip ? Math.round(Number(args.skip) * fs) : 0;

  const lineFor = (i, v) => {
    const tMs = Math.round(((start + i) * 1000) / fs);
    switch (format) {
      case 'processing': return `S${v}`;
      case 'plotter': return `72,833,${v}`;
      case 'single': return `${v}`;
      case 'header-ts': return `${tMs},${v - 100},${v}`;
      case 'tab': return `${v}\t${v - 100}`;
      case 'sparkfun-hr': return `IR=${v}, BPM=72.29, Avg BPM=71`;
      case 'sparkfun-spo2': return `red=${v - 100}, ir=${v}`;
      case 'sparkfun-basic': return ` R[${v - 100}] IR[${v}] G[102]`;
      case 'seq': return `${start + i},${v}`;
      default: throw new Error(`unknown format ${format}`);
    }
  };

  if (format === 'header-ts') write('Timestamp,Red,IR\r\n');
  if (format === 'sparkfun-hr') write('Initializing...\r\nPlace your index finger on the sensor with steady pressure.\r\n');

  if (format === 'grove') {
    // Seeed wiki sketch: per beat counter, millis(), interval; written at each beat time.
    write('Please ready your chest belt.\r\nHeart rate test begin.\r\n');
    const bt = beats.filter((b) => b >= start / fs && b < (start + n) / fs);
    const t0 = Date.now();
    let k = 1;
    const tick = () => {
      const now = (Date.now() - t0) / 1000 * speed;
      let out = '';
      while (k < bt.length && bt[k] - bt[0] <= now) {
        out += `${k % 21}\r\n${Math.round(bt[k] * 1000)}\r\n${Math.round((bt[k] - bt[k - 1]) * 1000)}\r\n`;
        k++;
        lines += 3;
      }
      if (out) write(out);
      if (k < bt.length) setTimeout(tick, 5);
      else finish();
    };
    tick();
  } else {
    const t0 = process.hrtime.bigint();
    let i = 0;
    const tick = () => {
      const elapsedS = Number(process.hrtime.bigint() - t0) / 1e9;
      const due = Math.min(n, Math.floor(elapsedS * fs * speed) + 1);
      let out = '';
      for (; i < due; i++) {
        if (i === skipAt && skipN > 0) {
          i += skipN - 1;
          continue;
        }
        if (i === garbageAt) {
          // Noise mid-stream: binary bytes, then a 10 000-byte line with no newline, then LF.
          let g = '';
          for (let j = 0; j < 300; j++) g += String.fromCharCode((j * 7919 + 13) & 0xff);
          out += g + '\n' + 'A'.repeat(10_000) + '\n';
        }
        out += lineFor(i, values[i]) + '\r\n';
        lines++;
        samples++;
        if (format === 'processing' && i % 85 === 84) { out += 'B72\r\nQ833\r\n'; lines += 2; }
      }
      if (out) write(out);
      if (i < n) setTimeout(tick, Math.max(0, Math.min(20, ((i / (fs * speed)) - elapsedS) * 1000)));
      else finish();
    };
    tick();
  }
}
