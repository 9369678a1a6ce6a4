// The whole page behind a cell (key v): the page image as the OCR read it, with the cell's box drawn
// on it, for when the crop's margin is not enough context (a row label far to the left, a stitched table).
import { getImageUrl, paths } from './api.js';
import { h } from './dom.js';

/** A box from the API in page-image pixels: {x0,y0,x1,y1} or {x,y,width,height}. */
function normalizeBox(box) {
  if (!box) return null;
  if ('x0' in box) return { x: box.x0, y: box.y0, w: box.x1 - box.x0, h: box.y1 - box.y0 };
  if ('width' in box) return { x: box.x ?? box.left, y: box.y ?? box.top, w: box.width, h: box.height };
  return null;
}

/** Opens the viewer; returns a function that closes it. */
export function openPageViewer({ sha256, page, box, title, onClose }) {
  const stage = h('div.page-stage', {}, h('p.muted', {}, `Loading page ${page}…`));
  const overlay = h(
    'div.page-viewer',
    { role: 'dialog', 'aria-label': `Page ${page}`, onclick: (e) => e.target === overlay && close() },
    h(
      'div.page-frame',
      {},
      h(
        'header',
        {},
        h('b', {}, `Page ${page}`),
        ` · ${title}`,
        h('span.spacer'),
        h('kbd', {}, 'v'),
        ' / ',
        h('kbd', {}, 'Esc'),
        ' close',
      ),
      stage,
    ),
  );
  document.body.append(overlay);
  let url = null;
  const controller = new AbortController();
  getImageUrl(paths.page(sha256, page), controller.signal)
    .then((u) => {
      url = u;
      const img = h('img.page-img', { src: u, alt: `Page ${page}` });
      const mark = h('div.page-box');
      img.addEventListener('load', () => {
        const b = normalizeBox(box);
        if (!b) return mark.remove();
        Object.assign(mark.style, {
          left: `${(b.x / img.naturalWidth) * 100}%`,
          top: `${(b.y / img.naturalHeight) * 100}%`,
          width: `${(b.w / img.naturalWidth) * 100}%`,
          height: `${(b.h / img.naturalHeight) * 100}%`,
        });
        mark.scrollIntoView({ block: 'center', inline: 'center' });
      });
      stage.replaceChildren(h('div.page-wrap', {}, img, mark));
    })
    .catch((error) => {
      if (error.name !== 'AbortError') stage.replaceChildren(h('p.error', {}, `No page image: ${error.message}`));
    });

  function close() {
    controller.abort();
    overlay.remove();
    if (url) URL.revokeObjectURL(url);
    onClose?.();
  }
  return close;
}
