// The parts of the document view around the tables: the bar with the flags left and the close
// button, the metadata (reviewable like cells), the checks as re-run with the human values, the audit trail.
import { h, percent, shown, when } from './dom.js';
import { METADATA_FIELDS, STATES, STATUSES } from './labels.js';

/** The top bar. ui: { busy, onClose }. */
export function renderDocBar(d, ui) {
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
      d.flagsLeft === 1 ? ' flag left' : ' flags left',
    ),
    d.rulesOpen ? h('div.rules-open', {}, `${d.rulesOpen} hard rule${d.rulesOpen === 1 ? '' : 's'} failing`) : null,
    d.reviewClosed && d.status === 'done'
      ? h(
          'div.done-note',
          {},
          `Closed by ${d.reviewClosed.by} · ${when(d.reviewClosed.at)} · `,
          h('kbd', {}, 'n'),
          ' next document',
        )
      : h(
          'button.primary.close-review',
          {
            type: 'button',
            disabled: !d.canClose || ui.busy,
            onclick: ui.onClose,
            title: d.canClose ? 'Close the review and open the next document' : 'Decide every flag first',
          },
          'Close review ',
          h('kbd', {}, 'c'),
        ),
  );
}

/** A banner when every flag is decided: one key closes the review and opens the next document. */
export function renderDoneBanner(d) {
  if (d.status !== 'needs_review' || d.flagsLeft > 0) return null;
  if (d.canClose)
    return h(
      'div.banner.ready',
      {},
      'Every flag is decided. Press ',
      h('kbd', {}, 'c'),
      ' to close the review and open the next document.',
    );
  return h(
    'div.banner.blocked',
    {},
    `Every flag is decided, but ${d.rulesOpen} hard rule${d.rulesOpen === 1 ? '' : 's'} still fail${d.rulesOpen === 1 ? 's' : ''}: correct a cell, or mark one printed so (`,
    h('kbd', {}, 'p'),
    ') if the report prints it that way.',
  );
}

export function renderMetadata(d, ctx) {
  const rows = METADATA_FIELDS.filter(([k]) => d.metadata?.[k]).map(([k, label]) => {
    const m = d.metadata[k];
    const key = `metadata.${k}`;
    return h(
      'tr.meta-row',
      {
        class: `st-${m.state}${ctx.selectedKey === key ? ' selected' : ''}`,
        dataset: { key },
        onclick: () => ctx.onSelect(key),
      },
      h('th', {}, label),
      h('td.meta-value', {}, shown(m.value)),
      h('td.num', {}, percent(m.confidence)),
      h('td.muted', {}, (m.evidence ?? []).join('；')),
      h('td', {}, h(`span.pill.st-${m.state}`, {}, STATES[m.state] ?? m.state)),
    );
  });
  return h('section.meta', {}, h('h2', {}, '报告信息 Metadata'), h('table.sheet.meta-table', {}, h('tbody', {}, rows)));
}

/** Failing hard rules first, then soft ones, explained (printed so), passing, skipped. */
function rank(check) {
  if (check.status === 'fail' && !check.explained) return check.hard ? 0 : 1;
  return check.status === 'fail' ? 2 : check.status === 'pass' ? 3 : 4;
}

export function renderChecks(d) {
  const lines = [...d.checks].sort((a, b) => rank(a) - rank(b));
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
          c.hard ? '' : h('small.soft', {}, 'soft '),
          ' ',
          c.text,
          c.explained ? h('small.explained-note', {}, ' — printed so') : null,
        ),
      ),
    ),
  );
}

const ACTIONS = {
  correct: 'corrected',
  confirm: 'confirmed',
  'printed-so': 'printed so',
  close: 'closed',
  reopen: 'reopened',
};

export function renderAudit(d) {
  if (!d.audit?.length) return null;
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
        [...d.audit]
          .reverse()
          .map((a) =>
            h(
              'tr',
              {},
              h('td.muted', {}, when(a.at)),
              h('td', {}, a.by),
              h('td', {}, ACTIONS[a.action] ?? a.action),
              h('td', {}, a.key ? h('code', {}, a.key) : ''),
              h('td.num', {}, a.key ? `${shown(a.old)} → ${shown(a.new)}` : ''),
              h('td.muted', {}, a.note ?? ''),
            ),
          ),
      ),
    ),
  );
}
