// What every command handler receives, and the shape of a handler.
import type { Document } from 'bson';
import { Context, evalExpr } from 'mingo/core';
import * as expressionOperators from 'mingo/operators/expression';
import { CommandError } from '../command-error.js';
import { promoteNumbers } from '../storage/typed-values.js';
import type { EncodedReply } from '../wire/encode-cursor-reply.js';
import type { CursorRegistry } from '../query/cursor-registry.js';
import type { Store } from '../storage/open-store.js';

export interface CommandContext {
  readonly store: Store;
  readonly cursors: CursorRegistry;
  readonly log: (line: string) => void;
  readonly connectionId: number;
  readonly startedAt: Date;
  readonly port: number;
}

/** Runs one command against database `db`; throws CommandError for MongoDB-shaped failures. */
export type CommandHandler = (command: Document, db: string, context: CommandContext) => Document | EncodedReply;

/** The collection a command names in its first field, e.g. {insert: "users"}. */
export function collectionArgument(command: Document, name: string): string {
  const value = command[name];
  if (typeof value !== 'string' || value === '') {
    throw new CommandError('InvalidNamespace', `collection name has invalid type ${typeof value} for command ${name}`);
  }
  return value;
}

export function optionalNumber(command: Document, field: string, fallback: number): number {
  const value = promoteNumbers(command[field]);
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new CommandError('TypeMismatch', `Field '${field}' should be a number, got ${typeof value}`);
  if (value < 0) throw new CommandError('BadValue', `${field} value must be non-negative, but received: ${value}`);
  return Math.trunc(value);
}

export function optionalDocument(command: Document, field: string): Document | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new CommandError('TypeMismatch', `Field '${field}' should be an object`);
  return value as Document;
}

/** A command's `let` variables: each an expression, evaluated once (numbers promoted for mingo). */
export function letVariables(command: Document): Document | undefined {
  const variables = command.let;
  if (typeof variables !== 'object' || variables === null) return undefined;
  const options = { context: EXPRESSIONS } as unknown as Parameters<typeof evalExpr>[2];
  return Object.fromEntries(
    Object.entries(promoteNumbers(variables as Document)).map(([name, expression]) => [
      name,
      evalExpr({}, expression, options),
    ]),
  );
}

const EXPRESSIONS = Context.init({ expression: expressionOperators });
