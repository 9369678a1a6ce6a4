/** Why a person should look at something. Cell-level flags are also copied onto ReportCell.flags. */
export type FlagKind =
  | 'low-confidence'
  | 'unverified'
  | 'check-failed'
  | 'likely-culprit'
  | 'blank-cell'
  | 'inferred'
  | 'ambiguous-parse'
  | 'missing-value'
  | 'unmapped-table'
  | 'garbled-text-layer'
  | 'orientation-uncertain'
  | 'page-failed'
  | 'missing-section'
  | 'template-conflict'
  | 'template-unknown'
  | 'weak-evidence'
  | 'text-table-mismatch'
  | 'metadata-uncertain';

export type Severity = 'info' | 'warn' | 'error';

export interface Flag {
  readonly kind: FlagKind;
  readonly severity: Severity;
  readonly at: { readonly page?: number; readonly tableId?: string; readonly key?: string };
  readonly message: string;
}
