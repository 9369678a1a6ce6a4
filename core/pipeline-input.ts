import type { SourceKind } from './model/index.js';

/** One file's bytes, or the ordered page images of one document. */
export type ExtractInput =
  | { readonly bytes: Uint8Array; readonly name?: string }
  | { readonly images: readonly { readonly bytes: Uint8Array; readonly name: string }[] };

/** What is known of the input before any page is read. */
export interface SourceMeta {
  readonly sha256: string;
  readonly size: number;
  readonly kind: SourceKind | null;
  readonly mime: string | null;
}
