// The handshake and the informational commands drivers and mongoose send.
import type { Document } from 'bson';
import { hostname } from 'node:os';
import { MAX_MESSAGE_SIZE } from '../wire/split-frames.js';
import { MAX_DOCUMENT_SIZE } from '../storage/write-documents.js';
import type { CommandContext } from './command-context.js';

/** MongoDB 7.0's wire version; the mongodb 7 driver accepts 9 (MongoDB 4.4) and above. */
export const MAX_WIRE_VERSION = 21;
export const SERVER_VERSION = '7.0.0';
const MAX_WRITE_BATCH_SIZE = 100_000;
const SESSION_TIMEOUT_MINUTES = 30;
// No topologyVersion in hello: with it, drivers switch to streaming (exhaust) monitoring,
// which needs awaitable hello with moreToCome replies; without it they poll, which suits a
// single standalone server whose topology never changes.

export function helloCommand(command: Document, _db: string, context: CommandContext): Document {
  const legacy = command.isMaster !== undefined || command.ismaster !== undefined;
  return {
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    helloOk: true,
    maxBsonObjectSize: MAX_DOCUMENT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: SESSION_TIMEOUT_MINUTES,
    connectionId: context.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
}

export function pingCommand(): Document {
  return { ok: 1 };
}

export function buildInfoCommand(): Document {
  return {
    version: SERVER_VERSION,
    gitVersion: 'docq-embedded',
    versionArray: SERVER_VERSION.split('.').map(Number).concat(0),
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_DOCUMENT_SIZE,
    storageEngines: ['docq-sqlite'],
    modules: [],
    ok: 1,
  };
}

export function hostInfoCommand(): Document {
  return {
    system: { hostname: hostname(), currentTime: new Date() },
    os: { type: process.platform },
    extra: {},
    ok: 1,
  };
}

export function getParameterCommand(command: Document): Document {
  const reply: Document = { ok: 1 };
  if (command.featureCompatibilityVersion !== undefined || command.getParameter === '*')
    reply.featureCompatibilityVersion = { version: '7.0' };
  return reply;
}

export function getCmdLineOptsCommand(_command: Document, _db: string, context: CommandContext): Document {
  return {
    argv: ['docq-embedded-mongo'],
    parsed: { net: { port: context.port }, storage: { dbPath: context.store.dataDir } },
    ok: 1,
  };
}

export function serverStatusCommand(_command: Document, _db: string, context: CommandContext): Document {
  const uptime = (Date.now() - context.startedAt.getTime()) / 1000;
  return {
    host: hostname(),
    version: SERVER_VERSION,
    process: 'docq-embedded-mongo',
    pid: process.pid,
    uptime,
    localTime: new Date(),
    mem: { resident: Math.round(process.memoryUsage().rss / 1048576) },
    ok: 1,
  };
}

export function connectionStatusCommand(): Document {
  return { authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 };
}

export function whatsMyUriCommand(_command: Document, _db: string, context: CommandContext): Document {
  return { you: `127.0.0.1:${context.port}`, ok: 1 };
}

/** Sessions carry no server-side state here: ending them has nothing to release. */
export function endSessionsCommand(): Document {
  return { ok: 1 };
}
