// A small runner of MongoDB's unified test format (the subset the CRUD tests use): entities,
// initialData, operations with expectResult / expectError, expectEvents (command started
// events) and outcome. Each test ends as passed, refused (the server answered a named "not
// supported" error), skipped (runOnRequirements or skipReason) or wrong (anything else).
import { EJSON, type Document } from 'bson';
import {
  MongoClient,
  MongoServerError,
  type CommandFailedEvent,
  type CommandStartedEvent,
  type CommandSucceededEvent,
} from 'mongodb';
import { assertMatches, isDocument, UnsupportedSpecFeature, type EntityMap } from './match-value.js';
import { runOperation, type SpecOperation } from './run-operation.js';
import { unmetRequirement, type ServerFacts } from './server-facts.js';

export type Verdict = 'passed' | 'refused' | 'skipped' | 'wrong';

export interface TestOutcome {
  readonly file: string;
  readonly description: string;
  readonly verdict: Verdict;
  /** Why it was refused, skipped or wrong. */
  readonly detail?: string;
}

interface SpecTest {
  description: string;
  runOnRequirements?: Document[];
  skipReason?: string;
  operations: Array<SpecOperation & { expectResult?: unknown; expectError?: Document; ignoreResultAndError?: boolean }>;
  expectEvents?: Array<{ client: string; events: Document[]; eventType?: string; ignoreExtraEvents?: boolean }>;
  outcome?: CollectionData[];
}

interface CollectionData {
  collectionName: string;
  databaseName: string;
  documents: Document[];
  createOptions?: Document;
}

interface SpecFile {
  runOnRequirements?: Document[];
  createEntities?: Document[];
  initialData?: CollectionData[];
  tests: SpecTest[];
}

/** Codes with which a server says it does not implement something (refusals, not wrong results). */
const REFUSAL_CODES = new Set([59, 115, 238]);
/** Commands whose events drivers never publish or the format tells runners to ignore. */
const IGNORED_COMMANDS = new Set(['configureFailPoint', 'hello', 'ismaster', 'isMaster', 'saslStart', 'killCursors']);
const EVENT_KINDS = {
  commandStartedEvent: 'commandStarted',
  commandSucceededEvent: 'commandSucceeded',
  commandFailedEvent: 'commandFailed',
} as const;
type ObservedEvent = { kind: keyof typeof EVENT_KINDS } & (
  CommandStartedEvent | CommandSucceededEvent | CommandFailedEvent
);

/**
 * Tests whose expectations the Node driver itself does not meet, whatever the server: they are
 * skipped with this reason (the driver's own runner skips them too).
 */
const DRIVER_DEVIATIONS: Record<string, string> = {
  'Aggregate with $out passes bypassDocumentValidation: false': 'Node driver omits bypassDocumentValidation: false',
  'BulkWrite passes bypassDocumentValidation: false': 'Node driver omits bypassDocumentValidation: false',
  'FindOneAndReplace passes bypassDocumentValidation: false': 'Node driver omits bypassDocumentValidation: false',
  'FindOneAndUpdate passes bypassDocumentValidation: false': 'Node driver omits bypassDocumentValidation: false',
  'InsertMany passes bypassDocumentValidation: false': 'Node driver omits bypassDocumentValidation: false',
  'inserting _id with type null via insertOne': 'Node driver replaces a null _id with an ObjectId',
  'inserting _id with type null via insertMany': 'Node driver replaces a null _id with an ObjectId',
  'inserting _id with type null via bulkWrite': 'Node driver replaces a null _id with an ObjectId',
  'client bulkWrite replaceOne prohibits atomic modifiers':
    'Node driver validates client bulkWrite models on the server',
  'client bulkWrite updateOne requires atomic modifiers': 'Node driver validates client bulkWrite models on the server',
  'client bulkWrite updateMany requires atomic modifiers':
    'Node driver validates client bulkWrite models on the server',
};

export async function runSpecFile(file: string, text: string, uri: string, facts: ServerFacts): Promise<TestOutcome[]> {
  // Relaxed: plain JS numbers, as the driver's own options expect (an Int32 `limit` is ignored).
  const spec = EJSON.parse(text, { relaxed: true }) as SpecFile;
  const fileUnmet = unmetRequirement(spec.runOnRequirements, facts);
  const outcomes: TestOutcome[] = [];
  for (const test of spec.tests) {
    const unmet =
      fileUnmet ??
      unmetRequirement(test.runOnRequirements, facts) ??
      test.skipReason ??
      DRIVER_DEVIATIONS[test.description];
    if (unmet !== undefined) {
      outcomes.push({ file, description: test.description, verdict: 'skipped', detail: unmet });
      continue;
    }
    outcomes.push({ file, description: test.description, ...(await runTest(spec, test, uri)) });
  }
  return outcomes;
}

