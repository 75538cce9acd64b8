import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { dataLayout } from '../../layout.js';
import { generateDemo } from '../../demo/index.js';
import { progress } from '../progress.js';
import { out, type CliContext } from '../context.js';

/** The national school list the demo's schools come from (DfE school-level census file). */
const SCHOOL_LIST_FILE = 'dfe/schools/spc_schools_202223_slim.csv.gz';

export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('generate a synthetic demo LA (schools from the real DfE list, synthetic pupils and registers)')
    .option('--la <code>', 'LA number (3 digits)', '332')
    .option('--pupils <n>', 'total pupils (default: the LA\'s real size)')
    .option('--seed <n>', 'random seed; the same seed gives the same LA', '1')
    .option('--year <ay>', 'academic year (the last one, with --years), e.g. 2024/25', '2024/25')
    .option('--years <n>', 'academic years of history ending with --year (up to 6: 2019/20 to 2024/25)', '1')
    .option('--out <dir>', 'output folder (default <data dir>/demo)')
    .action(async (opts: { la: string; pupils?: string; seed: string; year: string; years: string; out?: string }) => {
      const years = Number(opts.years);
      if (!Number.isInteger(years) || years < 1) throw new Error(`--years must be a whole number of years, at least 1 (not "${opts.years}")`);
      const cfg = ctx.config();
      const outDir = path.resolve(opts.out ?? dataLayout(cfg.dataDir).demo);
      const bar = progress('Generating demo LA');
      const started = Date.now();
      try {
        const summary = await generateDemo({
          outDir,
          publicDataDir: cfg.publicDataDir,
          laCode: Number(opts.la),
          pupils: opts.pupils === undefined ? undefined : Number(opts.pupils),
          seed: Number(opts.seed),
          academicYear: opts.year,
          years,
          onProgress: (p) => bar.update(p.done, p.total, p.stage),
        });
        bar.stop();
        // The demo folder carries the school list its returns need, so `rollbook load <demo>` works alone.
        mkdirSync(path.join(outDir, 'schools'), { recursive: true });
        copyFileSync(path.join(cfg.publicDataDir, SCHOOL_LIST_FILE), path.join(outDir, 'schools', path.basename(SCHOOL_LIST_FILE)));
        const span = summary.academicYears.length > 1 ? `${summary.academicYears[0]} to ${summary.academicYear}` : summary.academicYear;
        out(`Demo LA ${summary.laCode} ${summary.laName}, ${span}: ${summary.schools} schools, ` +
          `${summary.pupils.toLocaleString('en-GB')} pupils, ${summary.marks.toLocaleString('en-GB')} marks, ` +
          `${summary.returns} returns in ${((Date.now() - started) / 1000).toFixed(1)} s → ${outDir}`);
      } finally {
        bar.stop();
      }
    });
}
