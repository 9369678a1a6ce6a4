/** An issuer name as printed, resolved to an administrative division and the body that issued the report. */
export interface IssuerMatch {
  readonly printed: string;
  /**
   * Stable identity across reports: the deepest division's code, then the body (empty for the
   * people's government itself, its office or 管委会), e.g. `640502100:` (东园镇人民政府),
   * `640500:生态环境局`. A town the data does not hold under its county keeps its printed name
   * (`640303:永康镇`). Null when unresolved.
   */
  readonly issuerId: string | null;
  /** GB/T 2260 code (6 digits) of the deepest county, city or province resolved. */
  readonly code: string | null;
  /** 9-digit statistics code of the 乡镇/街道, when resolved to one. */
  readonly townCode: string | null;
  readonly province: string | null;
  readonly city: string | null;
  readonly county: string | null;
  readonly town: string | null;
  /** The department (生态环境局), or null for the government itself. */
  readonly body: string | null;
  /** A printed division name that the data does not hold where the name puts it. */
  readonly unresolvedPart: string | null;
  /** Canonical display name: the divisions, province first, then the body. */
  readonly name: string | null;
  /** 0…1: how sure the match is. */
  readonly confidence: number;
  readonly method: 'exact' | 'context' | 'near-miss' | 'partial' | 'unresolved';
  /** Why the match is less than sure, or why there is none. */
  readonly reason: string | null;
}
