import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { PIPELINE_VERSION } from '../../core/version.js';
import { describeSkipped, ingestFolder } from '../../producers/ingest-folder.js';
import { defaultBlobDir } from '../../producers/store-blob.js';
import { markInterrupted } from '../../producers/open-run.js';
import { watchRun } from '../../producers/watch-run.js';
import type { RunningWorker } from '../../workers/start-extract-worker.js';
import { checkWorkers, startLocalWorker } from './local-worker.js';
import { openQueueServices } from './queue-services.js';
import { describeRunOutcome } from './run-outcome.js';

interface IngestFlags {
  wait: boolean;
  workers?: string;
  refresh?: boolean;
  keepOriginals?: boolean;
  pagesAsDocument?: boolean;
}

/** Skipped files listed one per line; the rest are only counted (all are on the run record up to its sample size). */
const SKIPPED_SHOWN = 10;

export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description(
      'Queue every PDF, JPEG, PNG and TIFF under the given folders or files and follow the run until it is complete. Run it again to resume.',
    )
    .argument('<paths...>', 'folders or files')
    .option('--no-wait', 'only queue the documents; workers elsewhere process them')
    .option('--workers <n>', 'also process the run here with n concurrent jobs')
    .option('--refresh', 're-extract documents an older pipeline version extracted')
    .option('--keep-originals', 'copy the files into the blob store (DOCQ_BLOB_DIR) and read them from there')
    .option(
      '--pages-as-document',
      'every folder holding only page images is one document, pages in name order (by default only numbered series such as page-1.jpg, page-2.jpg are)',
    )
    .action(async (paths: string[], flags: IngestFlags) => {
      process.exitCode = await runIngest(paths, flags);
    });
}

/** Bad arguments are refused before anything starts or is recorded: a message and exit code 2. */
export async function checkIngestArguments(
  paths: readonly string[],
  workers: string | undefined,
): Promise<string | null> {
  const badWorkers = checkWorkers(workers);
  if (badWorkers !== null) return badWorkers;
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info) return `no such file or folder: ${path}`;
    if (!info.isFile() && !info.isDirectory()) return `not a file or folder: ${path}`;
  }
  return null;
}

async function runIngest(paths: string[], flags: IngestFlags): Promise<number> {
  const bad = await checkIngestArguments(paths, flags.workers);
  if (bad !== null) {
    process.stderr.write(`docq ingest: ${bad}\n`);
    return 2;
  }
  const services = await openQueueServices();
  if (typeof services === 'string') {
    process.stderr.write(`${services}\n`);
    return 2;
  }
  const { db, queue } = services;
  const controller = new AbortController();
  let worker: RunningWorker | null = null;
  let runId: string | null = null;
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(
      '\ninterrupted: the run is kept; run the same command again to resume (Ctrl-C again to quit at once)\n',
    );
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    worker = await startLocalWorker(services, flags.workers);
    const queued = await ingestFolder({
      roots: paths,
      models: db.models,
      queue,
      pipelineVersion: PIPELINE_VERSION,
      refresh: flags.refresh === true,
      ...(flags.keepOriginals ? { keepOriginals: defaultBlobDir() } : {}),
      signal: controller.signal,
      pagesAsDocument: flags.pagesAsDocument === true,
    });
    runId = queued.runId;
    for (const line of describeSkipped(queued.skippedSamples.slice(0, SKIPPED_SHOWN)))
      process.stderr.write(`${line}\n`);
    if (queued.skipped > SKIPPED_SHOWN) process.stderr.write(`… ${queued.skipped - SKIPPED_SHOWN} more skipped\n`);
    process.stderr.write(
      `run ${queued.runId}${queued.resumed ? ' (resumed)' : ''}: ${queued.files} files, ${queued.skipped} skipped, ${queued.alreadyDone} already done, ${queued.queuedNow} queued now\n`,
    );
    if (queued.olderPipeline > 0)
      process.stderr.write(
        flags.refresh
          ? `${queued.olderPipeline} documents extracted by an older pipeline are re-extracted by pipeline ${PIPELINE_VERSION}\n`
          : `${queued.olderPipeline} documents were extracted by an older pipeline and kept as they are; --refresh re-extracts them with pipeline ${PIPELINE_VERSION}\n`,
      );
    if (controller.signal.aborted) {
      await markInterrupted(db.models, queued.runId);
      return 130;
    }
    if (!flags.wait) {
      if (services.redis.owned)
        process.stderr.write(
          'note: the private Redis stops now unless another docq command uses it; its queue is kept in .docq/redis for the next one\n',
        );
      return 0;
    }
    if (!worker) process.stderr.write('waiting for workers (start some with `docq worker`, or pass --workers N)\n');
    const final = await watchRun(db.models, queued.runId, { signal: controller.signal, queue });
    if (controller.signal.aborted || !final) {
      await markInterrupted(db.models, queued.runId);
      return 130;
    }
    process.stdout.write(
      await describeRunOutcome(
        db.models,
        final,
        queued.alreadyDone > 0 ? ` · ${queued.alreadyDone} already done earlier` : '',
      ),
    );
    return final.failed > 0 ? 1 : 0;
  } catch (error) {
    if (runId !== null) await markInterrupted(db.models, runId).catch(() => undefined);
    process.stderr.write(`ingest failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    if (worker) await worker.close();
    await services.close();
  }
}
