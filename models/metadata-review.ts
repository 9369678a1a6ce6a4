import { decideValue, type EffectiveCell } from './cell-provenance.js';
import type { DocumentRecord } from './document.model.js';
import { encodeCellKey, type ReportRecord } from './report.model.js';
import { METADATA_FIELDS, type MetadataField } from './validate-decision.js';

export interface MetadataReview {
  readonly field: MetadataField;
  /** Decision key, `metadata.issuer`. */
  readonly key: string;
  readonly confidence: number | null;
  readonly evidence: readonly string[];
  /** Flags as `{kind, message}` (the report's own, or a template conflict). */
  readonly flags: readonly { readonly kind: string; readonly message: string }[];
  readonly decided: EffectiveCell;
}

export type MetadataReport = Pick<
  ReportRecord,
  'issuer' | 'reportYear' | 'templateVersion' | 'template' | 'metadata' | 'flags' | 'corrections'
>;

type Extra = {
  confidence?: Record<string, number>;
  evidence?: Record<string, string[]>;
  flags?: Record<string, string[]>;
};

/** Where the core keeps a field in ReportMetadata (`year` is `reportYear`). */
const CORE_NAME: Readonly<Record<MetadataField, string>> = {
  issuer: 'issuer',
  year: 'reportYear',
  region: 'region',
  template: 'templateVersion',
};

/**
 * The reviewable metadata of a report (issuer, year, region, template version) with their
 * confidence, evidence and flags and the person's decision, if any. Kept generic: confidence,
 * evidence and flags are read from `metadata.confidence|evidence|flags[field]` and from report
 * flags at `metadata.<field>` when the extraction provides them; a template conflict or an unknown
 * template flags `template`.
 */
export function reviewMetadata(report: MetadataReport, document: Pick<DocumentRecord, 'metadata'>): MetadataReview[] {
  const meta = report.metadata as Record<string, unknown> & Extra;
  const extracted: Record<MetadataField, string | number | null> = {
    issuer: report.issuer ?? (meta['issuer'] as string | null | undefined) ?? null,
    year: report.reportYear ?? null,
    region: (meta['region'] as string | null | undefined) ?? document.metadata.region ?? null,
    template: report.templateVersion ?? null,
  };
  const reportFlags = report.flags as { kind?: string; message?: string; at?: { key?: string } }[];
  return METADATA_FIELDS.map((field) => {
    const key = `metadata.${field}`;
    const names = [field, CORE_NAME[field]];
    const pick = <T>(map: Record<string, T> | undefined): T | undefined =>
      map ? names.map((n) => map[n]).find((v) => v !== undefined) : undefined;
    const flags: { kind: string; message: string }[] = [
      ...(pick(meta.flags) ?? []).map((kind) => ({ kind, message: kind })),
      ...reportFlags
        .filter((f) => f.at?.key === key || f.at?.key === `metadata.${CORE_NAME[field]}`)
        .map((f) => ({ kind: f.kind ?? 'flag', message: f.message ?? f.kind ?? '' })),
    ];
    if (field === 'template') {
      if (report.template.conflict)
        flags.push({ kind: 'template-conflict', message: `模板判断有冲突：${report.template.evidence.join('；')}` });
      if (report.templateVersion === null) flags.push({ kind: 'template-unknown', message: '无法判断模板版本' });
    }
    const evidence = field === 'template' ? report.template.evidence : (pick(meta.evidence) ?? []);
    return {
      field,
      key,
      confidence: pick(meta.confidence) ?? null,
      evidence,
      flags,
      decided: decideValue(
        key,
        extracted[field],
        flags.map((f) => f.kind),
        report.corrections[encodeCellKey(key)],
      ),
    };
  });
}
