// The review queue: filters (kept in the URL), sorting, the flags left across the archive, and the
// documents that cannot be reviewed (failed pages, missing source) with the reason.
import { getJson, paths, query } from './api.js';
import { h, mount, when } from './dom.js';
import { FLAG_KINDS, STATUSES } from './labels.js';

const PAGE_SIZE = 50;
const FILTERS = ['issuer', 'region', 'year', 'template', 'status', 'flag', 'sort'];
/** The queue's last filters, so "next document" after closing a review follows the same order. */
export const QUEUE_FILTERS_KEY = 'docq.queue';

export function readFilters(search = location.search) {
  const q = new URLSearchParams(search);
  return Object.fromEntries(FILTERS.map((k) => [k, q.get(k) ?? '']));
}

export async function renderQueue(view, { navigate }) {
  const filters = readFilters();
  let offset = Number(new URLSearchParams(location.search).get('offset')) || 0;
  let selected = 0;
  let rows = [];
  let loading = 0;

  const summary = h('p.queue-summary', {}, 'Loading…');
  const list = h('div.queue-list');
  const problems = h('section.problems');
  const pager = h('div.pager');
  const form = filterForm(filters, () => {
    offset = 0;
    void load();
  });
  mount(
    view,
    h(
      'div.queue.pad',
      {},
      h('div.queue-head', {}, h('h1', {}, 'Review queue'), summary),
      form,
      list,
      pager,
      problems,
      h(
        'p.hint',
        {},
        keyHint([
          ['↑ ↓', 'move'],
          ['Enter', 'open'],
          ['/', 'filter by issuer'],
        ]),
      ),
    ),
  );

  async function load() {
    const ticket = ++loading;
    const params = { ...readForm(form), limit: PAGE_SIZE, offset };
    const url = `/${query({ ...params, limit: undefined, offset: offset || undefined })}`;
    history.replaceState(null, '', url);
    sessionStorage.setItem(QUEUE_FILTERS_KEY, JSON.stringify(params));
    const data = await getJson(paths.queue(params)).catch((e) => ({ error: e }));
    if (ticket !== loading) return; // a newer filter change won
    if (data.error) return mount(list, h('p.error', {}, `Could not load the queue: ${data.error.message}`));
    const archive = document.getElementById('archive-flags');
    archive.textContent = `${data.flagsLeftAll} flags left across the archive`;
    archive.hidden = false;
    mount(
      summary,
      h('b', {}, String(data.total)),
      ` document${data.total === 1 ? '' : 's'} match · `,
      h('b', {}, String(data.flagsLeftAll)),
      ' flags left across the archive',
    );
    rows = data.documents;
    selected = Math.min(selected, Math.max(0, rows.length - 1));
    renderRows();
    renderPager(data.total);
    renderProblems(data.problems ?? []);
  }

  function renderRows() {
    if (rows.length === 0) return mount(list, h('p.empty', {}, 'Nothing matches these filters.'));
    // Region is often not read yet: its column only when some document on this page has one.
    const withRegion = rows.some((d) => d.region);
    const body = rows.map((d, i) =>
      h(
        'tr',
        {
          class: i === selected ? 'selected' : '',
          dataset: { sha: d.sha256 },
          onclick: (e) => {
            if (!(e.target instanceof Element && e.target.closest('a'))) navigate(`/documents/${d.sha256}`);
          },
        },
        h('td', {}, h('a', { href: `/documents/${d.sha256}`, 'data-nav': true }, d.issuer || '（未识别发布机关）')),
        withRegion ? h('td', {}, d.region ?? '') : null,
        h('td.num', {}, d.year ?? ''),
        h('td', {}, d.template ?? ''),
        h('td', {}, h(`span.status.s-${d.status}`, {}, STATUSES[d.status] ?? d.status)),
        h('td.num', {}, h(`span.count${d.flagsLeft ? '.open' : ''}`, {}, String(d.flagsLeft))),
        h('td.source', { title: d.source?.path ?? d.source?.url ?? '' }, sourceName(d.source)),
        h('td.muted', {}, when(d.updatedAt)),
      ),
    );
    mount(
      list,
      h(
        'table.grid.queue-table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Issuer', withRegion && 'Region', 'Year', 'Template', 'Status', 'Flags left', 'Source', 'Updated']
              .filter(Boolean)
              .map((t) => h('th', {}, t)),
          ),
        ),
        h('tbody', {}, body),
      ),
    );
  }

  function renderPager(total) {
    const last = offset + rows.length;
    mount(
      pager,
      total > PAGE_SIZE
        ? [
            h('span.muted', {}, `${offset + 1}–${last} of ${total}`),
            h('button.ghost', { type: 'button', disabled: offset === 0, onclick: () => page(-1) }, '← Previous'),
            h('button.ghost', { type: 'button', disabled: last >= total, onclick: () => page(1) }, 'Next →'),
          ]
        : null,
    );
  }

  function page(direction) {
    offset = Math.max(0, offset + direction * PAGE_SIZE);
    void load();
  }

  function renderProblems(items) {
    mount(
      problems,
      items.length === 0
        ? null
        : [
            h('h2', {}, `Cannot be reviewed (${items.length})`),
            h('p.muted', {}, 'Failed documents, failed pages and missing sources, with the reason.'),
            h(
              'table.grid.problem-table',
              {},
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['Document', 'Source', 'Code', 'Reason'].map((t) => h('th', {}, t)),
                ),
              ),
              h(
                'tbody',
                {},
                items.map((p) =>
                  h(
                    'tr',
                    {},
                    h(
                      'td',
                      {},
                      h('a.mono', { href: `/documents/${p.sha256}`, 'data-nav': true }, p.sha256.slice(0, 12)),
                    ),
                    h('td.source', { title: p.source?.path ?? p.source?.url ?? '' }, sourceName(p.source)),
                    h('td', {}, h('code', {}, p.code)),
                    h('td', {}, p.message),
                  ),
                ),
              ),
            ),
          ],
    );
  }

  function onKey(event) {
    const typing = event.target instanceof HTMLInputElement;
    if (typing || event.target instanceof HTMLSelectElement) {
      if (event.key === 'Escape') event.target.blur();
      // A select takes no text: / still jumps to the issuer filter from one.
      if (typing || event.key !== '/') return;
    }
    if (event.key === '/') {
      event.preventDefault();
      form.elements.namedItem('issuer').focus();
    } else if ((event.key === 'ArrowDown' || event.key === 'j') && rows.length) {
      event.preventDefault();
      selected = Math.min(rows.length - 1, selected + 1);
      renderRows();
    } else if ((event.key === 'ArrowUp' || event.key === 'k') && rows.length) {
      event.preventDefault();
      selected = Math.max(0, selected - 1);
      renderRows();
    } else if (event.key === 'Enter' && rows[selected]) {
      navigate(`/documents/${rows[selected].sha256}`);
    }
  }
  document.addEventListener('keydown', onKey);
  await load();
  return () => document.removeEventListener('keydown', onKey);
}

