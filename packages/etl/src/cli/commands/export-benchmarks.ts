import type { Command } from 'commander';
import { exportBenchmarks } from '../../benchmarks/published-comparators.js';
import { withDuck } from '../../duckdb.js';
import { dataLayout } from '../../layout.js';
import { out, type CliContext } from '../context.js';
import { exportGroup } from './export-group.js';

/**
 * `rollbook export benchmarks --out FILE`: every LA in the loaded DfE statistics against its
 * comparators.
 */
export function registerExportBenchmarks(program: Command, ctx: CliContext): void {
  exportGroup(program)
    .command('benchmarks')
    .description('every LA × phase × measure in the loaded DfE statistics beside its statistical neighbours, region and England (CSV)')
    .requiredOption('--out <file>', 'the CSV file to write')
    .option('--period <identifier>', 'which period of the year, as the DfE files name it', 'Academic year')
    .option('--year <time_period>', 'one year only, written as in the files (202425); default every loaded year')
    .action(async (opts: { out: string; period: string; year?: string }) => {
      const layout = dataLayout(ctx.config().dataDir);
      const rows = await withDuck((duck) => exportBenchmarks(duck, layout, opts.out, { timeIdentifier: opts.period, timePeriod: opts.year ?? null }));
      const las = new Set(rows.map((r) => r.laCode)).size;
      const years = [...new Set(rows.map((r) => r.academicYear))].join(', ');
      out(`Wrote ${rows.length.toLocaleString('en-GB')} rows for ${las} LAs (${years || 'no year'}, ${opts.period}) to ${opts.out}.`);
      if (rows.length > 0 && rows.every((r) => r.neighbours.length === 0)) {
        out('No statistical-neighbour list is loaded: sn_average and sn_rank are empty. Load dfe_sn_may_2025_long.csv or the DfE workbook.');
      }
      if (rows.length === 0) {
        out(`No figures for "${opts.period}"${opts.year ? ` in ${opts.year}` : ''} in the loaded statistics.`);
        ctx.fail();
      }
    });
}
