import { Command } from 'commander';
import { registerExtractCommand } from './commands/extract-command.js';
import { registerQueueCommands } from './commands/queue-commands.js';
import { registerCrawlCommands } from './commands/crawl-commands.js';
import { registerDbCommands } from '../embedded-mongo/cli.js';
import { PIPELINE_VERSION } from '../core/version.js';

/** The docq command line: every subcommand is a thin adapter around the core, the queue or the database. */
export function buildProgram(): Command {
  const program = new Command('docq')
    .description('Turn scanned and born-digital 政府信息公开工作年度报告 into checked, structured data.')
    .version(PIPELINE_VERSION)
    .showHelpAfterError();
  registerExtractCommand(program);
  registerQueueCommands(program);
  registerCrawlCommands(program);
  registerDbCommands(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
