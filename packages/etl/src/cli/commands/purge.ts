import os from 'node:os';
import type { Command } from 'commander';
import { withDuck } from '../../duckdb.js';
import { dataLayout } from '../../layout.js';
import { parseRetention, purgeOlderThan, REGISTER_RETENTION_YEARS } from '../../lake/purge.js';
import { out, type CliContext } from '../context.js';

export function registerPurge(program: Command, ctx: CliContext): void {
  program
    .command('purge')
    .description(`remove registers past their retention period (academic years that ended more than ${REGISTER_RETENTION_YEARS} years ago by default)`)
    .requiredOption('--older-than <period>', `how old, e.g. ${REGISTER_RETENTION_YEARS}y (years) or 6y6m`)
    .option('--as-of <date>', 'count from this day instead of today (YYYY-MM-DD)')
    .option('--dry-run', 'say what would be removed, remove nothing')
    .action(async (opts: { olderThan: string; asOf?: string; dryRun?: boolean }) => {
      const layout = dataLayout(ctx.config().dataDir);
      const olderThan = parseRetention(opts.olderThan);
      if (olderThan.years < REGISTER_RETENTION_YEARS && !process.env.ROLLBOOK_ALLOW_SHORT_RETENTION) {
        out(`Note: registers must be kept for ${REGISTER_RETENTION_YEARS} years; ${opts.olderThan} is shorter.`);
      }
      const by = { submittedBy: `cli:${os.userInfo().username}`, via: 'cli' as const };
      const r = await withDuck((duck) => purgeOlderThan(duck, layout, { olderThan, asOf: opts.asOf, dryRun: opts.dryRun, by }));
      if (r.partitions === 0) {
        out(`Nothing to remove: no academic year ended before ${r.cutoff}.`);
        return;
      }
      out(
        `${r.dryRun ? 'Would remove' : 'Removed'} ${r.academicYears.join(', ')} (ended before ${r.cutoff}): ${r.partitions} partition folder(s), ` +
          `${r.marks.toLocaleString('en-GB')} marks, ${r.copies} kept cop${r.copies === 1 ? 'y' : 'ies'} of returns.`,
      );
      if (!r.dryRun) out('The API drops the TSM packs and the returns\' problem details of those years when it next reads the submission queue (every 10 seconds while it runs).');
    });
}
