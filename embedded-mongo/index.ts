// The embedded MongoDB-compatible server: the only entry point other docq code imports.
export {
  startEmbeddedMongo,
  DEFAULT_PORT,
  DEFAULT_HOST,
  DEFAULT_DATABASE,
  type EmbeddedMongoOptions,
  type RunningMongo,
} from './start-embedded-mongo.js';
export { ensureMongo, findRunningServer, type EnsureMongoOptions, type EnsuredMongo } from './ensure-mongo.js';
export { openOfflineReader, type OfflineReader } from './read-offline.js';
