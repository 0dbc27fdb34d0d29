import { describe, expect, it } from 'vitest';
import { LineFramer } from '../../../shared/parsers/line-framer';

const enc = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('LineFramer', () => {
  const stream = 'S530\r\nB72\r\nQ833\r\n\r\n104251\nIR=104251, BPM=72.29\r\n12\r34\n';
  const expected = ['S530', 'B72', 'Q833', '', '104251', 'IR=104251, BPM=72.29', '12', '34'];

  it('gives the same lines whatever the split point (every offset, two chunks)', () => {
    const bytes = enc(stream);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const f = new LineFramer();
      const got = [...f.push(bytes.subarray(0, cut)), ...f.push(bytes.subarray(cut)), ...f.flush()];
      expect(got, `cut at ${cut}`).toEqual(expected);
    }
  });

  it('gives the same lines one byte at a time', () => {
    const f = new LineFramer();
    const got: string[] = [];
    for (const b of enc(stream)) got.push(...f.push(Uint8Array.of(b)));
    expect(got).toEqual(expected);
  });

  it('flushes an unterminated last line', () => {
    const f = new LineFramer();
    expect(f.push(enc('1\n2'))).toEqual(['1']);
    expect(f.flush()).toEqual(['2']);
  });

  it('bounds memory: a line with no newline is dropped and counted, then framing resumes', () => {
    const f = new LineFramer({ maxLineBytes: 64 });
    const junk = new Uint8Array(100_000).fill(0x41);
    for (let i = 0; i < 10; i++) {
      expect(f.push(junk)).toEqual([]);
      expect(f.buffered).toBeLessThanOrEqual(64);
    }
    expect(f.droppedLines).toBe(1);
    expect(f.droppedBytes).toBe(1_000_000);
    expect(f.push(enc('tail\n530\n'))).toEqual(['530']);
    expect(f.droppedLines).toBe(1);
  });

  it('decodes binary noise without throwing', () => {
    const f = new LineFramer();
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff);
    expect(() => [...f.push(bytes), ...f.flush()]).not.toThrow();
  });

  it('rejects bad options', () => {
    expect(() => new LineFramer({ maxLineBytes: 0 })).toThrow(RangeError);
    expect(() => new LineFramer({ maxLineBytes: 1.5 })).toThrow(RangeError);
  });
});
