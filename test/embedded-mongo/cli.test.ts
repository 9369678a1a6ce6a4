// `docq db start|status|stop` through commander, against a detached server process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { registerDbCommands } from '../../embedded-mongo/cli.js';
import { isProcessAlive, readLock } from '../../embedded-mongo/server-lock.js';
import { usingRealMongo } from './server-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'docq-mongo-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; output: string }> {
  const program = new Command('docq').exitOverride();
  registerDbCommands(program);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
  process.exitCode = 0;
  try {
    await program.parseAsync(['node', 'docq', 'db', ...args, '--data-dir', dataDir]);
    return { code: Number(process.exitCode ?? 0), output: lines.join('\n') };
  } finally {
    process.exitCode = 0;
    log.mockRestore();
    error.mockRestore();
  }
}

describe.skipIf(usingRealMongo)('docq db', () => {
  it('starts a detached server, reports it, and stops it', async () => {
    expect(await run('status')).toMatchObject({ code: 1, output: expect.stringContaining('not running') });
    const started = await run('start', '--port', '0');
    expect(started.code).toBe(0);
    expect(started.output).toMatch(/started: pid \d+, mongodb:\/\/127\.0\.0\.1:\d+\/docq/);
    const pid = readLock(dataDir)?.pid ?? 0;
    expect(isProcessAlive(pid)).toBe(true);
    expect(await run('start')).toMatchObject({ code: 0, output: expect.stringContaining('already running') });
    expect(await run('status')).toMatchObject({ code: 0, output: expect.stringContaining(`pid ${pid}`) });
    expect(await run('stop')).toMatchObject({ code: 0, output: expect.stringContaining(`stopped pid ${pid}`) });
    expect(isProcessAlive(pid)).toBe(false);
    expect(readLock(dataDir)).toBeUndefined();
  });
});
