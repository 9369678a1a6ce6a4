// The panel beside the tables: the selected cell's crop of the page, the text as read, the confidence,
// why it is flagged in words, the value the arithmetic implies (a button, never pre-filled), and the
// decision controls.
import { ApiError, getImageUrl, paths } from './api.js';
import { h, percent, shown, when } from './dom.js';
import { STATES } from './labels.js';

/**
 * Crops fetched once per document view (object URLs, revoked by `dispose`), of the extraction the
 * view shows (`extraction()`: the view's tag, which the crop URL names).
 */
export function cropCache(sha256, extraction) {
  const urls = new Map();
  return {
    get(key) {
      if (!urls.has(key)) {
        const promise = getImageUrl(paths.crop(sha256, key, extraction()));
        promise.catch(() => urls.delete(key)); // a failure is shown, then retried on the next selection
        urls.set(key, promise);
      }
      return urls.get(key);
    },
    dispose() {
      for (const p of urls.values()) void p.then((u) => URL.revokeObjectURL(u)).catch(() => {});
      urls.clear();
    },
  };
}

/**
 * item: { kind: 'cell'|'meta', key, title, where, data } where data is the API's Cell or MetaField.
 * ui: { draft, message, busy, crops, onDraft, act: { confirm, correct, printedSo, suggestion, cancel } }.
 */
export function renderInspector(item, ui) {
  if (!item) return h('aside.inspector.empty', {}, h('p.muted', {}, 'Select a cell, or press Tab for the first flag.'));
  const d = item.data;
  const decided = d.provenance && d.provenance.kind !== 'extracted';
  return h(
    'aside.inspector',
    { 'aria-label': 'Selected cell' },
    h(
      'header',
      {},
      h('div.where', {}, item.where),
      h('h3', {}, item.title),
      h('div', {}, h(`span.pill.st-${d.state}`, {}, STATES[d.state] ?? d.state), ' ', h('code.key', {}, item.key)),
    ),
    item.kind === 'cell' ? renderCrop(item, ui) : renderEvidence(d),
    h(
      'dl.facts',
      {},
      h('dt', {}, 'Read as'),
      h('dd', {}, item.kind === 'cell' ? h('q.raw', {}, d.raw ?? '') : h('span', {}, shown(d.value))),
      item.kind === 'cell'
        ? [h('dt', {}, 'Value'), h('dd.value', {}, shown(d.value), d.unit ? ` ${d.unit}` : '')]
        : null,
      h('dt', {}, 'Confidence'),
      h('dd', {}, confidenceBar(d.confidence)),
      d.page ? [h('dt', {}, 'Page'), h('dd', {}, String(d.page))] : null,
    ),
    renderReasons(d),
    decided ? renderProvenance(d.provenance) : null,
    renderDecision(item, ui),
  );
}

function renderCrop(item, ui) {
  const figure = h('figure.crop', {}, h('div.crop-loading', {}, 'Loading the page…'));
  ui.crops
    .get(item.key)
    .then((url) => {
      const img = h('img.crop-img', { src: url, alt: `The page around ${item.title}`, onclick: ui.act.page });
      figure.replaceChildren(
        img,
        h(
          'figcaption.muted',
          {},
          `page ${item.data.page ?? '?'} · the cell is outlined in red · `,
          h('button.link', { type: 'button', onclick: ui.act.page }, 'whole page ', h('kbd', {}, 'v')),
        ),
      );
    })
    .catch((error) => {
      figure.replaceChildren(h('div.crop-missing', {}, cropError(error)));
    });
  return figure;
}

function cropError(error) {
  if (error instanceof ApiError && error.code === 'SOURCE_MISSING')
    return `The source file is gone: ${error.body.path ?? ''}. Decide from the values, or restore the file.`;
  if (error instanceof ApiError && error.code === 'NO_BOX') return 'This cell was not found on the page (no box).';
  if (error instanceof ApiError && error.code === 'SOURCE_CHANGED')
    return `The file at ${error.body.path ?? 'the source path'} now has other content: the page cannot be shown.`;
  return `No image: ${error.message}`;
}

