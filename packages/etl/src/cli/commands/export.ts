import { InvalidArgumentError, type Command } from 'commander';
import { METRIC_SCOPES, type MetricScope } from '@rollbook/metrics';
import { withDuck } from '../../duckdb.js';
import { ExportError, SUMMARY_KINDS, writeSummary, type SummaryKind } from '../../export/summaries.js';
import { dataLayout } from '../../layout.js';
import { out, type CliContext } from '../context.js';
import { exportGroup } from './export-group.js';

const DESCRIPTIONS: Record<SummaryKind, string> = {
  'pupil-summary': 'one row per enrolment (school × pupil): sessions, rates, persistent/severe absence, band, days missed, penalty-notice threshold, sessions per code',
  'school-summary': 'one row per school in the DfE tidy format, with pa_perc and sa_perc',
  'la-summary': 'one row per LA × phase (and Total) in the DfE tidy format, with pa_perc and sa_perc',
};

/** Pupil lists default to the operational scope (every pupil on roll); school and LA figures to the DfE statistics scope. */
const DEFAULT_SCOPE: Record<SummaryKind, MetricScope> = {
  'pupil-summary': 'operational',
  'school-summary': 'dfe',
  'la-summary': 'dfe',
};

function parseScope(value: string): MetricScope {
  if (!(METRIC_SCOPES as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${METRIC_SCOPES.join(', ')}`);
  return value as MetricScope;
}

function parseUrn(value: string): number {
  if (!/^\d{6,7}$/.test(value)) throw new InvalidArgumentError('expected a 6 or 7 digit URN');
  return Number(value);
}

export function registerExport(program: Command, ctx: CliContext): void {
  const group = exportGroup(program);
  for (const kind of SUMMARY_KINDS) {
    group
      .command(kind)
      .description(DESCRIPTIONS[kind])
      .requiredOption('--from <date>', 'first day of the period, YYYY-MM-DD')
      .requiredOption('--to <date>', 'last day of the period, YYYY-MM-DD')
      .option('--urn <urn>', 'one school only', parseUrn)
      .option('--scope <scope>', `dfe (DfE statistics: ages 5–15, as published) or operational (every pupil on roll); default ${DEFAULT_SCOPE[kind]}`, parseScope)
      .requiredOption('--out <file>', 'the file to write: .csv or .parquet')
      .action(async (opts: { from: string; to: string; urn?: number; scope?: MetricScope; out: string }) => {
        const cfg = ctx.config();
        const scope = opts.scope ?? DEFAULT_SCOPE[kind];
        try {
          const result = await withDuck((duck) =>
            writeSummary(duck, kind, { layout: dataLayout(cfg.dataDir), from: opts.from, to: opts.to, urn: opts.urn, scope }, opts.out),
          );
          out(`${kind}: ${result.rows.toLocaleString('en-GB')} row(s) for ${opts.from} to ${opts.to}${opts.urn ? `, URN ${opts.urn}` : ''} written to ${result.file}`);
          out(`Scope: ${result.scopeLabel}.`);
          if (result.rows === 0) out('No enrolment is in this scope for the period: the file has a header only.');
        } catch (error) {
          if (!(error instanceof ExportError)) throw error;
          process.stderr.write(`rollbook export ${kind}: ${error.code}: ${error.message}\n`);
          ctx.fail();
        }
      });
  }
}
