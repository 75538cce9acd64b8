// `npm run bench:metrics`: pupil summaries for a full year of a median LA (the demo LA, ~44k
// pupils, ~16.7M marks) through the @rollbook/metrics SQL, against a minimal hand-written DuckDB
// GROUP BY over the same lake in the same process. Prints both times and the ratio.
// Target (issue 3): ≤ 5 s and ≤ 1.5× the baseline.
//
// The lake is built once with the real generator and loader, and kept for the next run in
// ROLLBOOK_BENCH_DIR (default: <tmp>/rollbook-bench-<la>-<pupils>). Options (environment, read
// once here): ROLLBOOK_BENCH_DIR, ROLLBOOK_PUBLIC_DATA_DIR (default ../shared/data),
// BENCH_PUPILS (default 44000), BENCH_RUNS (default 3; the best run counts).
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MEASURE_COLUMNS, persistentSql, quoteIdent, sessionAggregatesSql, severeSql } from '@rollbook/metrics';
import { generateDemo } from '../dist/demo/index.js';
import { openDuck, sqlString } from '../dist/duckdb.js';
import { dataLayout } from '../dist/layout.js';
import { loadPath } from '../dist/load.js';
import { writeSummary } from '../dist/export/summaries.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const pupils = Number(process.env.BENCH_PUPILS ?? 44000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const benchDir = path.resolve(process.env.ROLLBOOK_BENCH_DIR ?? path.join(os.tmpdir(), `rollbook-bench-332-${pupils}`));
const publicData = path.resolve(process.env.ROLLBOOK_PUBLIC_DATA_DIR ?? path.join(REPO, '..', 'shared', 'data'));
const layout = dataLayout(path.join(benchDir, 'data'));
const YEAR = { from: '2024-08-01', to: '2025-07-31' };

const say = (line) => process.stdout.write(`${line}\n`);
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

async function prepare() {
  const marks = path.join(layout.lake, 'marks');
  if (existsSync(marks) && readdirSync(marks).length > 0) return;
  const demo = path.join(benchDir, 'demo');
  mkdirSync(demo, { recursive: true });
  let t = Date.now();
  say(`Generating a demo LA with ${pupils.toLocaleString('en-GB')} pupils in ${demo} (once; a few minutes)…`);
  await generateDemo({ outDir: demo, publicDataDir: publicData, pupils });
  say(`  generated in ${seconds(Date.now() - t)}`);
  // As `rollbook demo` does: the returns need their school list, loaded first.
  const schools = path.join(publicData, 'dfe', 'schools', 'spc_schools_202223_slim.csv.gz');
  mkdirSync(path.join(demo, 'schools'), { recursive: true });
  copyFileSync(schools, path.join(demo, 'schools', path.basename(schools)));
  t = Date.now();
  say('Loading it with the real loader…');
  const summary = await loadPath(demo, { layout });
  if (summary.rejected > 0) throw new Error(`${summary.rejected} return(s) rejected while loading the bench LA`);
  say(`  loaded ${summary.loaded} input(s) in ${seconds(Date.now() - t)}`);
}

async function best(label, fn) {
  let min = Infinity;
  let result;
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    result = await fn();
    min = Math.min(min, performance.now() - t);
  }
  say(`${label.padEnd(58)} ${seconds(min).padStart(8)}  (best of ${runs})`);
  return { ms: min, result };
}

