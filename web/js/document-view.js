// One document under review: metadata, the three tables, the checks, the audit trail, and the
// inspector for the selected cell. Every decision goes to the API, which re-runs the checks with the
// human values and answers with the new view; the page never decides anything on its own.
import { getJson, paths, postJson } from './api.js';
import { refusal, rerunSummary } from './decision-messages.js';
import { bindDocumentKeys } from './document-keys.js';
import { renderAudit, renderChecks, renderDocBar, renderDoneBanner, renderMetadata } from './document-sections.js';
import { h, mount, shown } from './dom.js';
import { renderTimeline } from './issuer-timeline.js';
import { cropCache, renderInspector } from './inspector.js';
import { METADATA_FIELDS } from './labels.js';
import { openPageViewer } from './page-viewer.js';
import { keyHint, QUEUE_FILTERS_KEY } from './queue-view.js';
import { renderLegend, renderTable } from './tables.js';

export async function renderDocument(view, { sha256, navigate }) {
  const crops = cropCache(sha256, () => s.doc.extraction);
  const s = {
    doc: await getJson(paths.review(sha256)),
    selected: null,
    draft: '',
    message: null,
    busy: false,
    viewer: null,
    timeline: null,
  };
  const root = h('div.document');
  mount(view, root);
  // The issuer's other years: drawn when they arrive, the document does not wait for them.
  getJson(paths.timeline(sha256))
    .then((timeline) => {
      s.timeline = timeline;
      if (root.isConnected) render();
    })
    .catch(() => undefined);

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
  const labelOf = (key) => {
    const item = items().find((i) => i.key === key);
    return item ? `${item.where.split(' ')[0]} ${item.title}` : key;
  };

  function render() {
    // The whole view is rebuilt (a few hundred cells: cheap); the reviewer's scroll position is kept.
    const scrolled = root.querySelector('.sheet-pane')?.scrollTop ?? 0;
    const all = items();
    const counts = {};
    for (const i of all) counts[i.data.state] = (counts[i.data.state] ?? 0) + 1;
    const ctx = { selectedKey: s.selected, onSelect: select };
    mount(
      root,
      renderDocBar(s.doc, { busy: s.busy, onClose: () => void closeReview() }),
      renderDoneBanner(s.doc),
      h(
        'div.workspace',
        {},
        h(
          'div.sheet-pane',
          {},
          renderLegend(counts),
          renderMetadata(s.doc, ctx),
          renderTimeline(s.timeline, sha256),
          s.doc.tables.map((t) => renderTable(t, ctx)),
          renderChecks(s.doc),
          renderAudit(s.doc),
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
          ['v', 'whole page'],
          ['c', 'close review'],
          ['m', 'metadata'],
          ['q', 'queue'],
        ]),
      ),
    );
    root.querySelector('.sheet-pane').scrollTop = scrolled;
    revealSelected(root);
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
      s.doc = await postJson(paths.decisions(sha256), body.decisions ? body : { key: item.key, ...body });
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
      s.message = refusal(error, labelOf);
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
      const item = current();
      const value = item?.data.suggestion;
      if (value === undefined || value === null) return;
      // A pair (a cell and the row total computed from it) holds only together: one batch.
      const partners = item.data.suggestionWith ?? [];
      if (partners.length === 0)
        return void decide({ action: 'correct', value }, () => `Took the implied value ${value}.`);
      const decisions = [{ key: item.key, value }, ...partners].map((d) => ({ ...d, action: 'correct' }));
      void decide(
        { decisions },
        () => `Took the implied values ${decisions.map((d) => `${labelOf(d.key)} ${d.value}`).join(', ')}.`,
      );
    },
    printedSo: () => {
      const value = parseDraft(current(), s.draft);
      void decide(
        value === undefined ? { action: 'printed-so' } : { action: 'printed-so', value },
        (i) => `Marked ${shown(value ?? i.data.value)} as printed so in the report.`,
      );
    },
    page: () => {
      if (s.viewer) return s.viewer();
      const item = current();
      if (item?.kind !== 'cell' || !item.data.page) return;
      s.viewer = openPageViewer({
        sha256,
        page: item.data.page,
        box: item.data.box,
        title: `${item.where} · ${item.title}`,
        onClose: () => (s.viewer = null),
      });
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
      s.doc = await postJson(paths.close(sha256), {});
      s.busy = false;
      await openNext();
    } catch (error) {
      s.busy = false;
      s.message = refusal(error, labelOf);
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
    if (!item || text === '') return undefined;
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
    metadata: () => {
      // Metadata is read like cells but is not always flagged: m walks the fields so any can be fixed.
      const fields = items().filter((i) => i.kind === 'meta');
      const at = fields.findIndex((i) => i.key === s.selected);
      if (fields.length) select(fields[(at + 1) % fields.length].key);
    },
    current,
    render,
  });
  return () => {
    s.viewer?.();
    unbind();
    crops.dispose();
  };
}

/** Bring the selected cell into view, centred when it was out of sight (rows above and below give context). */
function revealSelected(root) {
  const cell = root.querySelector('td.selected, .meta-row.selected');
  const pane = root.querySelector('.sheet-pane');
  if (!cell || !pane) return;
  const c = cell.getBoundingClientRect();
  const p = pane.getBoundingClientRect();
  const margin = 48; // keep a row of context and the sticky header clear of the cell
  if (c.top < p.top + margin || c.bottom > p.bottom - margin)
    cell.scrollIntoView({ block: 'center', inline: 'nearest' });
}
