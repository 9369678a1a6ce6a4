/** What a numeric cell may look like once read (v2019 signed changes, 万元 decimals). */
export const NUMBER = /^[+-]?\d+(\.\d+)?$/;
/** A count printed with thousands separators (4,597 · 2,438,736), as the label setup reads it. */
export const THOUSANDS = /^\d{1,3}(,\d{3})+$/;
