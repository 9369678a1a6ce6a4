// Gives a caller a MongoDB to talk to: MONGODB_URI when set; else the docq server already
// serving the data directory (found through its lock file); else a new detached server
// process, which later docq processes will find in turn.
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pingServer } from './ping-server.js';
import { formatIdentity, identify, type ProcessIdentity } from './process-identity.js';
import { isProcessAlive, readLock, type LockOwner } from './server-lock.js';
import { defaultDataDir, mongoUri, DEFAULT_HOST, DEFAULT_PORT } from './start-embedded-mongo.js';

export interface EnsureMongoOptions {
  dataDir?: string;
  port?: number;
}

export interface EnsuredMongo {
  uri: string;
  /** Stops the server only when this call started it (owned); otherwise does nothing. */
  stop(): Promise<void>;
  owned: boolean;
  /** The server process when this call started it (owned), so a watchdog can stop it if the caller dies. */
  pid?: number;
}

/** Starting Node, tsx compiling from source and opening SQLite: seconds, more on a loaded machine. */
const START_TIMEOUT_MS = 45_000;
const POLL_MS = 50;
const STOP_TIMEOUT_MS = 10_000;

export async function ensureMongo(opts: EnsureMongoOptions = {}): Promise<EnsuredMongo> {
  const fromEnv = process.env.MONGODB_URI;
  if (fromEnv) return { uri: fromEnv, stop: async () => undefined, owned: false };
  const dataDir = resolve(opts.dataDir ?? defaultDataDir());
  const running = await findRunningServer(dataDir);
  if (running) return { uri: mongoUri(running.host, running.port), stop: async () => undefined, owned: false };
  // The server this call starts belongs to this process: it stops itself if the process dies.
  const child = await spawnServer(dataDir, opts.port, { owner: identify(process.pid) });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const owner = await findRunningServer(dataDir);
    if (owner) {
      const owned = owner.pid === child.pid;
      // Another caller's server won the race: our child, possibly still starting, must not
      // linger and take over the directory once that server stops.
      if (!owned && child.exitCode === null) stopChild(child.pid);
      return {
        uri: mongoUri(owner.host, owner.port),
        owned,
        ...(owned ? { pid: owner.pid } : {}),
        stop: owned ? () => stopServerProcess(owner.pid) : async () => undefined,
      };
    }
    if (child.exitCode !== null && readLock(dataDir) === undefined) break;
    await sleep(POLL_MS);
  }
  throw new Error(
    `the docq embedded MongoDB server did not start within ${START_TIMEOUT_MS} ms; see ${join(dataDir, 'server.log')}`,
  );
}

/** The live server of a data directory: a lock whose pid lives and whose port answers ping. */
export async function findRunningServer(dataDir: string): Promise<LockOwner | undefined> {
  const owner = readLock(dataDir);
  if (!owner || owner.port === 0 || !isProcessAlive(owner.pid)) return undefined;
  const host = owner.host === '0.0.0.0' || owner.host === '' ? DEFAULT_HOST : owner.host;
  return (await pingServer(host, owner.port)) ? { ...owner, host } : undefined;
}

/** SIGTERM, then wait for the process to finish flushing and exit. */
export async function stopServerProcess(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isProcessAlive(pid) && Date.now() < deadline) await sleep(POLL_MS);
}

export interface SpawnOptions {
  host?: string;
  /** An explicit port must be used as given; the default one may fall back to an ephemeral port. */
  strictPort?: boolean;
  /** The process the server stops with (see server-main's --owner); none for a standalone server. */
  owner?: ProcessIdentity;
}

/** Starts server-main as a detached process logging to <dataDir>/server.log. */
export async function spawnServer(
  dataDir: string,
  port: number | undefined,
  spawnOptions: SpawnOptions = {},
): Promise<{ pid: number; readonly exitCode: number | null }> {
  await mkdir(dataDir, { recursive: true });
  const logFd = openSync(join(dataDir, 'server.log'), 'a');
  const args = [
    '--data-dir',
    dataDir,
    '--port',
    String(port ?? DEFAULT_PORT),
    '--host',
    spawnOptions.host ?? DEFAULT_HOST,
  ];
  if (port === undefined && !spawnOptions.strictPort) args.push('--port-fallback');
  if (spawnOptions.owner !== undefined) args.push('--owner', formatIdentity(spawnOptions.owner));
  const child = spawn(process.execPath, [...serverEntry(), ...args], {
    detached: true,
    stdio: ['ignore', 'ignore', logFd],
  });
  closeSync(logFd);
  child.unref();
  const state = { pid: child.pid ?? -1, exitCode: null as number | null };
  child.on('exit', (code) => {
    state.exitCode = code ?? 1;
  });
  return state;
}

/** Built: node dist/embedded-mongo/server-main.js. From source (tests, tsx): node --import tsx server-main.ts. */
function serverEntry(): string[] {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href;
    return ['--import', tsx, join(here, '..', 'server-main.ts')];
  }
  return [join(here, '..', 'server-main.js')];
}

function stopChild(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
