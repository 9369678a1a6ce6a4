// storage/typed-values.ts on its own: typed decoding gives back the same bytes when re-encoded,
// and malformed client bytes (which it reads before bson does) throw instead of hanging.
import { describe, expect, it } from 'vitest';
import { Decimal128, Double, Int32, Long, ObjectId, serialize } from 'bson';
import { decodeTyped } from '../../embedded-mongo/storage/typed-values.js';

describe('decodeTyped', () => {
  it('re-encodes to the very same bytes, whatever the numeric types', () => {
    const docs = [
      { i: new Int32(1), l: Long.fromNumber(1), d: new Double(1), z: new Double(-0), f: 0.5, big: 2 ** 40 },
      { nested: { list: [new Double(3), Long.fromString('-9223372036854775808'), 4, { x: new Double(5) }] } },
      { _id: new ObjectId(), dec: Decimal128.fromString('12.50'), when: new Date(0), s: '公开', re: /a/i },
      { noDoubles: [1, 2, 3], l: Long.fromNumber(7) },
    ];
    for (const doc of docs) {
      const bytes = Buffer.from(serialize(doc));
      expect(Buffer.from(serialize(decodeTyped(bytes))).equals(bytes)).toBe(true);
    }
  });

  it('throws on malformed lengths instead of looping', () => {
    const bytes = Buffer.from(serialize({ a: { b: 1 }, c: 'text' }));
    const nested = bytes.indexOf(Buffer.from('a\0')) + 2;
    const negative = Buffer.from(bytes);
    negative.writeInt32LE(-100, nested);
    expect(() => decodeTyped(negative)).toThrow();
    const huge = Buffer.from(bytes);
    huge.writeInt32LE(0x7fffffff, 0);
    expect(() => decodeTyped(huge)).toThrow();
    const string = Buffer.from(bytes);
    string.writeInt32LE(-50, bytes.indexOf(Buffer.from('c\0')) + 2);
    expect(() => decodeTyped(string)).toThrow();
  });
});
