// Asks a server at host:port whether it answers {ping: 1} over OP_MSG, without a driver.
import { connect } from 'node:net';
import { deserialize } from 'bson';
import { encodeMsgReply } from './wire/encode-reply.js';
import { HEADER_SIZE } from './wire/split-frames.js';

/** A live local server answers a ping in milliseconds; this only bounds a hung peer. */
const PING_TIMEOUT_MS = 2_000;

export function pingServer(host: string, port: number, timeoutMs = PING_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolvePing) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolvePing(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => socket.write(encodeMsgReply(0, { ping: 1, $db: 'admin' })));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < received.readInt32LE(0)) return;
      try {
        // OP_MSG reply: header, flagBits, section kind 0, body.
        const reply = deserialize(received.subarray(HEADER_SIZE + 5, received.readInt32LE(0)));
        finish(reply.ok === 1);
      } catch {
        finish(false);
      }
    });
  });
}
