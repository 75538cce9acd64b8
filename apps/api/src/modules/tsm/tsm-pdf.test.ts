/**
 * The TSM pack as PDF: rendered, then rasterised with poppler's `pdftoppm` (grey-scale PGM, read
 * here without a decoder) to check that the pages carry the charts and the tables.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePack } from './tsm-fixtures.js';
import { renderTsmPackPdf } from './tsm-pdf.js';

interface Grey {
  width: number;
  height: number;
  pixels: Buffer;
}

/** A binary PGM (P5, maxval 255). */
function readPgm(buf: Buffer): Grey {
  const header = buf.subarray(0, 64).toString('latin1');
  const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(header);
  if (!m) throw new Error('not a binary PGM');
  const width = Number(m[1]);
  const height = Number(m[2]);
  return { width, height, pixels: buf.subarray(m[0].length, m[0].length + width * height) };
}

/** Share of pixels darker than white in a region given as fractions of the page. */
function ink(img: Grey, x0: number, y0: number, x1: number, y1: number, below = 250): number {
  let dark = 0;
  let all = 0;
  for (let y = Math.floor(y0 * img.height); y < Math.floor(y1 * img.height); y += 1) {
    for (let x = Math.floor(x0 * img.width); x < Math.floor(x1 * img.width); x += 1) {
      all += 1;
      if (img.pixels[y * img.width + x]! < below) dark += 1;
    }
  }
  return dark / all;
}

/** Distinct grey levels in a region: charts in colour give many, plain text few. */
function levels(img: Grey, x0: number, y0: number, x1: number, y1: number): number {
  const seen = new Set<number>();
  for (let y = Math.floor(y0 * img.height); y < Math.floor(y1 * img.height); y += 1) {
    for (let x = Math.floor(x0 * img.width); x < Math.floor(x1 * img.width); x += 1) seen.add(img.pixels[y * img.width + x]!);
  }
  return seen.size;
}

let dir: string;
let pages: Grey[];
let pdf: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rollbook-tsm-pdf-'));
  pdf = await renderTsmPackPdf(samplePack());
  await writeFile(path.join(dir, 'pack.pdf'), pdf);
  execFileSync('/usr/bin/pdftoppm', ['-r', '40', '-gray', path.join(dir, 'pack.pdf'), path.join(dir, 'page')]);
  const files = (await readdir(dir)).filter((f) => f.endsWith('.pgm')).sort();
  pages = await Promise.all(files.map(async (f) => readPgm(await readFile(path.join(dir, f)))));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('renderTsmPackPdf', () => {
  it('is a PDF of A4 landscape pages: charts first, then one page of pupils or more', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const p of pages) expect(p.width / p.height).toBeCloseTo(297 / 210, 1);
  });

  it('page 1 shows the title and both charts, in colour', () => {
    const [first] = pages;
    expect(ink(first!, 0.03, 0.03, 0.9, 0.1)).toBeGreaterThan(0.02); // title
    expect(ink(first!, 0.03, 0.12, 0.48, 0.45)).toBeGreaterThan(0.03); // pupils-per-section chart
    expect(ink(first!, 0.5, 0.12, 0.97, 0.45)).toBeGreaterThan(0.03); // comparison chart
    expect(levels(first!, 0.03, 0.12, 0.97, 0.45)).toBeGreaterThan(8);
  });

  it('page 2 shows the severe-absence table with its rules and rows', () => {
    const second = pages[1]!;
    expect(ink(second, 0.03, 0.05, 0.97, 0.3)).toBeGreaterThan(0.05);
    // Table borders: a grey horizontal line runs across most of the page width.
    let ruled = 0;
    for (let y = 0; y < second.height * 0.5; y += 1) {
      let run = 0;
      for (let x = 0; x < second.width; x += 1) if (second.pixels[y * second.width + x]! < 230) run += 1;
      if (run > second.width * 0.8) ruled += 1;
    }
    expect(ruled).toBeGreaterThanOrEqual(3);
  });

  it('holds the names, reasons and earlier actions as text', async () => {
    const text = execFileSync('/usr/bin/pdftotext', ['-layout', path.join(dir, 'pack.pdf'), '-']).toString();
    expect(text).toContain('Targeting support meeting pack — Oak Hill Primary');
    expect(text).toContain('Severely absent (50% or more): 1');
    expect(text).toContain('Persistently absent (10% to under 50%): 2');
    expect(text).toContain('Family meeting (Targeted)');
    expect(text).toContain('attendance 70.0% before, 85.0% after');
    expect(text).toContain('For conversations with families');
    expect(text.replace(/\s+/g, ' ')).toContain('Alex has missed 32 days of school this term (64 sessions out of 120)');
  });

  it('compares the school with similar schools, the LA and England, saying where each comes from and when the pack was built', () => {
    const text = execFileSync('/usr/bin/pdftotext', ['-layout', '-f', '1', '-l', '1', path.join(dir, 'pack.pdf'), '-']).toString().replace(/\s+/g, ' ');
    expect(text).toContain('Built when the return loaded on 1 Apr 2025 at 07:10 (UTC)');
    expect(text).toContain('The school against others, this term');
    expect(text).toMatch(/Oak Hill Primary 6\.9% 15\.2% 1\.1%/);
    expect(text).toMatch(/Similar schools \(28\) 5\.8% 12\.9% 0\.8% The 30 primary schools of the LA nearest/);
    expect(text).toMatch(/Local authority 6\.0% 13\.4% 0\.9%/);
    expect(text).toMatch(/England 5\.5% 12\.1% – DfE's published figures for England, primary schools, spring term 2024\/25/);
  });
});
