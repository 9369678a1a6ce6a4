import type { Command } from 'commander';
import { registerIngestCommand } from './ingest-command.js';
import { registerReprocessCommand } from './reprocess-command.js';
import { registerWorkerCommand } from './worker-command.js';

/** `docq ingest | worker | reprocess`: the queue side of the command line. */
export function registerQueueCommands(program: Command): void {
  registerIngestCommand(program);
  registerWorkerCommand(program);
  registerReprocessCommand(program);
}
