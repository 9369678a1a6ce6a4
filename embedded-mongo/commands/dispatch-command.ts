// Routes a command document to its handler by the name of its first field and turns every
// failure into MongoDB's error reply. Generic fields (lsid, $db, $readPreference,
// writeConcern, readConcern, $clusterTime, apiVersion, comment…) are accepted and ignored.
import type { Document } from 'bson';
import { CommandError, errorReply, isCommandError } from '../command-error.js';
import { aggregateCommand } from './aggregate-command.js';
import {
  collStatsCommand,
  createCommand,
  dbStatsCommand,
  dropCommand,
  dropDatabaseCommand,
  listCollectionsCommand,
  listDatabasesCommand,
  renameCollectionCommand,
} from './catalog-commands.js';
import type { EncodedReply } from '../wire/encode-cursor-reply.js';
import type { CommandContext, CommandHandler } from './command-context.js';
import { findAndModifyCommand } from './find-and-modify.js';
import { createIndexesCommand, dropIndexesCommand, listIndexesCommand } from './index-commands.js';
import { countCommand, distinctCommand, findCommand, getMoreCommand, killCursorsCommand } from './read-commands.js';
import * as server from './server-commands.js';
import { deleteCommand, insertCommand, updateCommand } from './write-commands.js';

const HANDLERS: Readonly<Record<string, CommandHandler>> = {
  hello: server.helloCommand,
  isMaster: server.helloCommand,
  ismaster: server.helloCommand,
  ping: server.pingCommand,
  buildInfo: server.buildInfoCommand,
  buildinfo: server.buildInfoCommand,
  hostInfo: server.hostInfoCommand,
  getParameter: server.getParameterCommand,
  getCmdLineOpts: server.getCmdLineOptsCommand,
  serverStatus: server.serverStatusCommand,
  connectionStatus: server.connectionStatusCommand,
  whatsmyuri: server.whatsMyUriCommand,
  endSessions: server.endSessionsCommand,
  killAllSessions: server.endSessionsCommand,
  insert: insertCommand,
  update: updateCommand,
  delete: deleteCommand,
  find: findCommand,
  getMore: getMoreCommand,
  killCursors: killCursorsCommand,
  count: countCommand,
  distinct: distinctCommand,
  findAndModify: findAndModifyCommand,
  findandmodify: findAndModifyCommand,
  aggregate: aggregateCommand,
  createIndexes: createIndexesCommand,
  listIndexes: listIndexesCommand,
  dropIndexes: dropIndexesCommand,
  deleteIndexes: dropIndexesCommand,
  create: createCommand,
  drop: dropCommand,
  dropDatabase: dropDatabaseCommand,
  renameCollection: renameCollectionCommand,
  listCollections: listCollectionsCommand,
  listDatabases: listDatabasesCommand,
  collStats: collStatsCommand,
  dbStats: dbStatsCommand,
};

/** Commands that only run against the admin database, as in MongoDB. */
const ADMIN_ONLY = new Set(['listDatabases', 'renameCollection', 'getCmdLineOpts', 'getParameter', 'hostInfo']);

/** Storage failures: never the client's fault. */
const STORAGE_ERRORS = ['SqliteError'];
/** JavaScript errors: mingo raises these on malformed operands ({$in: 5}), but so would a bug here. */
const LOGGED_ERRORS = ['TypeError', 'ReferenceError', 'RangeError'];

export function commandName(command: Document): string {
  return Object.keys(command)[0] ?? '';
}

export function dispatchCommand(
  command: Document,
  defaultDb: string,
  context: CommandContext,
): Document | EncodedReply {
  const name = commandName(command);
  const db = typeof command.$db === 'string' ? command.$db : defaultDb;
  try {
    const handler = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
    if (!handler) throw new CommandError('CommandNotFound', `no such command: '${name}'`);
    if (ADMIN_ONLY.has(name) && db !== 'admin')
      throw new CommandError('Unauthorized', `${name} may only be run against the admin database.`);
    if (command.startTransaction === true || command.autocommit === false) {
      throw new CommandError(
        'IllegalOperation',
        'Transaction numbers are only allowed on a replica set member or mongos',
      );
    }
    return handler(command, db, context);
  } catch (error) {
    if (isCommandError(error)) return errorReply(error);
    const err = error instanceof Error ? error : new Error(String(error));
    if (STORAGE_ERRORS.includes(err.name) || STORAGE_ERRORS.includes(err.constructor.name)) {
      context.log(`storage error in ${name}: ${err.stack ?? err.message}`);
      return errorReply(new CommandError('InternalError', `${name}: ${err.message}`));
    }
    if (LOGGED_ERRORS.includes(err.name)) context.log(`${err.name} in ${name}: ${err.stack ?? err.message}`);
    // mingo reports unknown operators and bad expressions as plain Errors naming the operator.
    return errorReply(new CommandError('BadValue', err.message));
  }
}
