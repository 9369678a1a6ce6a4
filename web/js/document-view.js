// One document under review: metadata, the three tables, the checks, the audit trail, and the
// inspector for the selected cell. Every decision goes to the API, which re-runs the checks with the
// human values and answers with the new view; the page never decides anything on its own.
import { ApiError, getJson, paths, postJson } from './api.js';
import { bindDocumentKeys } from './document-keys.js';
import { h, mount, percent, shown, when } from './dom.js';
import { cropCache, renderInspector } from './inspector.js';
import { METADATA_FIELDS, STATES, STATUSES } from './labels.js';
import { keyHint, QUEUE_FILTERS_KEY } from './queue-view.js';
import { renderLegend, renderTable } from './tables.js';

export async function renderDocument(view, { sha256, navigate }) {
  const crops = cropCache(sha256);
  const s = { doc: await getJson(paths.review(sha256)), selected: null, draft: '', message: null, busy: false };
  const root = h('div.document');
  mount(view, root);

  /** Every reviewable thing in reading order: the metadata fields, then each table's cells row by row. */
  function items() {
    const out = METADATA_FIELDS.filter(([k]) => s.doc.metadata?.[k]).map(([k, label]) => ({
      kind: 'meta',
      key: `metadata.${k}`,
      title: label,
      where: 'Metadata',
      data: s.doc.metadata[k],
    }));
    for (const table of s.doc.tables)
      for (const row of table.rows)
        row.cells.forEach((key, j) => {
          if (key && table.cells[key])
            out.push({
              kind: 'cell',
              key,
              title: [row.label, table.columns[j]?.label].filter(Boolean).join(' · '),
              where: table.title,
              data: table.cells[key],
            });
        });
    return out;
  }

  const current = () => items().find((i) => i.key === s.selected) ?? null;

  function render() {
    const all = items();
    const counts = {};
    for (const i of all) counts[i.data.state] = (counts[i.data.state] ?? 0) + 1;
    const ctx = { selectedKey: s.selected, onSelect: select };
    mount(
      root,
      topBar(),
      h(
        'div.workspace',
        {},
        h(
          'div.sheet-pane',
          {},
          renderLegend(counts),
          renderMetadata(ctx),
          s.doc.tables.map((t) => renderTable(t, ctx)),
          renderChecks(),
          renderAudit(),
        ),
        renderInspector(current(), {
          draft: s.draft,
          message: s.message,
          busy: s.busy,
          crops,
          onDraft: (v) => (s.draft = v),
          act: actions,
        }),
      ),
      h(
        'footer.keys',
        {},
        keyHint([
          ['Tab ↓', 'next flag'],
          ['⇧Tab ↑', 'back'],
          ['⏎', 'confirm as read'],
          ['0–9', 'correct'],
          ['s', 'take suggestion'],
          ['p', 'printed so'],
          ['Esc', 'cancel'],
          ['c', 'close review'],
          ['q', 'queue'],
        ]),
      ),
    );
    root.querySelector('td.selected, .meta-row.selected')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  function topBar() {
    const d = s.doc;
    const meta = (k) => d.metadata?.[k]?.value;
    return h(
      'div.doc-bar',
      {},
      h('a.back', { href: '/', 'data-nav': true }, '← Queue'),
      h(
        'div.doc-title',
        {},
        h('b', {}, meta('issuer') ?? '（未识别发布机关）'),
        ` ${meta('year') ?? ''} · ${meta('template') ?? '?'} · ${d.pages} page${d.pages === 1 ? '' : 's'}`,
        h('div.muted.source', {}, d.source?.path ?? d.source?.url ?? d.sha256),
      ),
      h(`span.status.s-${d.status}`, {}, STATUSES[d.status] ?? d.status),
      h(
        'div.flags-left',
        { class: d.flagsLeft ? 'open' : 'clear' },
        h('b#flags-left', {}, String(d.flagsLeft)),
        ' flags left',
      ),
      d.rulesOpen ? h('div.rules-open', {}, `${d.rulesOpen} hard rule${d.rulesOpen === 1 ? '' : 's'} failing`) : null,
      closeArea(),
    );
  }

  function closeArea() {
    const d = s.doc;
    if (d.reviewClosed && d.status === 'done')
      return h(
        'div.done-note',
        {},
        `Closed by ${d.reviewClosed.by} · ${when(d.reviewClosed.at)} · `,
        h('kbd', {}, 'n'),
        ' next document',
      );
    return h(
      'button.primary.close-review',
      {
        type: 'button',
        disabled: !d.canClose || s.busy,
        onclick: closeReview,
        title: d.canClose ? '' : 'Decide every flag first',
      },
      'Close review ',
      h('kbd', {}, 'c'),
    );
  }

  function renderMetadata(ctx) {
    const rows = METADATA_FIELDS.filter(([k]) => s.doc.metadata?.[k]).map(([k, label]) => {
      const m = s.doc.metadata[k];
      const key = `metadata.${k}`;
      return h(
        'tr.meta-row',
        {
          class: `st-${m.state}${ctx.selectedKey === key ? ' selected' : ''}`,
          dataset: { key },
          onclick: () => select(key),
        },
        h('th', {}, label),
        h('td.meta-value', {}, shown(m.value)),
        h('td', {}, percent(m.confidence)),
        h('td.muted', {}, (m.evidence ?? []).join('；')),
        h('td', {}, h(`span.pill.st-${m.state}`, {}, STATES[m.state] ?? m.state)),
      );
    });
    return h(
      'section.meta',
      {},
      h('h2', {}, '报告信息 Metadata'),
      h('table.sheet.meta-table', {}, h('tbody', {}, rows)),
    );
  }

  function renderChecks() {
    const lines = [...s.doc.checks].sort((a, b) => rank(a) - rank(b));
    return h(
      'section.checks',
      {},
      h('h2', {}, '勾稽关系 Checks'),
      h(
        'ul',
        {},
        lines.map((c) =>
          h(
            'li',
            { class: `chk-${c.status}${c.explained ? ' explained' : ''}` },
            h('span.rule', {}, c.rule),
            c.hard ? '' : h('small.soft', {}, 'soft'),
            ' ',
            c.text,
            c.explained ? h('small', {}, ' — printed so') : null,
          ),
        ),
      ),
    );
  }

  function renderAudit() {
    if (!s.doc.audit?.length) return null;
    return h(
      'section.audit',
      {},
      h('h2', {}, 'Audit trail'),
      h(
        'table.grid',
        {},
        h(
          'tbody',
          {},
          [...s.doc.audit]
            .reverse()
            .map((a) =>
              h(
                'tr',
                {},
                h('td.muted', {}, when(a.at)),
                h('td', {}, a.by),
                h('td', {}, a.action),
                h('td', {}, h('code', {}, a.key ?? '')),
                h('td.num', {}, a.old === undefined ? '' : `${shown(a.old)} → ${shown(a.new)}`),
              ),
            ),
        ),
      ),
    );
  }

  function select(key) {
    if (s.selected !== key) s.draft = '';
    s.selected = key;
    s.message = null;
    render();
    prefetchNext();
  }

  /** Fetch the next flag's crop while the reviewer looks at this one. */
  function prefetchNext() {
    const next = step(1, true);
    if (next?.kind === 'cell') crops.get(next.key).catch(() => {});
  }

  /** The next (dir 1) or previous (-1) item still flagged; with none left, any item that was flagged. */
  function step(dir, openOnly = false) {
    const all = items();
    const at = all.findIndex((i) => i.key === s.selected);
    const pick = (test) => {
      for (let n = 1; n <= all.length; n++) {
        const i = all[(((at + dir * n) % all.length) + all.length) % all.length];
        if (i && test(i)) return i;
      }
      return null;
    };
    const open = pick((i) => i.data.state === 'flagged');
    if (open || openOnly) return open;
    return pick((i) => i.data.flags?.length > 0 || i.data.state !== 'trusted');
  }

  function move(dir) {
    const next = step(dir);
    if (next) select(next.key);
  }

  async function decide(body, describe) {
    const item = current();
    if (!item || s.busy) return;
    const before = s.doc;
    s.busy = true;
    try {
      s.doc = await postJson(paths.decisions(sha256), { key: item.key, ...body });
      s.draft = '';
      s.message = { tone: 'good', title: describe(item), text: rerunSummary(before, s.doc) };
      s.busy = false;
      const wasOpen = item.data.state === 'flagged';
      const next = wasOpen ? step(1, true) : null;
      if (next) {
        const note = s.message;
        select(next.key);
        s.message = note;
      }
      render();
    } catch (error) {
      s.busy = false;
      s.message = refusal(error);
      render();
      root.querySelector('input.draft')?.focus();
    }
  }

  const actions = {
    confirm: () => void decide({ action: 'confirm' }, (i) => `Confirmed ${shown(i.data.value)} as read.`),
    correct: () => {
      const value = parseDraft(current(), s.draft);
      if (value === undefined) return;
      void decide({ action: 'correct', value }, () => `Corrected to ${shown(value)}.`);
    },
    suggestion: () => {
      const value = current()?.data.suggestion;
      if (value === undefined || value === null) return;
      void decide({ action: 'correct', value }, () => `Took the implied value ${value}.`);
    },
    printedSo: () => {
      const value = parseDraft(current(), s.draft);
      void decide(
        value === undefined ? { action: 'printed-so' } : { action: 'printed-so', value },
        (i) => `Marked ${shown(value ?? i.data.value)} as printed so in the report.`,
      );
    },
    cancel: () => {
      s.draft = '';
      s.message = null;
      render();
    },
  };

  async function closeReview() {
    if (!s.doc.canClose || s.busy) return;
    s.busy = true;
    try {
      s.doc = await postJson(`/documents/${sha256}/review`, {});
      s.busy = false;
      await openNext();
    } catch (error) {
      s.busy = false;
      s.message = refusal(error);
      render();
    }
  }

  /** The next document of the queue (same filters and order as the queue page last used). */
  async function openNext() {
    const saved = JSON.parse(sessionStorage.getItem(QUEUE_FILTERS_KEY) ?? '{}');
    const data = await getJson(paths.queue({ ...saved, limit: 5, offset: 0 })).catch(() => null);
    const next =
      data?.documents.find((d) => d.sha256 !== sha256 && d.flagsLeft > 0) ??
      data?.documents.find((d) => d.sha256 !== sha256);
    navigate(next ? `/documents/${next.sha256}` : '/');
  }

  function parseDraft(item, draft) {
    const text = draft.trim();
    if (!item || text === '') {
      if (text === '' && draft !== undefined) s.message = null;
      return undefined;
    }
    if (item.kind === 'meta') return item.key === 'metadata.year' ? Number(text) : text;
    // Full-width digits and thousands separators as a reviewer might type them; the server validates.
    const normal = text
      .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
      .replace(/[,，\s]/g, '');
    const value = Number(normal);
    if (normal === '' || !Number.isFinite(value)) {
      s.message = { tone: 'bad', title: 'Not a number:', text: `“${text}”` };
      render();
      return undefined;
    }
    return value;
  }

  render();
  const firstOpen = items().find((i) => i.data.state === 'flagged');
  if (firstOpen) select(firstOpen.key);

  const unbind = bindDocumentKeys({
    state: s,
    root,
    move,
    actions,
    close: closeReview,
    next: () => void openNext(),
    queue: () => navigate('/'),
    current,
    render,
  });
  return () => {
    unbind();
    crops.dispose();
  };
}

function rank(check) {
  if (check.status === 'fail' && !check.explained) return check.hard ? 0 : 1;
  return check.status === 'fail' ? 2 : check.status === 'pass' ? 3 : 4;
}

/** What the re-run of the checks changed, in words. */
function rerunSummary(before, after) {
  const failing = (doc) => doc.checks.filter((c) => c.hard && c.status === 'fail' && !c.explained);
  const fixed = failing(before).filter(
    (c) => !failing(after).some((a) => a.rule === c.rule && a.cells.join() === c.cells.join()),
  );
  const open = failing(after).length;
  const parts = [
    `Checks re-run: ${open === 0 ? 'every hard rule holds' : `${open} hard rule${open === 1 ? '' : 's'} still failing`}`,
  ];
  if (fixed.length) parts.push(`now holds: ${fixed.map((c) => c.rule).join(', ')}`);
  parts.push(`${after.flagsLeft} flag${after.flagsLeft === 1 ? '' : 's'} left`);
  return parts.join(' · ') + '.';
}

/** A refused decision in words: the rule that would fail (409), or why the value is not acceptable (422). */
function refusal(error) {
  if (!(error instanceof ApiError)) return { tone: 'bad', title: 'Failed:', text: error.message };
  const b = error.body;
  if (error.code === 'RULE_FAILS') {
    const values = b.values
      ? Object.entries(b.values)
          .map(([k, v]) => `${k.split('.').slice(1).join('.')} = ${shown(v)}`)
          .join(', ')
      : '';
    return {
      tone: 'bad',
      title: `Refused: rule ${b.rule} would fail —`,
      text: b.text ?? b.message,
      hint: [
        values && `Values: ${values}.`,
        'If the report really prints these numbers, press p to record them as printed so.',
      ]
        .filter(Boolean)
        .join(' '),
    };
  }
  if (error.code === 'BAD_VALUE') return { tone: 'bad', title: 'Not accepted:', text: b.message };
  if (error.code === 'OPEN') return { tone: 'bad', title: 'Cannot close yet:', text: b.message };
  return { tone: 'bad', title: `${error.code}:`, text: b.message ?? error.message };
}
