/** What a numeric cell may look like once read (v2019 signed changes, 万元 decimals). */
export const NUMBER = /^[+-]?\d+(\.\d+)?$/;
