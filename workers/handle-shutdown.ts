/**
 * Closes `close` on the first SIGTERM/SIGINT (finish or hand back current jobs), exits on a
 * second signal at once. Returns a function that removes the handlers.
 */
export function handleShutdown(
  close: () => Promise<void>,
  log: (line: string) => void = (l) => console.error(l),
): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      process.exit(130);
    }
    stopping = true;
    log(`${signal}: finishing current jobs (send again to exit at once)`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
