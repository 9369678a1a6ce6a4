// The report's tables laid out as printed: Chinese row and column labels from the API, group headers,
// indentation by row level, every cell coloured by its review state.
import { h, shown } from './dom.js';
import { STATES } from './labels.js';

/**
 * One printed table. Rows whose cells fall in different columns (表二: each 第二十条 item has its own
 * columns) are laid out as the stacked mini-tables of the printed form, one per run of rows with the
 * same columns, each with its own header.
 */
export function renderTable(table, ctx) {
  const blocks = splitByColumns(table.rows);
  return h(
    'section.report-table',
    { dataset: { table: table.id } },
    h('h2', {}, table.title),
    blocks.map((block) => renderBlock(table, block, ctx)),
  );
}

function splitByColumns(rows) {
  const blocks = [];
  for (const row of rows) {
    const used = row.cells.map((k, j) => (k ? j : -1)).filter((j) => j >= 0);
    const signature = used.join(',');
    const last = blocks.at(-1);
    // Group rows without numbers (（三）不予公开) join the block they head.
    if (last && (signature === '' || last.signature === signature || last.signature === '')) {
      last.rows.push(row);
      if (last.signature === '') {
        last.signature = signature;
        last.columns = used;
      }
    } else blocks.push({ signature, columns: used, rows: [row] });
  }
  // A table whose rows all share every column is one block with all its columns.
  if (blocks.length === 1) blocks[0].columns = rows[0]?.cells.map((_, j) => j) ?? [];
  return blocks;
}

function renderBlock(table, block, ctx) {
  const columns = block.columns;
  const groups = spansFor(table.columnGroups, columns);
  // A band over the groups (表三's 申请人情况): one more header row; an unbanded column spans it too.
  const bands = groups ? spansFor(table.columnBands, columns) : null;
  const depth = bands ? 3 : 2;
  const hasRowLabels = block.rows.some((r) => r.label);
  const bandRow = bands
    ? [
        h(
          'tr',
          {},
          hasRowLabels ? h('th.corner', { rowspan: depth }, '') : null,
          bands.map((b) =>
            b.label
              ? h('th.group.band', { colspan: b.columns.length }, b.label)
              : b.columns.map((j) => h('th', { rowspan: depth }, table.columns[j].label)),
          ),
        ),
      ]
    : [];
  const banded = new Set(bands ? bands.filter((b) => b.label).flatMap((b) => b.columns) : columns);
  const headRows = groups
    ? [
        ...bandRow,
        h(
          'tr',
          {},
          hasRowLabels && !bands ? h('th.corner', { rowspan: 2 }, '') : null,
          groups.map((g) =>
            g.label
              ? h('th.group', { colspan: g.columns.length }, g.label)
              : g.columns.filter((j) => banded.has(j)).map((j) => h('th', { rowspan: 2 }, table.columns[j].label)),
          ),
        ),
        h(
          'tr',
          {},
          groups.filter((g) => g.label).flatMap((g) => g.columns.map((j) => h('th', {}, table.columns[j].label))),
        ),
      ]
    : [
        h(
          'tr',
          {},
          hasRowLabels ? h('th.corner', {}, '') : null,
          columns.map((j) => h('th', {}, table.columns[j].label)),
        ),
      ];
  return h(
    'table.sheet',
    {},
    h('thead', {}, headRows),
    h(
      'tbody',
      {},
      block.rows.map((row) =>
        h(
          'tr',
          { class: row.cells.every((k) => !k) ? 'group-row' : '' },
          hasRowLabels ? h('th.row-label', { class: `lvl-${row.level ?? 0}` }, row.label) : null,
          columns.map((j) => renderCell(table, row.cells[j], ctx)),
        ),
      ),
    ),
  );
}

/** The column groups (行政复议 | 行政诉讼…, 法人或其他组织) or bands that cover the block's columns, or null. */
function spansFor(spans, columns) {
  if (!spans?.length) return null;
  const groups = [];
  let start = 0;
  for (const g of spans) {
    const covered = columns.filter((j) => j >= start && j < start + g.span);
    if (covered.length) groups.push({ label: g.label, columns: covered });
    start += g.span;
  }
  return groups.some((g) => g.label) ? groups : null;
}

function renderCell(table, key, ctx) {
  if (!key) return h('td.none', {}, '');
  const cell = table.cells[key];
  if (!cell) return h('td.none', {}, '');
  const selected = ctx.selectedKey === key;
  return h(
    'td.cell',
    {
      class: `st-${cell.state}${selected ? ' selected' : ''}`,
      dataset: { key },
      title: `${STATES[cell.state] ?? cell.state}${cell.flags.length ? ` — ${cell.flags.map((f) => f.text).join('；')}` : ''}`,
      onclick: () => ctx.onSelect(key),
    },
    shown(cell.value),
  );
}

/** The legend of cell colours. */
export function renderLegend(counts) {
  return h(
    'div.legend',
    { 'aria-label': 'Cell colours' },
    Object.entries(STATES).map(([state, label]) =>
      h(
        'span.legend-item',
        {},
        h(`span.swatch.st-${state}`),
        label,
        counts?.[state] ? h('small', {}, ` ${counts[state]}`) : null,
      ),
    ),
  );
}
