import { Command } from 'commander';
import { PIPELINE_VERSION } from '../core/version.js';

type Register = (program: Command) => void;

/**
 * Subcommands and the module that registers each. Modules load only when needed, so `docq extract`
 * (called once per file by scripts and the scorer) never pays for BullMQ, mongoose or the server.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  extract: async () => (await import('./commands/extract-command.js')).registerExtractCommand,
  queue: async () => (await import('./commands/queue-commands.js')).registerQueueCommands,
  crawl: async () => (await import('./commands/crawl-commands.js')).registerCrawlCommands,
  db: async () => (await import('../embedded-mongo/cli.js')).registerDbCommands,
  serve: async () => (await import('./commands/serve-command.js')).registerServeCommand,
  export: async () => (await import('./commands/export-command.js')).registerExportCommand,
  archive: async () => (await import('./commands/archive-commands.js')).registerArchiveCommands,
  // Read-only and fast: no queue, worker or mongoose code loaded.
  status: async () => (await import('./commands/status-command.js')).registerStatusCommand,
  runs: async () => (await import('./commands/runs-command.js')).registerRunsCommand,
  user: async () => (await import('./commands/user-command.js')).registerUserCommand,
};
const ARCHIVE_COMMANDS = new Set(['issuers', 'series', 'aggregate']);
const QUEUE_COMMANDS = new Set(['ingest', 'worker', 'reprocess']);

/** The docq command line: every subcommand is a thin adapter around the core, the queue or the database. */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('docq')
    .description('Turn scanned and born-digital 政府信息公开工作年度报告 into checked, structured data.')
    .version(PIPELINE_VERSION)
    .showHelpAfterError();
  const sub = argv[2] ?? '';
  const wanted = QUEUE_COMMANDS.has(sub)
    ? ['queue']
    : ARCHIVE_COMMANDS.has(sub)
      ? ['archive']
      : sub in COMMANDS
        ? [sub]
        : Object.keys(COMMANDS);
  for (const name of wanted) (await COMMANDS[name]!())(program);
  return program;
}

await (await buildProgram(process.argv)).parseAsync(process.argv);
