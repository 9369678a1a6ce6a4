import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../core/intake/limits.js';
import { isProblem } from '../../../core/intake/is-problem.js';
import { sniff } from '../../../core/intake/sniff.js';

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

describe('sniff', () => {
  it('recognises PDF, JPEG, PNG and both TIFF byte orders by magic bytes', () => {
    expect(sniff(bytes('%PDF-1.7\n'), DEFAULT_LIMITS)).toEqual({ kind: 'pdf', mime: 'application/pdf' });
    expect(sniff(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0]), DEFAULT_LIMITS)).toEqual({ kind: 'jpeg', mime: 'image/jpeg' });
    expect(sniff(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), DEFAULT_LIMITS)).toMatchObject({
      kind: 'png',
    });
    expect(sniff(bytes([0x49, 0x49, 0x2a, 0x00, 8]), DEFAULT_LIMITS)).toMatchObject({ kind: 'tiff' });
    expect(sniff(bytes([0x4d, 0x4d, 0x00, 0x2a, 8]), DEFAULT_LIMITS)).toMatchObject({ kind: 'tiff' });
  });

  it('accepts junk before %PDF- within the first KiB, not beyond', () => {
    const junk = (n: number): string => 'x'.repeat(n);
    expect(sniff(bytes(junk(500), '%PDF-1.4'), DEFAULT_LIMITS)).toMatchObject({ kind: 'pdf' });
    expect(sniff(bytes(junk(2000), '%PDF-1.4'), DEFAULT_LIMITS)).toMatchObject({ code: 'UNSUPPORTED_TYPE' });
  });

  it('reports empty, unsupported and too-large inputs as problems of the intake stage', () => {
    const empty = sniff(new Uint8Array(0), DEFAULT_LIMITS);
    expect(empty).toMatchObject({ code: 'EMPTY', stage: 'intake' });
    expect(isProblem(empty)).toBe(true);
    expect(sniff(bytes('hello, world'), DEFAULT_LIMITS)).toMatchObject({ code: 'UNSUPPORTED_TYPE' });
    expect(sniff(bytes('%PDF-1.4 ', 'x'.repeat(100)), { ...DEFAULT_LIMITS, maxBytes: 50 })).toMatchObject({
      code: 'TOO_LARGE',
    });
    expect(isProblem({ kind: 'pdf', mime: 'application/pdf' })).toBe(false);
  });

  it('calls a PNG renamed .pdf a PNG (names are never trusted)', () => {
    expect(sniff(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], '%PDF-1.4'), DEFAULT_LIMITS)).toMatchObject({
      kind: 'png',
    });
  });
});
