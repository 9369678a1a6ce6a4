export const DEFAULT_DB_NAME = 'docq';

/**
 * The database to select on a connection to `uri`: undefined when the URI names one
 * (`mongodb://host:port/name?…`, the driver takes it from there), else the default `docq`.
 * Kept apart from connect.ts so read-only callers need not load mongoose.
 */
export function databaseInUri(uri: string): string | undefined {
  const afterHosts = uri.replace(/^mongodb(\+srv)?:\/\/[^/]*/, '');
  const name = afterHosts.split('?')[0]?.replace(/^\//, '') ?? '';
  return name !== '' ? undefined : DEFAULT_DB_NAME;
}
