// Raw-socket tests of the framing: legacy handshake, refused compression, malformed input.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deserialize, serialize } from 'bson';
import { usingRealMongo, openHarness, type Harness } from './server-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await openHarness('wire');
});
afterAll(async () => h.close());

function header(length: number, requestId: number, opCode: number): Buffer {
  const out = Buffer.alloc(16);
  out.writeInt32LE(length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(0, 8);
  out.writeInt32LE(opCode, 12);
  return out;
}

function opQuery(collection: string, command: object): Buffer {
  const body = Buffer.concat([
    Buffer.alloc(4),
    Buffer.from(`${collection}\0`),
    Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]),
    Buffer.from(serialize(command)),
  ]);
  return Buffer.concat([header(16 + body.length, 7, 2004), body]);
}

function opMsg(command: object, flags = 0): Buffer {
  const body = Buffer.concat([Buffer.from([flags, 0, 0, 0, 0]), Buffer.from(serialize(command))]);
  return Buffer.concat([header(16 + body.length, 8, 2013), body]);
}

interface RawReply {
  readonly opCode: number;
  readonly bytes: Buffer;
}

/** Sends bytes and resolves with the first reply, or 'closed' when the server hangs up. */
function exchange(bytes: Buffer): Promise<RawReply | 'closed'> {
  const { hostname: host, port } = new URL(h.uri.replace('mongodb://', 'http://'));
  return new Promise((resolveReply, reject) => {
    const socket: Socket = connect({ host, port: Number(port) });
    let received = Buffer.alloc(0);
    socket.setTimeout(10_000, () => reject(new Error('no reply and no close')));
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4 && received.length >= received.readInt32LE(0)) {
        socket.destroy();
        resolveReply({ opCode: received.readInt32LE(12), bytes: received });
      }
    });
    socket.on('close', () => resolveReply('closed'));
    socket.on('error', () => resolveReply('closed'));
  });
}

describe('legacy OP_QUERY handshake', () => {
  it('answers isMaster with OP_REPLY and a wire version the driver accepts', async () => {
    const reply = await exchange(opQuery('admin.$cmd', { isMaster: 1 }));
    expect(reply).not.toBe('closed');
    const { opCode, bytes } = reply as RawReply;
    expect(opCode).toBe(1);
    const doc = deserialize(bytes.subarray(36));
    expect(doc).toMatchObject({ ok: 1, ismaster: true });
    expect(doc.maxWireVersion).toBeGreaterThanOrEqual(9);
  });
});

describe.skipIf(usingRealMongo)('bad input on the wire', () => {
  it('answers OP_COMPRESSED with a clear error', async () => {
    const inner = Buffer.concat([Buffer.alloc(4), Buffer.alloc(4), Buffer.from([0]), Buffer.from('xx')]);
    inner.writeInt32LE(2013, 0);
    const reply = await exchange(Buffer.concat([header(16 + inner.length, 9, 2012), inner]));
    expect(reply).not.toBe('closed');
    const doc = deserialize((reply as RawReply).bytes.subarray(21));
    expect(doc).toMatchObject({ ok: 0, code: 238 });
    expect(doc.errmsg).toMatch(/OP_COMPRESSED/);
  });

  it('closes a connection that sends a malformed message, logs it, and keeps serving', async () => {
    const garbage = Buffer.concat([header(16 + 9, 1, 2013), Buffer.from([0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f])]);
    expect(await exchange(garbage)).toBe('closed');
    expect(await exchange(header(16, 2, 4242))).toBe('closed');
    expect(await exchange(header(100_000_000, 3, 2013))).toBe('closed');
    expect(h.logs.filter((line) => line.includes('malformed'))).toHaveLength(3);
    expect(await h.db.command({ ping: 1 })).toMatchObject({ ok: 1 });
    const reply = await exchange(opMsg({ ping: 1, $db: 'admin' }));
    expect(deserialize((reply as RawReply).bytes.subarray(21))).toMatchObject({ ok: 1 });
  });

  it('tolerates the checksum flag', async () => {
    const withChecksum = Buffer.concat([opMsg({ ping: 1, $db: 'admin' }, 1), Buffer.alloc(4)]);
    withChecksum.writeInt32LE(withChecksum.length, 0);
    const reply = await exchange(withChecksum);
    expect(deserialize((reply as RawReply).bytes.subarray(21))).toMatchObject({ ok: 1 });
  });
});
