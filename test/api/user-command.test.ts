import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../models/users.js';
import { userByToken } from '../../models/index.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';

const CLI = fileURLToPath(new URL('../../cli/docq.ts', import.meta.url));
const run = promisify(execFile);

describe('docq user add|list|remove (CLI against the database)', () => {
  let mongo: TestMongo;
  beforeAll(async () => {
    mongo = await startTestMongo();
  });
  afterAll(async () => mongo?.cleanup());

  const docq = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', CLI, 'user', ...args], {
      env: { ...process.env, MONGODB_URI: mongo.uri },
    });

  it('prints a token once, stores only its hash, lists and removes accounts', async () => {
    const added = await docq('add', 'ann', '--role', 'admin');
    const token = added.stdout.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(added.stderr).toContain('shown only now');
    const stored = await mongo.db.models.User.findOne({ name: 'ann' }).lean();
    expect(stored).toMatchObject({ role: 'admin', tokenHash: hashToken(token) });
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(await userByToken(mongo.db.models, token)).toEqual({ name: 'ann', role: 'admin' });

    await docq('add', 'bo');
    await expect(docq('add', 'bo')).rejects.toMatchObject({ stderr: expect.stringContaining('exists') });
    await expect(docq('add', 'cy', '--role', 'root')).rejects.toMatchObject({ code: 2 });
    const listed = (await docq('list')).stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t').slice(0, 2));
    expect(listed).toEqual([
      ['ann', 'admin'],
      ['bo', 'reviewer'],
    ]);
    await docq('remove', 'ann');
    expect(await userByToken(mongo.db.models, token)).toBeNull();
    await expect(docq('remove', 'ann')).rejects.toMatchObject({ code: 1 });
  }, 60_000);
});
