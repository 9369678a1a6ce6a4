// One client connection: frames in, commands dispatched in arrival order, replies out.
// A message we cannot parse closes this connection (with a log line); others go on.
import type { Socket } from 'node:net';
import type { Document } from 'bson';
import { CommandError, errorReply } from './command-error.js';
import type { CommandContext } from './commands/command-context.js';
import { commandName, dispatchCommand } from './commands/dispatch-command.js';
import { encodeLegacyReply, encodeMsgReply } from './wire/encode-reply.js';
import { parseMessage, type WireRequest } from './wire/parse-message.js';
import { createFrameReader } from './wire/split-frames.js';

/** Commands MongoDB still accepts over legacy OP_QUERY: the handshake only. */
const OP_QUERY_COMMANDS = new Set(['hello', 'isMaster', 'ismaster']);

export function serveConnection(socket: Socket, context: CommandContext): void {
  const reader = createFrameReader();
  const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
  const close = (reason: string): void => {
    context.log(`connection ${context.connectionId} from ${peer}: malformed message (${reason}); closing it`);
    socket.destroy();
  };
  socket.setNoDelay(true);
  socket.on('error', (error) => context.log(`connection ${context.connectionId}: ${error.message}`));
  socket.on('data', (chunk: Buffer) => {
    if (socket.destroyed) return;
    const result = reader.push(chunk);
    if (result.kind === 'malformed') return close(result.reason);
    for (const frame of result.frames) {
      const parsed = parseMessage(frame);
      if (!parsed.ok) return close(parsed.reason);
      let reply: Buffer | undefined;
      try {
        reply = answer(parsed.request, context);
      } catch (error) {
        // A reply that cannot be encoded (e.g. over the BSON size limit) fails this command only.
        context.log(
          `connection ${context.connectionId}: cannot answer: ${error instanceof Error ? error.message : String(error)}`,
        );
        const failure = errorReply(
          new CommandError(
            'InternalError',
            `reply could not be encoded: ${error instanceof Error ? error.message : String(error)}`,
          ),
        );
        const { request } = parsed;
        if (request.kind === 'query') reply = encodeLegacyReply(request.requestId, failure);
        else if (request.kind === 'compressed' || !request.noReply) reply = encodeMsgReply(request.requestId, failure);
      }
      if (reply) socket.write(reply);
    }
  });
}

function answer(request: WireRequest, context: CommandContext): Buffer | undefined {
  switch (request.kind) {
    case 'msg': {
      const reply = dispatchCommand(request.command, 'test', context);
      return request.noReply ? undefined : encodeMsgReply(request.requestId, reply);
    }
    case 'query': {
      const db = request.collection.endsWith('.$cmd')
        ? request.collection.slice(0, -'.$cmd'.length)
        : request.collection;
      const command = unwrapLegacyQuery(request.command);
      const reply = OP_QUERY_COMMANDS.has(commandName(command))
        ? dispatchCommand(command, db, context)
        : errorReply(
            new CommandError(
              'UnsupportedOpQueryCommand',
              `Unsupported OP_QUERY command: ${commandName(command)}. The client driver may require an upgrade.`,
            ),
          );
      return encodeLegacyReply(request.requestId, reply);
    }
    case 'compressed':
      return encodeMsgReply(
        request.requestId,
        errorReply(
          new CommandError(
            'NotImplemented',
            `OP_COMPRESSED (of opCode ${request.originalOpCode}) is not supported: the docq embedded server advertises no compressors`,
          ),
        ),
      );
  }
}

/** Old drivers wrap the command as {$query: {...}, $readPreference: ...}. */
function unwrapLegacyQuery(command: Document): Document {
  const inner = command.$query ?? command.query;
  return typeof inner === 'object' && inner !== null && Object.keys(command)[0]?.startsWith('$')
    ? (inner as Document)
    : command;
}
