import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { MUTATIONS, rng } from './mutate.js';
import { writeRawTiff } from './raw-tiff.js';
import {
  bombContent,
  deepNestingPdf,
  hugeImagePdf,
  hugeMediaBoxPdf,
  hugePng,
  notDocuments,
  pageTreeLoopPdf,
  pagesPdf,
  twoBillionPagesPdf,
} from './traps.js';

export interface FuzzFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** `trap:<what>` or `<mutation>+…:<seed file>`. */
  readonly how: string;
}

export interface SeedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The traps, each once: every one must end fast with a code, never hold a job slot. */
export function traps(opts: { bombMb: number }): FuzzFile[] {
  const out: FuzzFile[] = [
    {
      name: 'trap-bomb.pdf',
      bytes: pagesPdf([bombContent(opts.bombMb)]),
      how: `trap:content stream inflating to ${opts.bombMb} MB`,
    },
    { name: 'trap-huge-mediabox.pdf', bytes: hugeMediaBoxPdf(), how: 'trap:14,400,000 pt MediaBox' },
    { name: 'trap-huge-image.pdf', bytes: hugeImagePdf(), how: 'trap:30,000 × 30,000 image XObject' },
    { name: 'trap-huge.png', bytes: hugePng(), how: 'trap:30,000 × 30,000 PNG' },
    { name: 'trap-page-tree-loop.pdf', bytes: pageTreeLoopPdf(), how: 'trap:page-tree loop' },
    { name: 'trap-two-billion-pages.pdf', bytes: twoBillionPagesPdf(), how: 'trap:two billion declared pages' },
    { name: 'trap-deep-nesting.pdf', bytes: deepNestingPdf(), how: 'trap:arrays nested 50,000 deep' },
    {
      name: 'trap-ifd-loop.tif',
      bytes: writeRawTiff({ pages: 3, width: 600, height: 800, loop: true }),
      how: 'trap:TIFF IFD loop',
    },
  ];
  for (const [name, bytes] of Object.entries(notDocuments()))
    out.push({ name: `trap-${name}`, bytes, how: 'trap:not a document' });
  return out;
}

/**
 * `count` files: the traps, then seeded mutations of the seed files (one to three mutations each),
 * named by index so the set can be regenerated exactly from the same seed.
 */
export function generateFuzzCorpus(opts: {
  readonly count: number;
  readonly seed: number;
  readonly seeds: readonly SeedFile[];
  readonly bombMb?: number;
  /** Leave the traps out (default: in). */
  readonly traps?: boolean;
}): FuzzFile[] {
  const random = rng(opts.seed);
  const out = opts.traps === false ? [] : traps({ bombMb: opts.bombMb ?? 280 }).slice(0, opts.count);
  const names = Object.keys(MUTATIONS);
  for (let i = 0; out.length < opts.count; i++) {
    const seed = opts.seeds[Math.floor(random() * opts.seeds.length)]!;
    let bytes = seed.bytes;
    const applied: string[] = [];
    const rounds = 1 + Math.floor(random() * 3);
    for (let r = 0; r < rounds; r++) {
      const name = names[Math.floor(random() * names.length)]!;
      bytes = MUTATIONS[name]!(bytes, random);
      applied.push(name);
    }
    const ext = seed.name.slice(seed.name.lastIndexOf('.'));
    out.push({ name: `fuzz-${String(i).padStart(4, '0')}${ext}`, bytes, how: `${applied.join('+')}:${seed.name}` });
  }
  return out;
}

/** Real documents to mutate: the dev corpus's born-digital reports, and with `scans` its scans and page photos. */
export function corpusSeeds(corpusDir: string, opts: { scans: boolean }): SeedFile[] {
  const seeds: SeedFile[] = [];
  for (const doc of readdirSync(corpusDir).sort()) {
    const dir = join(corpusDir, doc);
    const files = ['digital.pdf', ...(opts.scans ? ['scan-light.pdf'] : [])];
    for (const f of files)
      if (existsSync(join(dir, f)))
        seeds.push({ name: `${doc}-${f}`, bytes: new Uint8Array(readFileSync(join(dir, f))) });
    if (opts.scans && existsSync(join(dir, 'pages'))) {
      const page = readdirSync(join(dir, 'pages')).sort()[0];
      if (page) seeds.push({ name: `${doc}-${page}`, bytes: new Uint8Array(readFileSync(join(dir, 'pages', page))) });
    }
  }
  return seeds;
}

/**
 * The page photos among `seeds` again as TIFF (grayscale, deflate, their density kept), so the
 * mutations also reach the TIFF decoder with real scan content behind it.
 */
export async function tiffSeeds(seeds: readonly SeedFile[]): Promise<SeedFile[]> {
  const out: SeedFile[] = [];
  for (const seed of seeds.filter((s) => /\.jpe?g$/i.test(s.name))) {
    const tiff = await sharp(seed.bytes).grayscale().tiff({ compression: 'deflate' }).toBuffer();
    out.push({ name: seed.name.replace(/\.jpe?g$/i, '.tif'), bytes: new Uint8Array(tiff) });
  }
  return out;
}
