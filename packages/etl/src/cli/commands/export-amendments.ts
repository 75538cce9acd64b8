import path from 'node:path';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { sqlString, withDuck } from '../../duckdb.js';
import { dataLayout } from '../../layout.js';
import { sqlFile } from '../../sql.js';
import { out, type CliContext } from '../context.js';
import { exportGroup } from './export-group.js';

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `rollbook export amendments`: the register's amendment history kept with each return (original
 * entry → amended entry, reason, when and by whom), for a period and optionally one school.
 */
export function registerExportAmendments(program: Command, ctx: CliContext): void {
  exportGroup(program)
    .command('amendments')
    .description('register amendments (original → amended mark, reason, who, when) for sessions in a period')
    .requiredOption('--from <date>', 'first session day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last session day, YYYY-MM-DD')
    .option('--urn <urn>', 'one school only')
    .requiredOption('--out <file>', 'the file to write: .csv or .parquet')
    .action(async (opts: { from: string; to: string; urn?: string; out: string }) => {
      if (!ISO.test(opts.from) || !ISO.test(opts.to) || opts.from > opts.to) {
        process.stderr.write('rollbook export amendments: DATE_INVALID: --from and --to are dates YYYY-MM-DD, --from not after --to\n');
        ctx.fail();
        return;
      }
      if (opts.urn !== undefined && !/^\d{6,7}$/.test(opts.urn)) {
        process.stderr.write('rollbook export amendments: URN_INVALID: a URN is 6 or 7 digits\n');
        ctx.fail();
        return;
      }
      const layout = dataLayout(ctx.config().dataDir);
      const dir = path.join(layout.lake, 'amendments');
      if (!existsSync(dir)) {
        process.stderr.write('rollbook export amendments: NO_DATA: no return with amendments has been loaded\n');
        ctx.fail();
        return;
      }
      const target = path.resolve(opts.out);
      const format = target.toLowerCase().endsWith('.parquet') ? 'FORMAT parquet, COMPRESSION zstd' : 'FORMAT csv, HEADER true';
      const rows = await withDuck(async (duck) => {
        const params = { glob: path.join(dir, '**', '*.parquet'), from: opts.from, to: opts.to, urn: opts.urn === undefined ? null : Number(opts.urn) };
        const select = sqlFile('export/amendments.sql');
        await duck.run(`COPY (${select}) TO ${sqlString(target)} (${format})`, params);
        const [{ n }] = await duck.all<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS n FROM (${select})`, params);
        return n;
      });
      out(`amendments: ${rows.toLocaleString('en-GB')} row(s) for sessions ${opts.from} to ${opts.to} written to ${target}`);
    });
}
