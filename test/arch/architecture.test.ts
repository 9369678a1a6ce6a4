import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const depcruise = join(root, 'node_modules/.bin/depcruise');

async function cruise(cwd: string, paths: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(
      depcruise,
      [...paths, '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'err'],
      { cwd },
    );
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe('architecture', () => {
  it('the extraction core imports no adapter, queue or database code, and embedded-mongo stands alone', async () => {
    const present = ['core', 'embedded-mongo'].filter((d) => existsSync(join(root, d)));
    const { code, out } = await cruise(root, present);
    expect(out).toContain('no dependency violations');
    expect(code).toBe(0);
  });

  it('the rule really fires when core imports an adapter or mongoose', async () => {
    // A throwaway tree with the same folder names proves the rules are live, not vacuous.
    const dir = await mkdtemp(join(tmpdir(), 'docq-arch-'));
    try {
      await mkdir(join(dir, 'core'), { recursive: true });
      await mkdir(join(dir, 'models'), { recursive: true });
      await writeFile(join(dir, 'models/document.model.ts'), 'export const x = 1;\n');
      await writeFile(
        join(dir, 'core/bad.ts'),
        "import { x } from '../models/document.model.js';\nexport const y = x;\n",
      );
      await writeFile(join(dir, 'package.json'), '{"type":"module"}');
      await writeFile(
        join(dir, 'tsconfig.json'),
        '{"compilerOptions":{"module":"NodeNext","moduleResolution":"NodeNext"}}',
      );
      await writeFile(join(dir, 'core/worse.ts'), "import mongoose from 'mongoose';\nexport const m = mongoose;\n");
      await symlink(join(root, 'node_modules'), join(dir, 'node_modules'));
      const { code, out } = await cruise(dir, ['core']);
      expect(code).not.toBe(0);
      expect(out).toMatch(/core-is-pure: core\/bad\.ts/);
      expect(out).toMatch(/core-is-pure: core\/worse\.ts → \S*node_modules\/mongoose/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
