/**
 * tesseract's own messages ("Detected 90 diacritics", "Estimating resolution as 313", "Invalid
 * resolution 0 dpi") are a debug log: written to stderr, marked, only when DOCQ_DEBUG is set (the job
 * processes of `ingest --workers` write theirs to .docq/jobs.log); otherwise dropped, so they never
 * break into the terminal or the progress line of an ingest or an extract.
 */
export function tesseractLog(env: NodeJS.ProcessEnv = process.env): ((message: string) => void) | undefined {
  if (env['DOCQ_DEBUG'] === undefined || env['DOCQ_DEBUG'] === '') return undefined;
  return (message) => void process.stderr.write(`[tesseract] ${message}\n`);
}
