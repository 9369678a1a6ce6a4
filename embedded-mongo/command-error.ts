// A command failure carried to the client as MongoDB's {ok: 0, code, codeName, errmsg} reply.
// Codes follow MongoDB's src/mongo/base/error_codes.yml so drivers and mongoose react as usual.

export const ERROR_CODES = {
  InternalError: 1,
  BadValue: 2,
  Unauthorized: 13,
  FailedToParse: 9,
  TypeMismatch: 14,
  InvalidLength: 16,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  InvalidIdField: 53,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  NotImplemented: 238,
  Location40324: 40324,
  Location40415: 40415,
  DuplicateKey: 11000,
  BSONObjectTooLarge: 10334,
  UnsupportedOpQueryCommand: 352,
} as const;

export type ErrorCodeName = keyof typeof ERROR_CODES;

export interface CommandErrorExtra {
  readonly keyPattern?: Record<string, unknown>;
  readonly keyValue?: Record<string, unknown>;
}

export class CommandError extends Error {
  override readonly name = 'CommandError';
  readonly code: number;
  readonly codeName: ErrorCodeName;
  readonly extra: CommandErrorExtra;

  constructor(codeName: ErrorCodeName, message: string, extra: CommandErrorExtra = {}) {
    super(message);
    this.codeName = codeName;
    this.code = ERROR_CODES[codeName];
    this.extra = extra;
  }
}

export function isCommandError(value: unknown): value is CommandError {
  return value instanceof Error && value.name === 'CommandError' && 'codeName' in value;
}

/** Turns any thrown value into a CommandError: storage failures are internal, the rest (mingo's parse errors) BadValue. */
export function toCommandError(value: unknown): CommandError {
  if (isCommandError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new CommandError(
    value instanceof Error && value.name === 'SqliteError' ? 'InternalError' : 'BadValue',
    message,
  );
}

/** The reply document for a failed command. */
export function errorReply(error: CommandError): Record<string, unknown> {
  return { ok: 0, errmsg: error.message, code: error.code, codeName: error.codeName, ...error.extra };
}
