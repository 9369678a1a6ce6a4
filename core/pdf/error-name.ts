/** The `name` of a thrown value (pdf.js exceptions carry stable names such as `PasswordException`). */
export function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string')
    return error.name;
  return 'Error';
}
