// Splits a TCP byte stream into whole wire-protocol messages (length-prefixed, little endian).
// Chunks are kept in a list and joined once per message, so a 48 MB message arriving in
// 64 KiB pieces is copied once, not once per piece.

/** The standard header: messageLength, requestID, responseTo, opCode. */
export const HEADER_SIZE = 16;
/** MongoDB's maxMessageSizeBytes; anything bigger is refused before buffering it. */
export const MAX_MESSAGE_SIZE = 48_000_000;

export type FrameResult =
  { readonly kind: 'frames'; readonly frames: Buffer[] } | { readonly kind: 'malformed'; readonly reason: string };

export interface FrameReader {
  push(chunk: Buffer): FrameResult;
}

export function createFrameReader(): FrameReader {
  let chunks: Buffer[] = [];
  let buffered = 0;
  const join = (): Buffer => {
    const whole = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, buffered);
    chunks = [whole];
    return whole;
  };
  return {
    push(chunk) {
      chunks.push(chunk);
      buffered += chunk.length;
      const frames: Buffer[] = [];
      while (buffered >= 4) {
        const head = (chunks[0] as Buffer).length >= 4 ? (chunks[0] as Buffer) : join();
        const length = head.readInt32LE(0);
        if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) {
          return { kind: 'malformed', reason: `message length ${length} outside ${HEADER_SIZE}..${MAX_MESSAGE_SIZE}` };
        }
        if (buffered < length) break;
        const whole = join();
        frames.push(whole.subarray(0, length));
        const rest = whole.subarray(length);
        chunks = rest.length > 0 ? [rest] : [];
        buffered = rest.length;
      }
      return { kind: 'frames', frames };
    },
  };
}
