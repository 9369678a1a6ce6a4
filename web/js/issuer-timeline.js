// The issuer's other years beside the document under review (GET /documents/:sha256/timeline): each
// year's 上年结转 and 结转下年, and the cross-year links (rule S3) that fail, so a reviewer sees at a
// glance whether last year's carried-forward count reaches this year's carried-over one.
import { h, shown } from './dom.js';

/**
 * Failing links as badges, one per kind and other year (with a count): strong ones open a flag unless
 * a person settled them, notes are notes. The messages are the badge's title.
 */
function linkBadges(links) {
  const groups = new Map();
  for (const link of links) {
    const kind = link.settled ? 'settled' : link.strength;
    const id = `${kind}:${link.other?.year ?? '?'}`;
    groups.set(id, [...(groups.get(id) ?? []), link]);
  }
  return [...groups].map(([id, group]) => {
    const [kind, other] = id.split(':');
    const count = group.length > 1 ? ` ×${group.length}` : '';
    return h(`span.tl-link.tl-${kind}`, { title: group.map((l) => l.message).join('\n') }, `≠ ${other}${count}`);
  });
}

/** One year: a link to its report (this one in bold), its carried-over and carried-forward counts, failing links. */
function yearItem(y, sha256) {
  const self = y.sha256 === sha256;
  return h(
    'li.tl-year',
    { class: self ? 'tl-self' : '', dataset: { year: String(y.year ?? '') } },
    self
      ? h('b.tl-label', {}, String(y.year ?? '?'))
      : h('a.tl-label', { href: `/documents/${y.sha256}`, 'data-nav': true }, String(y.year ?? '?')),
    h(
      'span.tl-carry',
      { title: '上年结转 → 结转下年（表三）' },
      `${shown(y.carriedOver)} → ${shown(y.carriedForward)}`,
    ),
    y.copies ? h('span.muted', { title: 'copies of this report, counted once' }, ` +${y.copies}`) : null,
    linkBadges(y.links),
  );
}

/** The strip (null until the timeline arrives, or when the issuer is not resolved). */
export function renderTimeline(timeline, sha256) {
  if (!timeline?.years?.length) return null;
  const items = [];
  let last = null;
  for (const y of timeline.years) {
    if (last !== null && y.year !== null && y.year - last > 1)
      items.push(
        h(
          'li.tl-gap',
          { title: 'no report stored for these years' },
          y.year - last === 2 ? `${last + 1} ∅` : `${last + 1}–${y.year - 1} ∅`,
        ),
      );
    items.push(yearItem(y, sha256));
    if (y.year !== null) last = y.year;
  }
  const self = timeline.years.find((y) => y.sha256 === sha256);
  const open = (self?.links ?? []).filter((l) => l.strength === 'strong' && !l.settled);
  return h(
    'section.timeline',
    {},
    h('h2', {}, '历年报告 Issuer timeline'),
    h('ol.tl-years', {}, items),
    open.length
      ? h(
          'ul.tl-open',
          {},
          open.map((l) => h('li', {}, l.message)),
        )
      : null,
  );
}
