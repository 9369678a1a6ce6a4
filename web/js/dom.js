// A tiny element builder: the page is a handful of views, so no framework is needed to build them.

/**
 * h('a#id.link', { href: '/', onclick }, 'text', child, [more]) → HTMLElement.
 * Attributes: `class`, `dataset` and `style` (objects), `on<event>` functions, booleans (true sets, false omits),
 * everything else as an attribute. Children: strings, nodes, arrays, null/undefined/false (skipped).
 */
export function h(tag, attrs, ...children) {
  const [head, ...classes] = tag.split('.');
  const [name, id] = head.split('#');
  const el = document.createElement(name || 'div');
  if (id) el.id = id;
  if (classes.length) el.className = classes.join(' ');
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = [el.className, value].filter(Boolean).join(' ');
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'style')
      Object.assign(el.style, value); // CSSOM: allowed under the page's CSP
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value') el.value = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replace the contents of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** 0.8734 → "87 %". */
export function percent(x) {
  return typeof x === 'number' && Number.isFinite(x) ? `${Math.round(x * 100)} %` : '—';
}

/** A date as the reviewer's local date and time, short. */
export function when(at) {
  if (!at) return '';
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? String(at) : d.toLocaleString('zh-CN', { hour12: false });
}

/** A cell value as printed: null is a blank cell. */
export function shown(value) {
  return value === null || value === undefined || value === '' ? '—' : String(value);
}
