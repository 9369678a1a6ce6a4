// Decodes only the named (dotted) paths of a stored BSON document. A filter on two fields or a
// $group over `report.year` then costs a walk over the element headers instead of decoding a
// whole 15 KB report. Paths through arrays decode the whole array (array matching needs it).
import { deserialize, type Document } from 'bson';

export interface PathTrie {
  /** The path ends here: decode the whole value. */
  terminal: boolean;
  children: Map<string, PathTrie>;
}

export function buildPathTrie(paths: Iterable<string>): PathTrie {
  const root: PathTrie = { terminal: false, children: new Map() };
  for (const path of paths) {
    let node = root;
    for (const segment of path.split('.')) {
      let child = node.children.get(segment);
      if (!child) {
        child = { terminal: false, children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.terminal = true;
  }
  return root;
}

const TYPE_DOCUMENT = 0x03;

type Decode = (bytes: Buffer) => Document;
const plainDecode: Decode = (bytes) => deserialize(bytes);

/** `decode` turns one wrapped element into a document (storage/typed-values.ts keeps number types). */
export function decodeFields(raw: Buffer, trie: PathTrie, decode: Decode = plainDecode): Document {
  return decodeLevel(raw, 0, trie, decode);
}

function decodeLevel(raw: Buffer, start: number, trie: PathTrie, decode: Decode): Document {
  const out: Document = {};
  const end = start + raw.readInt32LE(start) - 1;
  let offset = start + 4;
  let wanted = trie.children.size;
  while (offset < end && wanted > 0) {
    const type = raw[offset] ?? 0;
    const nameEnd = raw.indexOf(0, offset + 1);
    const name = raw.toString('utf8', offset + 1, nameEnd);
    const valueStart = nameEnd + 1;
    const valueEnd = valueStart + valueSize(raw, type, valueStart);
    const child = trie.children.get(name);
    if (child) {
      wanted--;
      out[name] =
        !child.terminal && type === TYPE_DOCUMENT
          ? decodeLevel(raw, valueStart, child, decode)
          : decodeElement(raw, offset, valueEnd, name, decode);
    }
    offset = valueEnd;
  }
  return out;
}

/** One element decoded by wrapping its bytes in a document of its own. */
function decodeElement(raw: Buffer, elementStart: number, valueEnd: number, name: string, decode: Decode): unknown {
  const length = 4 + (valueEnd - elementStart) + 1;
  const wrapper = Buffer.allocUnsafe(length);
  wrapper.writeInt32LE(length, 0);
  raw.copy(wrapper, 4, elementStart, valueEnd);
  wrapper[length - 1] = 0;
  return decode(wrapper)[name];
}

/** Byte length of a value of the given BSON type starting at `at`. */
export function valueSize(raw: Buffer, type: number, at: number): number {
  switch (type) {
    case 0x01: // double
    case 0x09: // UTC datetime
    case 0x11: // timestamp
    case 0x12: // int64
      return 8;
    case 0x02: // string
    case 0x0d: // JavaScript code
    case 0x0e: // symbol
      return 4 + raw.readInt32LE(at);
    case 0x03: // document
    case 0x04: // array
    case 0x0f: // code with scope
      return raw.readInt32LE(at);
    case 0x05: // binary: length, subtype, bytes
      return 4 + 1 + raw.readInt32LE(at);
    case 0x06: // undefined
    case 0x0a: // null
    case 0x7f: // max key
    case 0xff: // min key
      return 0;
    case 0x07: // ObjectId
      return 12;
    case 0x08: // boolean
      return 1;
    case 0x0b: {
      // regex: two C strings
      const patternEnd = raw.indexOf(0, at);
      return raw.indexOf(0, patternEnd + 1) + 1 - at;
    }
    case 0x0c: // DBPointer: string + ObjectId
      return 4 + raw.readInt32LE(at) + 12;
    case 0x10: // int32
      return 4;
    case 0x13: // decimal128
      return 16;
    default:
      throw new Error(`unknown BSON type 0x${type.toString(16)} in stored document`);
  }
}