function renderEvidence(meta) {
  return h(
    'div.evidence',
    {},
    h('h4', {}, 'Evidence'),
    meta.evidence?.length
      ? h(
          'ul',
          {},
          meta.evidence.map((e) => h('li', {}, e)),
        )
      : h('p.muted', {}, 'No evidence recorded.'),
  );
}

function renderReasons(d) {
  if (!d.flags?.length) return null;
  const decided = d.state !== 'flagged';
  return h(
    'div.reasons',
    {},
    h('h4', {}, decided ? 'Was flagged because' : 'Why it is flagged'),
    h(
      'ul',
      {},
      d.flags.map((f) => h('li', {}, f.text)),
    ),
  );
}

function renderProvenance(p) {
  const verb = { corrected: 'Corrected', confirmed: 'Confirmed', 'printed-inconsistent': 'Marked printed so' }[p.kind];
  return h(
    'p.provenance',
    {},
    `${verb ?? p.kind} by `,
    h('b', {}, p.by ?? '?'),
    p.at ? ` · ${when(p.at)}` : '',
    p.old !== undefined && p.kind === 'corrected' ? ` · read as ${shown(p.old)}` : '',
    p.note ? ` · “${p.note}”` : '',
  );
}

function confidenceBar(c) {
  if (typeof c !== 'number') return '—';
  const level = c >= 0.9 ? 'hi' : c >= 0.6 ? 'mid' : 'lo';
  return h(
    'span.conf',
    {},
    h(`span.conf-bar.${level}`, {}, h('span', { style: { width: `${Math.round(c * 100)}%` } })),
    percent(c),
  );
}

function renderDecision(item, ui) {
  const d = item.data;
  const numeric = item.kind === 'cell';
  const input = h('input.draft', {
    type: 'text',
    value: ui.draft ?? '',
    inputmode: numeric ? 'decimal' : 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: numeric ? 'type the value as printed' : 'type the right value',
    'aria-label': 'Correction',
    oninput: (e) => ui.onDraft(e.target.value),
  });
  const suggestion =
    d.suggestion !== undefined && d.suggestion !== null && d.suggestion !== d.value
      ? h(
          'button.suggest',
          { type: 'button', disabled: ui.busy, onclick: ui.act.suggestion },
          'The arithmetic implies ',
          h('b', {}, String(d.suggestion)),
          // A pair holds only together: the button takes every value of it (one batch).
          ...(d.suggestionWith ?? []).flatMap((p) => [
            ' with ',
            h('code', {}, p.key),
            ' = ',
            h('b', {}, String(p.value)),
          ]),
          d.suggestionWith?.length ? ' — take them ' : ' — take it ',
          h('kbd', {}, 's'),
        )
      : null;
  return h(
    'div.decision',
    {},
    suggestion,
    h(
      'div.draft-row',
      {},
      input,
      h(
        'button.primary',
        { type: 'button', disabled: ui.busy, onclick: ui.act.correct },
        'Correct ',
        h('kbd', {}, '⏎'),
      ),
    ),
    h(
      'div.actions',
      {},
      h(
        'button',
        { type: 'button', disabled: ui.busy, onclick: ui.act.confirm },
        'Confirm as read ',
        h('kbd', {}, '⏎'),
      ),
      h(
        'button',
        {
          type: 'button',
          disabled: ui.busy,
          onclick: ui.act.printedSo,
          title: 'The report itself prints this (inconsistent) number',
        },
        'Printed so ',
        h('kbd', {}, 'p'),
      ),
      ui.draft ? h('button.ghost', { type: 'button', onclick: ui.act.cancel }, 'Cancel ', h('kbd', {}, 'Esc')) : null,
    ),
    ui.message ? renderMessage(ui.message) : null,
  );
}

function renderMessage(m) {
  return h(
    `div.message.${m.tone}`,
    { role: m.tone === 'bad' ? 'alert' : 'status' },
    m.title ? h('b', {}, m.title) : null,
    m.title ? ' ' : '',
    m.text ?? '',
    m.hint ? h('div.hint', {}, m.hint) : null,
  );
}
