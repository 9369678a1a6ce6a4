import { existsSync } from 'node:fs';
import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from './helpers/redis.js';

const run = promisify(execFile);
/** The compose file reads REDIS_URL, MONGODB_URI and DOCQ_QUEUE_PREFIX from the environment; tests often set them. */
function composeEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['REDIS_URL', 'MONGODB_URI', 'DOCQ_QUEUE_PREFIX', 'DOCQ_WORKER_CONCURRENCY', 'DOCQ_INBOX'])
    delete env[key];
  return { ...env, ...overrides };
}
const root = fileURLToPath(new URL('..', import.meta.url));

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition?: string }>;
  volumes?: Array<string | { target?: string; source?: string }>;
  container_name?: string;
  ports?: unknown[];
  stop_grace_period?: string;
  mem_limit?: string | number;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

let resolved: Promise<ComposeFile> | undefined;
function resolvedConfig(): Promise<ComposeFile> {
  resolved ??= readResolvedConfig(composeEnv());
  return resolved;
}

/** `docker-compose config` prints YAML; Debian's docker-compose runs on PyYAML, so python3 can turn it into JSON. */
async function readResolvedConfig(env: NodeJS.ProcessEnv): Promise<ComposeFile> {
  const { stdout } = await run('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: root, env });
  const toJson = 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))';
  // Debian's own python3 is the one docker-compose (and so PyYAML) is installed for; a pyenv python may lack it.
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const child = spawn(python, ['-c', toJson], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(stdout);
  let json = '';
  for await (const chunk of child.stdout) json += String(chunk);
  return JSON.parse(json) as ComposeFile;
}

function service(config: ComposeFile, name: string): ComposeService {
  const found = config.services[name];
  if (found === undefined) throw new Error(`service ${name} missing`);
  return found;
}

describe('docker-compose.yml', () => {
  it('validates with docker-compose config -q', async () => {
    const { stdout, stderr } = await run('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], {
      cwd: root,
      env: composeEnv(),
    });
    expect(stdout).toBe('');
    expect(stderr).toBe('');
  });

  it('runs MongoDB with a volume, Redis with noeviction and AOF, and a scalable worker', async () => {
    const config = await resolvedConfig();
    expect(Object.keys(config.services).sort()).toEqual(['api', 'mongo', 'redis', 'worker']);
    // Every service has a memory limit: one runaway OCR job must not take the machine.
    for (const [name, svc] of Object.entries(config.services)) expect(svc.mem_limit, name).toBeDefined();

    const mongo = service(config, 'mongo');
    expect(mongo.image).toMatch(/^mongo:/);
    expect(JSON.stringify(mongo.volumes)).toContain('/data/db');
    expect(mongo.healthcheck?.test?.join(' ')).toContain('ping');

    const redis = service(config, 'redis');
    const redisCommand = Array.isArray(redis.command) ? redis.command.join(' ') : String(redis.command);
    expect(redisCommand).toContain('--maxmemory-policy noeviction');
    expect(redisCommand).toContain('--appendonly yes');
    expect(JSON.stringify(redis.volumes)).toContain('/data');
    expect(redis.healthcheck?.test).toContain('ping');

    const worker = service(config, 'worker');
    expect(worker.build).toBeDefined();
    // `--scale worker=N` is impossible with a fixed container name or a published host port.
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    expect(worker.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(worker.environment?.MONGODB_URI).toMatch(/^mongodb:\/\/mongo:27017\//);
    expect(worker.depends_on?.redis?.condition).toBe('service_healthy');
    expect(worker.depends_on?.mongo?.condition).toBe('service_healthy');
    expect(worker.healthcheck?.test?.length).toBeGreaterThan(1);
    expect(worker.stop_grace_period).toBeDefined();
    expect(Object.keys(config.volumes ?? {})).toEqual(expect.arrayContaining(['mongo-data', 'redis-data']));
  });

  it('lets workers on another machine point at a remote Redis and MongoDB with a hash-tagged prefix', async () => {
    const remote = {
      REDIS_URL: 'redis://queue.internal:6379',
      MONGODB_URI: 'mongodb://db1,db2,db3/docq?replicaSet=rs0',
    };
    const config = await readResolvedConfig(composeEnv({ ...remote, DOCQ_QUEUE_PREFIX: '{docq}' }));
    expect(service(config, 'worker').environment).toMatchObject({ ...remote, DOCQ_QUEUE_PREFIX: '{docq}' });
  });
});

describe('the api service', () => {
  it('publishes the review page, API and metrics on a port, with a health check on /health', async () => {
    const api = service(await resolvedConfig(), 'api');
    expect(JSON.stringify(api.ports)).toContain('8080');
    const command = Array.isArray(api.command) ? api.command.join(' ') : String(api.command);
    expect(command).toMatch(/bin\/docq\.js serve --host 0\.0\.0\.0 --port 8080/);
    expect(api.healthcheck?.test?.join(' ')).toContain('/health');
    expect(api.environment?.REDIS_URL).toBe('redis://redis:6379');
    expect(api.depends_on?.mongo?.condition).toBe('service_healthy');
    expect(api.container_name).toBeUndefined();
  });
});

/** Literal program names the run-time code starts (execFile('x', …) / spawn('x', …)), by file. */
async function programsCalled(dirs: readonly string[]): Promise<Map<string, string>> {
  // -z reads each file whole, so a call whose program name is on the next line is found too.
  const { stdout } = await run('grep', ['-rhozP', "(execFile|spawn|spawnSync)\\(\\s*'[a-z0-9_-]+'", ...dirs], {
    cwd: root,
  });
  const found = new Map<string, string>();
  for (const call of stdout.split('\0').filter(Boolean)) found.set(/'([^']+)'/.exec(call)?.[1] ?? '', call);
  return found;
}

