/** Bumped whenever extraction output can change; stored on every document so reprocessing can select old results. */
export const PIPELINE_VERSION = '0.1.0';
