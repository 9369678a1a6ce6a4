import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCulpritPair, PAIR_KEYS } from '../helpers/culprit-pair.js';
import { startReviewServer, type ReviewServer } from '../helpers/review-server.js';

interface Cell {
  key: string;
  value: number | null;
  state: string;
  flags: { kind: string; text: string }[];
  suggestion?: number;
  provenance: { kind: string; by?: string; old?: number | null };
  box?: { x0: number; y0: number; x1: number; y1: number };
  page?: number;
}
// Response bodies of several shapes, read by the assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface View {
  status: string;
  flagsLeft: number;
  open: string[];
  rulesOpen: number;
  canClose: boolean;
  tables: {
    id: string;
    title: string;
    rows: { label: string; cells: (string | null)[] }[];
    columns: { label: string }[];
    cells: Record<string, Cell>;
  }[];
  checks: { rule: string; ok: boolean; text: string; cells: string[]; explained?: boolean }[];
  audit: { key: string | null; action: string; by: string; old: unknown; new: unknown }[];
  reviewClosed: { by: string } | null;
}

describe('review API: accounts, decisions checked like extractions, close and reopen', () => {
  let server: ReviewServer;
  let sha: string;
  const call = async (
    path: string,
    init: { method?: string; token?: string; body?: unknown; host?: string } = {},
  ): Promise<{ status: number; json: () => Promise<Json> }> => {
    const headers: Record<string, string> = {};
    if (init.token) headers['authorization'] = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.host) headers['host'] = init.host;
    const response = await fetch(`${server.url}${path}`, {
      method: init.method ?? 'GET',
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    return { status: response.status, json: () => response.json() };
  };
  const view = async (): Promise<View> => (await call(`/documents/${sha}/review`)).json();
  const cellOf = (v: View, key: string): Cell => {
    for (const t of v.tables) if (t.cells[key]) return t.cells[key];
    throw new Error(`no cell ${key}`);
  };
  const decide = (body: unknown, token = server.reviewerToken) =>
    call(`/documents/${sha}/decisions`, { method: 'POST', token, body });

  beforeAll(async () => {
    server = await startReviewServer({ scan: false });
    sha = server.documents.digital;
  }, 120_000);
  afterAll(async () => server?.close());

  it('needs a token to write, names the user, keeps admin routes to admins, refuses foreign Host names', async () => {
    const anonymous = await call(`/documents/${sha}/decisions`, {
      method: 'POST',
      body: { key: 'applications.granted.total', action: 'confirm' },
    });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await decide({ key: 'applications.granted.total', action: 'confirm' }, 'x'.repeat(43))).status).toBe(401);
    expect(await (await call('/me', { token: server.reviewerToken })).json()).toEqual({
      name: 'rita',
      role: 'reviewer',
    });
    expect((await call('/me')).status).toBe(401);
    expect((await call('/users', { token: server.reviewerToken })).status).toBe(403);
    const users = await (await call('/users', { token: server.adminToken })).json();
    expect(users.users.map((u: { name: string }) => u.name)).toEqual(['adam', 'rita']);
    // Only the hash is stored.
    const stored = await server.models.User.findOne({ name: 'rita' }).lean();
    expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(server.reviewerToken);
    // fetch cannot forge Host; inject can (what a rebinding page's browser would send).
    const rebound = await server.app.inject({ url: `/documents/${sha}/review`, headers: { host: 'evil.example:80' } });
    expect(rebound.statusCode).toBe(421);
    expect(rebound.json()).toMatchObject({ code: 'BAD_HOST' });
    const local = await server.app.inject({ url: `/documents/${sha}/review`, headers: { host: 'localhost:8080' } });
    expect(local.statusCode).toBe(200);
  });

  it('shows the tables with Chinese labels and flags in words with values, the suggestion apart', async () => {
    const v = await view();
    expect(v.status).toBe('needs_review');
    const t3 = v.tables.find((t) => t.id === 'applications')!;
    expect(t3.title).toContain('表三');
    expect(t3.columns.map((c) => c.label)).toContain('自然人');
    expect(t3.rows.map((r) => r.label)).toContain('（七）总计');
    const flagged = Object.values(t3.cells).filter((c) => c.state === 'flagged');
    expect(flagged.length).toBeGreaterThan(0);
    const culprit = flagged.find((c) => c.suggestion !== undefined)!;
    expect(culprit).toBeDefined();
    const words = culprit.flags.map((f) => f.text).join(' | ');
    expect(words).toMatch(/≠/);
    expect(words).toMatch(/总计/);
    expect(words).not.toMatch(/check-failed/);
    expect(culprit.provenance).toEqual({ kind: 'extracted' });
    expect(v.flagsLeft).toBe(v.open.length);
    expect(v.checks.some((c) => !c.ok && /≠/.test(c.text))).toBe(true);
  });

  it('refuses values of the wrong type (422) and a correction that breaks a hard rule (409 naming it)', async () => {
    const key = 'applications.granted.natural_person';
    for (const value of [-3, 3.5, 'five']) {
      const bad = await decide({ key, action: 'correct', value });
      expect(bad.status).toBe(422);
      expect(await bad.json()).toMatchObject({ code: 'BAD_VALUE' });
    }
    const before = cellOf(await view(), key);
    const broken = await decide({ key, action: 'correct', value: (before.value ?? 0) + 99999 });
    expect(broken.status).toBe(409);
    const body = await broken.json();
    expect(body).toMatchObject({ code: 'RULE_FAILS' });
    expect(body.rule).toMatch(/^H\d+$/);
    expect(body.text).toMatch(/≠|不能大于/);
    expect(body.values[key]).toBe((before.value ?? 0) + 99999);
    // Nothing was recorded.
    expect(cellOf(await view(), key).provenance.kind).toBe('extracted');
  });

  it('records the token user whatever `by` says; printed-so is recorded as such; closes only when all is decided; an edit reopens', async () => {
    let v = await view();
    const t3 = v.tables.find((t) => t.id === 'applications')!;
    const culprit = Object.values(t3.cells).find((c) => c.suggestion !== undefined)!;
    const fixed = await decide({ key: culprit.key, action: 'correct', value: culprit.suggestion, by: 'mallory' });
    expect(fixed.status).toBe(200);
    v = await fixed.json();
    const after = cellOf(v, culprit.key);
    expect(after).toMatchObject({ state: 'corrected', value: culprit.suggestion });
    expect(after.provenance).toMatchObject({ kind: 'corrected', by: 'rita', old: culprit.value });
    expect(v.audit.at(-1)).toMatchObject({ key: culprit.key, action: 'correct', by: 'rita', new: culprit.suggestion });
    expect(v.audit.some((a) => a.by === 'mallory')).toBe(false);
    expect(v.checks.filter((c) => !c.ok && c.rule.startsWith('H'))).toEqual([]);

    const early = await call(`/documents/${sha}/review`, { method: 'POST', token: server.reviewerToken, body: {} });
    if (v.open.length > 0) expect(early.status).toBe(409);
    for (const key of v.open) expect((await decide({ key, action: 'confirm' })).status).toBe(200);

    // A printed inconsistency: a value that breaks a rule, marked printed-so, is accepted and explains the rule.
    const t4Total = 'review_litigation.review_total';
    const total = cellOf(v, t4Total).value ?? 0;
    expect((await decide({ key: t4Total, action: 'correct', value: total + 1 })).status).toBe(409);
    const printed = await decide({
      key: t4Total,
      action: 'printed-so',
      value: total + 1,
      note: 'printed so on page 3',
    });
    expect(printed.status).toBe(200);
    v = await printed.json();
    expect(cellOf(v, t4Total)).toMatchObject({
      state: 'printed-inconsistent',
      provenance: { kind: 'printed-inconsistent', by: 'rita' },
    });
    const h5 = v.checks.find((c) => c.rule === 'H5' && !c.ok)!;
    expect(h5).toMatchObject({ explained: true });
    expect(h5.text).toMatch(/行政复议/);
    expect(v.canClose).toBe(true);

    const closed = await call(`/documents/${sha}/review`, { method: 'POST', token: server.reviewerToken, body: {} });
    expect(closed.status).toBe(200);
    v = await closed.json();
    expect(v).toMatchObject({ status: 'done', reviewClosed: { by: 'rita' } });

    // An edit after closing reopens, in the audit trail.
    // Confirming the reading it replaced would break the rule again: refused, the review stays closed.
    expect((await decide({ key: culprit.key, action: 'confirm' }, server.adminToken)).status).toBe(409);
    const edit = await decide(
      { key: culprit.key, action: 'correct', value: culprit.suggestion, note: 'checked again' },
      server.adminToken,
    );
    expect(edit.status).toBe(200);
    v = await edit.json();
    expect(v.status).toBe('needs_review');
    expect(v.reviewClosed).toBeNull();
    expect(v.audit.slice(-2).map((a) => [a.action, a.by])).toEqual([
      ['correct', 'adam'],
      ['reopen', 'adam'],
    ]);
    const doc = await server.models.Document.findOne({ sha256: sha }).lean();
    expect(doc?.status).toBe('needs_review');
  });

  it('lists the queue with filters and counts', async () => {
    const q = await (await call('/review/queue?sort=flags')).json();
    expect(q.total).toBe(1);
    expect(q.documents[0]).toMatchObject({ sha256: sha, status: 'needs_review', template: 'v2019' });
    expect(q.flagsLeftAll).toBe(q.documents[0].flagsLeft);
    expect((await (await call('/review/queue?year=1999')).json()).total).toBe(0);
    expect((await call('/review/queue?status=bogus')).status).toBe(400);
  });

  it('takes a cell and the row total computed from it together: alone each is refused, as a batch they hold', async () => {
    const key = (row: string, col: string): string => `applications.${row}.${col}`;
    const v0 = await view();
    const value = (k: string): number => cellOf(v0, k).value ?? 0;
    // One natural-person application moved between two outcome rows: both rows' totals follow.
    const [from, to] =
      value(key('granted', 'natural_person')) > 0 ? ['granted', 'partially_granted'] : ['partially_granted', 'granted'];
    expect(value(key(from, 'natural_person'))).toBeGreaterThan(0);
    const moved = [
      { key: key(from, 'natural_person'), value: value(key(from, 'natural_person')) - 1 },
      { key: key(from, 'total'), value: value(key(from, 'total')) - 1 },
      { key: key(to, 'natural_person'), value: value(key(to, 'natural_person')) + 1 },
      { key: key(to, 'total'), value: value(key(to, 'total')) + 1 },
    ].map((d) => ({ ...d, action: 'correct' }));
    for (const one of moved) expect((await decide(one)).status).toBe(409);
    // The two cells without their row totals still break H3, named with the batch's values.
    const half = await decide({ decisions: [moved[0], moved[2]] });
    expect(half.status).toBe(409);
    expect(await half.json()).toMatchObject({ code: 'RULE_FAILS', rule: 'H3' });
    // One bad value refuses the whole batch.
    expect(
      (await decide({ decisions: [moved[0], moved[1], { key: moved[2]!.key, action: 'correct', value: -1 }] })).status,
    ).toBe(422);
    expect((await decide({ decisions: [moved[0], moved[0]] })).status).toBe(422);
    expect(cellOf(await view(), moved[0]!.key).provenance.kind).toBe('extracted');

    const done = await decide({ decisions: moved.map((d) => ({ ...d, by: 'mallory' })) });
    expect(done.status).toBe(200);
    const v: View = await done.json();
    for (const d of moved)
      expect(cellOf(v, d.key)).toMatchObject({ value: d.value, state: 'corrected', provenance: { by: 'rita' } });
    expect(v.checks.filter((c) => c.rule === 'H3' && !c.ok)).toEqual(v0.checks.filter((c) => c.rule === 'H3' && !c.ok));
    expect(v.audit.slice(-4).map((a) => [a.key, a.action, a.by])).toEqual(moved.map((d) => [d.key, 'correct', 'rita']));
  });

  it('names the other value of a likely-culprit pair beside the suggestion (suggestionWith); the pair is taken whole', async () => {
    // The printed （七）总计 row carries a slip of 2 in 自然人 into its own total: both moved together.
    const [person, total] = PAIR_KEYS;
    const printed = await makeCulpritPair(server.models, sha);
    const v = await view();
    expect(cellOf(v, person)).toMatchObject({
      suggestion: printed.get(person),
      suggestionWith: [{ key: total, value: printed.get(total) }],
    });
    expect(cellOf(v, total)).toMatchObject({ suggestionWith: [{ key: person, value: printed.get(person) }] });
    // Either alone breaks the row's H3: refused, as the page found.
    expect((await decide({ key: person, action: 'correct', value: printed.get(person) })).status).toBe(409);
    expect((await decide({ key: total, action: 'correct', value: printed.get(total) })).status).toBe(409);
    const cell = cellOf(v, person) as Cell & { suggestionWith: { key: string; value: number }[] };
    const taken = await decide({
      decisions: [{ key: person, value: cell.suggestion }, ...cell.suggestionWith].map((d) => ({
        ...d,
        action: 'correct',
      })),
    });
    expect(taken.status).toBe(200);
    const after: View = await taken.json();
    for (const key of [person, total])
      expect(cellOf(after, key)).toMatchObject({ value: printed.get(key), state: 'corrected' });
  });

  it('serves cached views and listings, but never one from before a decision once the decision is answered', async () => {
    const key = 'applications.granted.natural_person';
    const queued = async (): Promise<number> => {
      const q = await (await call('/review/queue?status=needs_review,done')).json();
      return q.documents.find((d: { sha256: string }) => d.sha256 === sha).flagsLeft;
    };
    for (let round = 0; round < 4; round++) {
      // Readers keep the view and the listing cached while the decision is written.
      const readers = Array.from({ length: 8 }, (_, i) =>
        i % 2 ? view() : call('/review/queue?status=needs_review,done').then((r) => r.json()),
      );
      const value = cellOf(await view(), key).value;
      const decided = await decide({ key, action: 'correct', value, note: `round ${round}` });
      expect(decided.status).toBe(200);
      await Promise.all(readers);
      const v = await view();
      expect(v.audit.at(-1)).toMatchObject({ key, action: 'correct', by: 'rita' });
      expect((v.audit.at(-1) as { note?: string }).note).toBe(`round ${round}`);
      expect(cellOf(v, key).state).toBe('corrected');
      expect(await queued()).toBe(v.flagsLeft);
    }
  });

  it("shows another process's change of a document record in the listing within seconds, without a restart", async () => {
    const before = await (await call('/review/queue?status=needs_review,done&issuer=')).json();
    const listed = before.documents.find((d: { sha256: string }) => d.sha256 === sha);
    // As a worker would: a write of the record (mongoose stamps updatedAt), not through this server.
    await server.models.Document.updateOne({ sha256: sha }, { $set: { flagsLeft: listed.flagsLeft + 7 } });
    await expect
      .poll(
        async () => {
          const q = await (await call('/review/queue?status=needs_review,done')).json();
          return q.documents.find((d: { sha256: string }) => d.sha256 === sha)?.flagsLeft;
        },
        { timeout: 10_000, interval: 300 },
      )
      .toBe(listed.flagsLeft + 7);
    // The cached view sees the record moved too (its stamp, looked at after a second) and is made again.
    const status = (await view()).status;
    const other = status === 'done' ? 'needs_review' : 'done';
    await server.models.Document.updateOne({ sha256: sha }, { $set: { status: other } });
    await expect.poll(async () => (await view()).status, { timeout: 10_000, interval: 300 }).toBe(other);
  });
});