/** The Debian package that installs a path on this machine (`dpkg -S`). */
async function debianPackageOf(path: string): Promise<string> {
  const { stdout } = await run('dpkg', ['-S', path]);
  return stdout.split(':')[0] ?? '';
}

describe('Dockerfile', () => {
  it('installs every program and data file the workers use at run time', async () => {
    const dockerfile = await readFile(join(root, 'Dockerfile'), 'utf8');
    const installed = (dockerfile.match(/apt-get install[^\n]*/g) ?? []).join(' ');
    // Workers run core/, workers/, producers/ and models/; queue/ starts redis-server only on the zero-config path.
    const programs = await programsCalled(['core', 'workers', 'producers', 'models', 'api']);
    expect([...programs.keys()]).toContain('pdftotext');
    for (const program of programs.keys()) {
      const { stdout } = await run('sh', ['-c', `command -v ${program}`]);
      const pkg = await debianPackageOf(stdout.trim());
      expect(installed, `${program} (package ${pkg})`).toContain(pkg);
    }
    // Data files read from the Debian tree: the OCR models.
    const { DEBIAN_TESSDATA } = await import('../core/ocr/create-ocr-engine.js');
    for (const lang of ['chi_sim', 'eng']) {
      const pkg = await debianPackageOf(join(DEBIAN_TESSDATA, `${lang}.traineddata`));
      expect(installed, `${lang}.traineddata (package ${pkg})`).toContain(pkg);
    }
    // The API serves the review page (web/index.html and its modules) and web/dashboard.html from the image.
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/web \.\/web$/m);
    for (const page of ['index.html', 'dashboard.html']) expect(existsSync(join(root, 'web', page))).toBe(true);
  });

  it('builds on Node 20 with Debian traineddata and runs `docq worker` as a non-root user', async () => {
    const dockerfile = await readFile(join(root, 'Dockerfile'), 'utf8');
    const stages = dockerfile.match(/^FROM \S+/gm) ?? [];
    expect(stages.every((line) => /^FROM node:20[-.]/.test(line))).toBe(true);
    expect(dockerfile).toMatch(/apt-get install[^\n]*tesseract-ocr-chi-sim/);
    expect(dockerfile).toMatch(/npm ci\b/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "bin\/docq\.js", "worker"\]$/m);
    // The compose file builds this Dockerfile for the scalable service.
    expect(JSON.stringify(service(await resolvedConfig(), 'worker').build)).toContain('Dockerfile');
  });
});

describe('the worker health check command', () => {
  let redis: TestRedis;
  let url = '';

  beforeAll(async () => {
    redis = await startTestRedis();
    url = redis.url;
  });
  afterAll(async () => {
    await redis?.cleanup();
  });

  async function healthExitCode(): Promise<number> {
    const config = await resolvedConfig();
    const [kind, ...argv] = service(config, 'worker').healthcheck?.test ?? [];
    expect(kind).toBe('CMD');
    const [cmd, ...args] = argv;
    if (cmd === undefined) throw new Error('empty health check');
    try {
      await run(cmd, args, { cwd: root, env: { ...process.env, REDIS_URL: url } });
      return 0;
    } catch (error) {
      return typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1;
    }
  }

  it('fails while no named (BullMQ) connection comes from this host, passes once one does', async () => {
    expect(await healthExitCode()).toBe(1);
    const worker = new Redis(url, { connectionName: 'bull:ZXh0cmFjdA' });
    try {
      await worker.ping();
      expect(await healthExitCode()).toBe(0);
    } finally {
      worker.disconnect();
    }
  });
});
