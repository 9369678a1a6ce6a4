// mingo's $group buffers every input document. When a pipeline starts with stages that read
// only some fields and then reaches a stage that builds new documents ($group, $count…),
// we hand mingo documents decoded for those paths only (storage/decode-fields.ts), so a $group
// over 20,000 reports neither decodes nor holds whole reports. Anything we cannot analyse: no pruning.
import type { Document } from 'bson';

/** Stages that pass documents through and whose field references we can list. */
const PASS_THROUGH = new Set(['$match', '$sort', '$limit', '$skip', '$unwind']);
/** Stages that build new documents from the referenced fields only. */
const TERMINAL = new Set(['$group', '$count', '$sortByCount', '$bucket']);

const OPAQUE_OPERATORS = new Set(['$let', '$map', '$filter', '$reduce', '$getField', '$setField', '$unsetField']);

/** Top-level fields the pipeline needs, or undefined when it may need whole documents. */
export function neededFields(pipeline: readonly Document[]): Set<string> | undefined {
  const fields = new Set<string>();
  for (const stage of pipeline) {
    const [name, spec] = Object.entries(stage)[0] ?? [];
    if (name === undefined) return undefined;
    if (!PASS_THROUGH.has(name) && !TERMINAL.has(name)) return undefined;
    const ok =
      name === '$match'
        ? collectFilterFields(spec, fields)
        : name === '$sort'
          ? addPaths(Object.keys(spec as Document), fields)
          : name === '$unwind'
            ? collectExpressionFields(typeof spec === 'string' ? spec : (spec as Document).path, fields)
            : name === '$limit' || name === '$skip' || name === '$count'
              ? true
              : collectExpressionFields(spec, fields);
    if (!ok) return undefined;
    if (TERMINAL.has(name)) return fields;
  }
  return undefined;
}

/** The dotted paths a query filter reads, or undefined when it may read anything ($expr, $where…). */
export function filterPaths(filter: Document): Set<string> | undefined {
  const fields = new Set<string>();
  return collectFilterFields(filter, fields) ? fields : undefined;
}

function addPaths(paths: readonly string[], fields: Set<string>): boolean {
  for (const path of paths) fields.add(path);
  return true;
}

/** Query filter: field names, recursing through $and/$or/$nor; $expr/$where need everything. */
function collectFilterFields(filter: unknown, fields: Set<string>): boolean {
  if (typeof filter !== 'object' || filter === null) return false;
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(value) || !value.every((part) => collectFilterFields(part, fields))) return false;
    } else if (key.startsWith('$')) {
      if (key !== '$comment') return false;
    } else {
      addPaths([key], fields);
    }
  }
  return true;
}

/** Aggregation expressions: every "$field.path" string; $$ROOT/$$CURRENT need everything. */
function collectExpressionFields(expression: unknown, fields: Set<string>): boolean {
  if (typeof expression === 'string') {
    if (expression.startsWith('$$')) return !/^\$\$(ROOT|CURRENT)\b/.test(expression);
    if (expression.startsWith('$')) addPaths([expression.slice(1)], fields);
    return true;
  }
  if (Array.isArray(expression)) return expression.every((item) => collectExpressionFields(item, fields));
  if (typeof expression === 'object' && expression !== null && Object.getPrototypeOf(expression) === Object.prototype) {
    for (const [key, value] of Object.entries(expression)) {
      // Variables we do not track, or fields named by plain strings: stay safe, decode everything.
      if (OPAQUE_OPERATORS.has(key)) return false;
      // $top/$bottom/$topN/$bottomN name their sort fields without a '$'.
      if (key === 'sortBy' && typeof value === 'object' && value !== null) addPaths(Object.keys(value), fields);
      else if (!collectExpressionFields(value, fields)) return false;
    }
  }
  return true;
}
