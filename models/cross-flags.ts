/** The cell flag a failed strong S3 link sets (the same form as `check-failed:H3`). */
export const S3_FLAG = 'check-failed:S3';
/** The cell flag of a copy whose reading disagrees with the report's primary copy. */
export const COPY_FLAG = 'copy-disagrees';
/** The cell flags the cross-report step sets (and may clear again). */
export const CROSS_FLAGS: ReadonlySet<string> = new Set([S3_FLAG, COPY_FLAG]);
