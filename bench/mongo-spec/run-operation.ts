// One operation of a unified-format test, run through the real `mongodb` driver. Arguments are
// the CRUD specification's names, which the Node driver mostly shares; the few that differ are
// translated here.
import type { Document } from 'bson';
import type { ClientSession, Collection, Db, MongoClient } from 'mongodb';
import { UnsupportedSpecFeature, type EntityMap } from './match-value.js';

export interface SpecOperation {
  readonly name: string;
  readonly object: string;
  readonly arguments?: Document;
}

/** Runs the operation and returns its result (iterables are read to the end). */
export async function runOperation(operation: SpecOperation, entities: EntityMap): Promise<unknown> {
  const target = entities.get(operation.object);
  const args = driverArguments(operation.arguments ?? {}, entities);
  if (operation.object === 'testRunner') return runnerOperation(operation.name, args, entities);
  if (isKind(target, 'Collection')) return collectionOperation(target as Collection, operation.name, args);
  if (isKind(target, 'Db')) return databaseOperation(target as Db, operation.name, args);
  if (isKind(target, 'MongoClient')) return clientOperation(target as MongoClient, operation.name, args);
  throw new UnsupportedSpecFeature(`operation ${operation.name} on ${operation.object}`);
}

function isKind(value: unknown, name: string): boolean {
  return typeof value === 'object' && value !== null && value.constructor.name === name;
}

/** Resolves `session` to the entity and spells options the way the Node driver does. */
function driverArguments(args: Document, entities: EntityMap): Document {
  const out: Document = { ...args };
  if (typeof args.session === 'string') out.session = entities.get(args.session) as ClientSession;
  if (typeof args.returnDocument === 'string') out.returnDocument = args.returnDocument.toLowerCase();
  return out;
}

async function collectionOperation(collection: Collection, name: string, args: Document): Promise<unknown> {
  const { filter, update, replacement, document, documents, pipeline, fieldName, requests, ...options } = args;
  switch (name) {
    case 'find':
      return collection.find(filter as Document, options).toArray();
    case 'findOne':
      return collection.findOne(filter as Document, options);
    case 'aggregate':
      return collection.aggregate(pipeline as Document[], options).toArray();
    case 'countDocuments':
      return collection.countDocuments(filter as Document, options);
    case 'estimatedDocumentCount':
      return collection.estimatedDocumentCount(options);
    case 'count':
      return collection.count(filter as Document, options);
    case 'distinct':
      return collection.distinct(fieldName as string, filter as Document, options);
    case 'insertOne':
      return collection.insertOne(document as Document, options);
    case 'insertMany':
      return collection.insertMany(documents as Document[], options);
    case 'deleteOne':
      return collection.deleteOne(filter as Document, options);
    case 'deleteMany':
      return collection.deleteMany(filter as Document, options);
    case 'updateOne':
      return collection.updateOne(filter as Document, update as Document, options);
    case 'updateMany':
      return collection.updateMany(filter as Document, update as Document, options);
    case 'replaceOne':
      return collection.replaceOne(filter as Document, replacement as Document, options);
    case 'findOneAndUpdate':
      return collection.findOneAndUpdate(filter as Document, update as Document, options);
    case 'findOneAndReplace':
      return collection.findOneAndReplace(filter as Document, replacement as Document, options);
    case 'findOneAndDelete':
      return collection.findOneAndDelete(filter as Document, options);
    case 'bulkWrite':
      return collection.bulkWrite(requests as Parameters<Collection['bulkWrite']>[0], options);
    case 'createIndex': {
      const { keys, ...rest } = options;
      return collection.createIndex(keys as Document, rest);
    }
    default:
      throw new UnsupportedSpecFeature(`collection operation ${name}`);
  }
}

async function databaseOperation(db: Db, name: string, args: Document): Promise<unknown> {
  const { collection, pipeline, command, ...options } = args;
  switch (name) {
    case 'aggregate':
      return db.aggregate(pipeline as Document[], options).toArray();
    case 'createCollection':
      return db.createCollection(collection as string, options);
    case 'dropCollection':
      return db.dropCollection(collection as string, options);
    case 'runCommand':
      return db.command(command as Document, options);
    case 'modifyCollection':
      return db.command({ collMod: collection, ...options });
    default:
      throw new UnsupportedSpecFeature(`database operation ${name}`);
  }
}

async function clientOperation(client: MongoClient, name: string, args: Document): Promise<unknown> {
  const { models, ...options } = args;
  switch (name) {
    case 'clientBulkWrite':
      return client.bulkWrite(models as Parameters<MongoClient['bulkWrite']>[0], options);
    default:
      throw new UnsupportedSpecFeature(`client operation ${name}`);
  }
}

async function runnerOperation(name: string, args: Document, entities: EntityMap): Promise<unknown> {
  switch (name) {
    case 'failPoint': {
      const client = entities.get(args.client as string) as MongoClient;
      return client.db('admin').command(args.failPoint as Document);
    }
    default:
      throw new UnsupportedSpecFeature(`test runner operation ${name}`);
  }
}
