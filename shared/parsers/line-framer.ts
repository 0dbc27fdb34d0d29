/**
 * Chunk-proof line framer for serial text streams (after serialport's `parser-delimiter`):
 * the same lines come out however the bytes are split into chunks.
 *
 * - Lines end with LF; a CR before it (Arduino `println` sends CR LF) is removed, and a lone CR
 *   also ends a line (some sketches print `\r` only).
 * - Bytes are decoded as Latin-1 (one char per byte): the sensors print ASCII, and binary noise
 *   must never throw. Parsers reject what is not text.
 * - Memory is bounded: a line longer than `maxLineBytes` is dropped (counted in `droppedLines`,
 *   its bytes in `droppedBytes`) and the framer skips to the next line ending. A device spewing
 *   bytes with no newline therefore holds at most `maxLineBytes` here.
 */

export const DEFAULT_MAX_LINE_BYTES = 4096;

export interface LineFramerOptions {
  /** Longest accepted line, bytes, without its terminator (default 4096). */
  readonly maxLineBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;

export class LineFramer {
  readonly maxLineBytes: number;
  /** Lines dropped because they were longer than `maxLineBytes`. */
  droppedLines = 0;
  /** Bytes discarded with those lines. */
  droppedBytes = 0;
  private readonly carry: Uint8Array;
  private carryLen = 0;
  private overflow = false; // inside an over-long line: discard until the next terminator
  private lastWasCr = false; // swallow the LF of a CR LF pair split across chunks

  constructor(opts: LineFramerOptions = {}) {
    const max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    if (!Number.isInteger(max) || max < 1 || max > 1 << 20) throw new RangeError(`LineFramer: maxLineBytes must be an integer 1..1048576, got ${String(max)}`);
    this.maxLineBytes = max;
    this.carry = new Uint8Array(max);
  }

  /** Bytes currently held (an unfinished line): never more than `maxLineBytes`. */
  get buffered(): number {
    return this.carryLen;
  }

  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (b === LF || b === CR) {
        if (b === LF && this.lastWasCr) {
          this.lastWasCr = false;
          continue;
        }
        this.lastWasCr = b === CR;
        this.endLine(lines);
        continue;
      }
      this.lastWasCr = false;
      if (this.overflow) {
        this.droppedBytes++;
        continue;
      }
      if (this.carryLen >= this.maxLineBytes) {
        this.overflow = true;
        this.droppedLines++;
        this.droppedBytes += this.carryLen + 1;
        this.carryLen = 0;
        continue;
      }
      this.carry[this.carryLen++] = b;
    }
    return lines;
  }

  /** End of stream: the unfinished line, if any, as a last line. */
  flush(): string[] {
    const lines: string[] = [];
    if (!this.overflow && this.carryLen > 0) lines.push(this.decode());
    this.carryLen = 0;
    this.overflow = false;
    this.lastWasCr = false;
    return lines;
  }

  /** Forget any partial line (after a reconnect, the first bytes belong to no line we saw start). */
  reset(): void {
    this.carryLen = 0;
    this.overflow = false;
    this.lastWasCr = false;
  }

  private endLine(lines: string[]): void {
    if (this.overflow) {
      this.overflow = false;
      this.carryLen = 0;
      return;
    }
    lines.push(this.decode());
    this.carryLen = 0;
  }

  private decode(): string {
    let s = '';
    const CHUNK = 1024;
    for (let i = 0; i < this.carryLen; i += CHUNK) {
      s += String.fromCharCode(...this.carry.subarray(i, Math.min(this.carryLen, i + CHUNK)));
    }
    return s;
  }
}
