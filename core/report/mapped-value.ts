import type { Cell } from '../model/index.js';

/** A schema key located in a table, before its text is parsed. */
export interface MappedValue {
  readonly key: string;
  readonly cell: Cell;
  readonly tableId: string;
  /** Unit named by the column header (万元). */
  readonly headerUnit?: string;
  /** Placed by row or column order because its label or header did not match (less certain). */
  readonly byOrder?: boolean;
  /** The layout left doubt about which column the value belongs to. */
  readonly ambiguous?: boolean;
}

/** What a table mapper found: the values and the keys whose rows/columns it saw. */
export interface MappedPart {
  readonly values: readonly MappedValue[];
  /** Notes for the report (duplicated rows, unmatched labels). */
  readonly notes: readonly string[];
}