function filterForm(filters, onChange) {
  let timer;
  const debounced = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, 250);
  };
  const text = (name, label, attrs = {}) =>
    h(
      'label',
      {},
      label,
      h('input', { name, type: 'text', value: filters[name], oninput: debounced, autocomplete: 'off', ...attrs }),
    );
  const select = (name, label, options) =>
    h(
      'label',
      {},
      label,
      h(
        'select',
        { name, onchange: onChange },
        options.map(([value, text]) => h('option', { value, selected: filters[name] === value }, text)),
      ),
    );
  return h(
    'form.filters',
    { onsubmit: (e) => e.preventDefault() },
    text('issuer', 'Issuer', { placeholder: '发布机关' }),
    text('region', 'Region', { placeholder: '地区' }),
    text('year', 'Year', { inputmode: 'numeric', size: 5, placeholder: 'YYYY' }),
    select('template', 'Template', [
      ['', 'any'],
      ['v2021', 'v2021'],
      ['v2019', 'v2019'],
    ]),
    select('status', 'Status', [
      ['', 'needs review'],
      ['done', 'done'],
      ['failed', 'failed'],
      ['needs_review,done,failed', 'any'],
    ]),
    select('flag', 'Flag kind', [['', 'any'], ...Object.entries(FLAG_KINDS)]),
    select('sort', 'Sort', [
      ['', 'most flags first'],
      ['oldest', 'oldest first'],
    ]),
  );
}

function readForm(form) {
  return Object.fromEntries(FILTERS.map((k) => [k, form.elements.namedItem(k)?.value.trim() ?? '']));
}

function sourceName(source) {
  const full = source?.path ?? source?.url ?? '';
  return full.split(/[\\/]/).slice(-2).join('/');
}

export function keyHint(pairs) {
  return pairs.flatMap(([key, what], i) => [i ? ' · ' : '', h('kbd', {}, key), ` ${what}`]);
}