async function runTest(spec: SpecFile, test: SpecTest, uri: string): Promise<{ verdict: Verdict; detail?: string }> {
  const clients: MongoClient[] = [];
  const setup = new MongoClient(uri);
  clients.push(setup);
  try {
    await loadData(setup, spec.initialData ?? []);
    const { entities, events } = await createEntities(spec.createEntities ?? [], uri, clients);
    for (const operation of test.operations) await runChecked(operation, entities);
    for (const expected of test.expectEvents ?? []) {
      if ((expected.eventType ?? 'command') !== 'command')
        throw new UnsupportedSpecFeature(`${expected.eventType} events`);
      const actual = events.get(expected.client) ?? [];
      const compared = expected.ignoreExtraEvents ? actual.slice(0, expected.events.length) : actual;
      assertEvents(expected.events, compared, entities, expected.client);
    }
    for (const data of test.outcome ?? []) {
      const docs = await setup
        .db(data.databaseName)
        .collection(data.collectionName)
        .find({}, { sort: { _id: 1 } })
        .toArray();
      assertMatches(data.documents, docs, entities, false, `outcome(${data.collectionName})`);
    }
    return { verdict: 'passed' };
  } catch (error) {
    if (error instanceof MongoServerError && REFUSAL_CODES.has(Number(error.code)))
      return { verdict: 'refused', detail: `${error.codeName ?? error.code}: ${error.message}` };
    if (error instanceof UnsupportedSpecFeature) return { verdict: 'refused', detail: `runner: ${error.message}` };
    return { verdict: 'wrong', detail: error instanceof Error ? error.message : String(error) };
  } finally {
    await disableFailPoints(setup, test);
    for (const client of clients) await client.close();
  }
}

/** Events match in order; each command is a root-level document (extra fields allowed). */
function assertEvents(expected: Document[], actual: ObservedEvent[], entities: EntityMap, client: string): void {
  const names = actual.map((event) => event.commandName).join(', ');
  if (expected.length !== actual.length)
    throw new Error(`events(${client}): expected ${expected.length}, got ${actual.length} (${names})`);
  expected.forEach((event, i) => {
    const [kind, fields] = Object.entries(event)[0] as [string, Document];
    const got = actual[i] as ObservedEvent & Document;
    const path = `events(${client})[${i}]`;
    if (!(kind in EVENT_KINDS)) throw new UnsupportedSpecFeature(`event ${kind}`);
    if (got.kind !== kind) throw new Error(`${path}: expected ${kind}, got ${got.kind} (${names})`);
    for (const [key, value] of Object.entries(fields)) {
      const root = key === 'command' || key === 'reply';
      assertMatches(value, got[key], entities, root, `${path}.${key}`);
    }
  });
}

async function loadData(client: MongoClient, data: CollectionData[]): Promise<void> {
  for (const { databaseName, collectionName, documents, createOptions } of data) {
    const db = client.db(databaseName);
    await db.dropCollection(collectionName, { writeConcern: { w: 'majority' } }).catch(() => undefined);
    await db.createCollection(collectionName, { ...createOptions, writeConcern: { w: 'majority' } });
    if (documents.length > 0)
      await db.collection(collectionName).insertMany(documents, { writeConcern: { w: 'majority' } });
  }
}

async function createEntities(
  definitions: Document[],
  uri: string,
  clients: MongoClient[],
): Promise<{ entities: EntityMap; events: Map<string, ObservedEvent[]> }> {
  const entities: EntityMap = new Map();
  const events = new Map<string, ObservedEvent[]>();
  for (const definition of definitions) {
    const [kind, options] = Object.entries(definition)[0] as [string, Document];
    if (kind === 'client') {
      const observed = (options.observeEvents ?? []) as string[];
      if (observed.some((name) => !(name in EVENT_KINDS)))
        throw new UnsupportedSpecFeature(`observing ${observed.join(', ')}`);
      const client = new MongoClient(uri, {
        ...(options.uriOptions as Document),
        monitorCommands: observed.length > 0,
      });
      clients.push(client);
      const ignored = new Set([...IGNORED_COMMANDS, ...((options.ignoreCommandMonitoringEvents ?? []) as string[])]);
      const list: ObservedEvent[] = [];
      for (const kind of observed as Array<keyof typeof EVENT_KINDS>) {
        client.on(EVENT_KINDS[kind], (event: CommandStartedEvent) => {
          if (!ignored.has(event.commandName)) list.push(Object.assign(event, { kind }));
        });
      }
      await client.connect();
      events.set(options.id as string, list);
      entities.set(options.id as string, client);
    } else if (kind === 'database') {
      const client = entities.get(options.client as string) as MongoClient;
      entities.set(
        options.id as string,
        client.db(options.databaseName as string, options.databaseOptions as Document),
      );
    } else if (kind === 'collection') {
      const db = entities.get(options.database as string) as ReturnType<MongoClient['db']>;
      entities.set(
        options.id as string,
        db.collection(options.collectionName as string, options.collectionOptions as Document),
      );
    } else if (kind === 'session') {
      const client = entities.get(options.client as string) as MongoClient;
      entities.set(options.id as string, client.startSession(options.sessionOptions as Document));
    } else {
      throw new UnsupportedSpecFeature(`entity ${kind}`);
    }
  }
  return { entities, events };
}