await prepare();
const duck = await openDuck();
try {
  const glob = sqlString(path.join(layout.lake, 'marks', '**', '*.parquet'));
  const source = `read_parquet(${glob}, hive_partitioning = true, hive_types = {'la': VARCHAR, 'academic_year': VARCHAR, 'term': VARCHAR, 'urn': INTEGER})`;
  const [{ n }] = await duck.all(`SELECT CAST(count(*) AS BIGINT) AS n FROM ${source} WHERE "date" BETWEEN DATE '${YEAR.from}' AND DATE '${YEAR.to}'`);
  say(`Bench LA: ${Number(n).toLocaleString('en-GB')} marks for ${YEAR.from} to ${YEAR.to}, lake at ${layout.lake}`);
  say('');

  // Minimal hand-written GROUP BY: the seven session counts per enrolment, codes listed by hand.
  const baselineSql = `
    SELECT urn, upn,
      count(*) FILTER (WHERE mark IN ('/', '\\', 'L', 'K', 'V', 'P', 'W', 'B', 'J', 'C1', 'M', 'J1', 'S', 'C2', 'C', 'T', 'R', 'I', 'E', 'H', 'F', 'G', 'N', 'O', 'U')) AS possible_sessions,
      count(*) FILTER (WHERE mark IN ('/', '\\', 'L')) AS present_sessions,
      count(*) FILTER (WHERE mark IN ('K', 'V', 'P', 'W', 'B', 'J')) AS approved_educational_activity,
      count(*) FILTER (WHERE mark IN ('C1', 'M', 'J1', 'S', 'C2', 'C', 'T', 'R', 'I', 'E', 'H', 'F')) AS authorised_absence,
      count(*) FILTER (WHERE mark IN ('G', 'N', 'O', 'U')) AS unauthorised_absence,
      count(*) FILTER (WHERE mark IN ('C1', 'M', 'J1', 'S', 'C2', 'C', 'T', 'R', 'I', 'E', 'H', 'F', 'G', 'N', 'O', 'U')) AS overall_absence,
      count(*) FILTER (WHERE mark IN ('L', 'U')) AS late_sessions
    FROM ${source}
    WHERE "date" BETWEEN DATE '${YEAR.from}' AND DATE '${YEAR.to}'
    GROUP BY urn, upn`;
  // The same through @rollbook/metrics: every measure and one count per register code, with the
  // era and COVID date rules, then persistent and severe absence.
  const c = (name) => `e.${quoteIdent(name)}`;
  const metricsSql = `
    WITH e AS (
      SELECT urn, upn, ${sessionAggregatesSql({ mark: 'mark', date: '"date"' })}
      FROM ${source}
      WHERE "date" BETWEEN DATE '${YEAR.from}' AND DATE '${YEAR.to}'
      GROUP BY urn, upn
    )
    SELECT e.*, ${persistentSql(c('overall_absence'), c('possible_sessions'))} AS persistent_absentee,
           ${severeSql(c('overall_absence'), c('possible_sessions'))} AS severe_absentee
    FROM e`;
  const count = (sql) => async () => (await duck.all(`SELECT CAST(count(*) AS INTEGER) AS n, CAST(sum(possible_sessions) AS BIGINT) AS p FROM (${sql})`))[0];

  const base = await best('baseline: hand-written GROUP BY (7 counts)', count(baselineSql));
  const metrics = await best(`@rollbook/metrics SQL (${MEASURE_COLUMNS.length} measures + every code + PA/SA)`, count(metricsSql));
  if (base.result.n !== metrics.result.n || Number(base.result.p) !== Number(metrics.result.p)) {
    throw new Error(`The two queries disagree: ${JSON.stringify(base.result)} vs ${JSON.stringify(metrics.result)}`);
  }
  const out = path.join(benchDir, 'pupil-summary.csv');
  const full = await best('full export: rollbook export pupil-summary (scope + PN window)', () =>
    writeSummary(duck, 'pupil-summary', { layout, ...YEAR, scope: 'operational' }, out),
  );
  say('');
  const ratio = metrics.ms / base.ms;
  say(`Enrolments: ${base.result.n.toLocaleString('en-GB')}; export rows: ${full.result.rows.toLocaleString('en-GB')}`);
  say(`Pupil summaries through @rollbook/metrics: ${seconds(metrics.ms)}, ${ratio.toFixed(2)}× the baseline ` +
    `(target ≤ 5 s and ≤ 1.5×: ${metrics.ms <= 5000 && ratio <= 1.5 ? 'met' : 'NOT met'}).`);
  say(`Full CLI export (scope, penalty-notice window, CSV write): ${seconds(full.ms)}, ${(full.ms / base.ms).toFixed(2)}× the baseline.`);
} finally {
  duck.close();
}
