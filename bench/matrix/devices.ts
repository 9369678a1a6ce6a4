/**
 * The scan matrix's fonts and devices. A font variant restyles a report's HTML (CJK family, the face its
 * digits come from, regular or bold tables); a device turns the printed PDF into the image-only PDF a
 * flatbed, a fax machine or a phone would give, under the scorer's input kind for it.
 */
import { faxPdf } from '../make-fax-scans.js';
import { makeScan, type ScanProfile } from '../../test/helpers/make-scan.js';
import { photograph, stampSeal } from './paint.js';

export interface FontFamily {
  readonly id: string;
  readonly family: string;
  readonly heldOut?: boolean;
  /**
   * Chromium sets this face's vertical text (writing-mode: vertical-rl) with no height: 表四's
   * vertical captions collapsed onto its value row and the printed page held no values. Its captions
   * are stacked one character a line instead, as many real reports print them. Micro Hei (the same
   * foundry's metrics) gets vertical text a little too tall: the captions ran through the value row's
   * top rule and covered its first digits, so it is stacked too.
   */
  readonly stackVertical?: boolean;
}

/** Every free CJK family Debian ships (fonts-noto-cjk, fonts-arphic-*, fonts-wqy-*). */
export const FAMILIES: readonly FontFamily[] = [
  { id: 'noto-serif', family: 'Noto Serif CJK SC' },
  { id: 'noto-sans', family: 'Noto Sans CJK SC' },
  { id: 'uming', family: 'AR PL UMing CN' },
  { id: 'ukai', family: 'AR PL UKai CN', heldOut: true },
  { id: 'zenhei', family: 'WenQuanYi Zen Hei', stackVertical: true },
  { id: 'microhei', family: 'WenQuanYi Micro Hei', stackVertical: true },
];

/** Where the digits come from: Times- and Arial-metric faces as office documents print them, or the CJK face. */
export const DIGIT_FACES = ['Liberation Serif', 'Liberation Sans', null] as const;

/** The report's CSS rewritten to one family, digits in `digits` (null: the CJK face's own), tables bold or not. */
export function restyle(html: string, family: FontFamily, digits: string | null, bold: boolean): string {
  const stack = digits ? `"${digits}", "${family.family}"` : `"${family.family}"`;
  const stacked = family.stackVertical ? 'div.v { writing-mode: horizontal-tb; width: 1em; }\n' : '';
  const css = `${bold ? 'table { font-weight: bold; }\n' : ''}${stacked}</style>`;
  return html.replace(/font-family:\s*"[^"]+"/g, `font-family: ${stack}`).replace('</style>', css);
}

export type Kind = 'scan-light' | 'scan-heavy' | 'scan-fax' | 'scan-photo';

export interface Device {
  readonly id: string;
  readonly kind: Kind;
  readonly heldOut?: boolean;
  readonly make: (pdf: string, ctx: { seed: number; index: number; issuer: string }) => Promise<Uint8Array>;
}

const sign = (seed: number): number => (seed % 2 ? -1 : 1);
const flatbed =
  (profile: ScanProfile, maxAngle: number): Device['make'] =>
  (pdf, { seed }) =>
    makeScan(
      pdf,
      { ...profile, angle: sign(seed) * (maxAngle * 0.6 + ((seed >>> 3) % 100) * 0.004 * maxAngle) },
      { seed },
    );

export const DEVICES: readonly Device[] = [
  {
    id: 'flat-300',
    kind: 'scan-light',
    make: flatbed({ dpi: 300, angle: 0, blur: 0.4, noise: 16, jpegQuality: 75 }, 0.8),
  },
  {
    id: 'flat-200',
    kind: 'scan-heavy',
    make: flatbed({ dpi: 200, angle: 0, blur: 0.7, noise: 30, jpegQuality: 55 }, 1.5),
  },
  {
    id: 'flat-150',
    kind: 'scan-heavy',
    heldOut: true,
    make: flatbed({ dpi: 150, angle: 0, blur: 0.5, noise: 24, jpegQuality: 60 }, 1.2),
  },
  {
    id: 'skew-3',
    kind: 'scan-heavy',
    make: flatbed({ dpi: 200, angle: 0, blur: 0.5, noise: 20, jpegQuality: 70 }, 3 / 1.0),
  },
  {
    id: 'upside-down',
    kind: 'scan-heavy',
    make: flatbed({ dpi: 200, angle: 0, blur: 0.5, noise: 20, jpegQuality: 70, turn: 180 }, 0.8),
  },
  {
    id: 'sideways',
    kind: 'scan-heavy',
    make: (pdf, ctx) =>
      flatbed({ dpi: 200, angle: 0, blur: 0.5, noise: 20, jpegQuality: 70, turn: ctx.seed % 2 ? 90 : 270 }, 0.8)(
        pdf,
        ctx,
      ),
  },
  {
    id: 'seal-colour',
    kind: 'scan-light',
    make: (pdf, { seed, issuer }) =>
      makeScan(
        pdf,
        { dpi: 200, angle: sign(seed) * 0.5, blur: 0.4, noise: 14, jpegQuality: 80, colour: true },
        { seed, paint: async (p, i) => stampSeal(p, seed + i, 200, issuer) },
      ),
  },
  {
    id: 'fax-fine',
    kind: 'scan-fax',
    make: (pdf, { seed, index }) => faxPdf(pdf, { key: String(seed), docIndex: index, ydpi: 196 }),
  },
  {
    id: 'fax-standard',
    kind: 'scan-fax',
    make: (pdf, { seed, index }) => faxPdf(pdf, { key: String(seed), docIndex: index, ydpi: 98 }),
  },
  {
    id: 'photo',
    kind: 'scan-photo',
    make: (pdf, { seed }) =>
      makeScan(
        pdf,
        { dpi: 200, angle: 0, blur: 0.6, noise: 12, jpegQuality: 80, colour: true },
        { seed, paint: async (p, i) => photograph(p, seed + i) },
      ),
  },
];