async function runChecked(operation: SpecTest['operations'][number], entities: EntityMap): Promise<void> {
  let result: unknown;
  try {
    result = await runOperation(operation, entities);
  } catch (error) {
    if (operation.expectError) return checkError(operation.expectError, error, entities);
    if (operation.ignoreResultAndError || error instanceof UnsupportedSpecFeature) throw error;
    throw error;
  }
  if (operation.expectError)
    throw new Error(`${operation.name}: expected an error, got ${EJSON.stringify(result as Document)}`);
  if (operation.expectResult !== undefined) {
    // Cursor results are arrays of root-level documents; a distinct's array is a plain value.
    if (Array.isArray(result) && operation.name !== 'distinct' && Array.isArray(operation.expectResult)) {
      const [docs, expected] = [result as unknown[], operation.expectResult as unknown[]];
      if (docs.length !== expected.length)
        throw new Error(`${operation.name}: expected ${expected.length} documents, got ${EJSON.stringify(docs)}`);
      expected.forEach((doc, i) => assertMatches(doc, docs[i], entities, true, `${operation.name}[${i}]`));
    } else {
      assertMatches(operation.expectResult, result, entities, true, operation.name);
    }
  }
}

function checkError(expected: Document, error: unknown, entities: EntityMap): void {
  if (error instanceof UnsupportedSpecFeature) throw error;
  const server = error instanceof MongoServerError ? error : undefined;
  // A named refusal where a different error was expected is a refusal, not a pass or a wrong result.
  if (
    server &&
    REFUSAL_CODES.has(Number(server.code)) &&
    Number(expected.errorCode ?? server.code) !== Number(server.code)
  )
    throw error;
  const bulk = error as { writeErrors?: Document[]; result?: unknown; errorResponse?: Document };
  const message = error instanceof Error ? error.message : String(error);
  if (expected.isClientError === true && server) throw new Error(`expected a client error, got ${message}`);
  if (expected.isClientError === false && !server) throw new Error(`expected a server error, got ${message}`);
  if (
    typeof expected.errorContains === 'string' &&
    !message.toLowerCase().includes(expected.errorContains.toLowerCase())
  )
    throw new Error(`expected an error containing "${expected.errorContains}", got ${message}`);
  if (expected.errorCode !== undefined && Number(server?.code) !== Number(expected.errorCode))
    throw new Error(`expected error code ${String(expected.errorCode)}, got ${message} (${String(server?.code)})`);
  if (expected.errorCodeName !== undefined && server?.codeName !== expected.errorCodeName)
    throw new Error(`expected ${String(expected.errorCodeName)}, got ${message}`);
  if (expected.errorResponse !== undefined)
    assertMatches(expected.errorResponse, bulk.errorResponse, entities, true, 'errorResponse');
  if (expected.expectResult !== undefined) assertMatches(expected.expectResult, bulk.result, entities, true, 'result');
  if (expected.writeErrors !== undefined) {
    const byIndex = Object.fromEntries((bulk.writeErrors ?? []).map((e) => [String(e.index), e]));
    for (const [index, writeError] of Object.entries(expected.writeErrors as Document))
      assertMatches(writeError, byIndex[index], entities, true, `writeErrors[${index}]`);
  }
  if (expected.errorLabelsContain !== undefined || expected.errorLabelsOmit !== undefined)
    throw new UnsupportedSpecFeature('error labels');
  if (isDocument(expected.writeConcernErrors)) throw new UnsupportedSpecFeature('writeConcernErrors');
}

/** configureFailPoint modes set by the test are switched off again (real MongoDB with test commands). */
async function disableFailPoints(client: MongoClient, test: SpecTest): Promise<void> {
  for (const operation of test.operations) {
    if (operation.name !== 'failPoint') continue;
    const name = (operation.arguments?.failPoint as Document).configureFailPoint as string;
    await client
      .db('admin')
      .command({ configureFailPoint: name, mode: 'off' })
      .catch(() => undefined);
  }
}
