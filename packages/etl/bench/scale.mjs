// `npm run bench:scale`: how the cost of the LA overview and the TSM pack grows with the size of
// a regional pool (issue 10, docs/scale-out.md). For each size (default 50k, 250k and 1M pupils,
// ~30,000 pupils per LA, 300 per school, one autumn term of registers) it writes a synthetic lake
// in the warehouse layout straight to Parquet with DuckDB (CSV and the loader would take hours at
// 1M), then runs each query in a fresh Node process so its peak memory (max RSS) is its own:
//
//   mart      marks → one row per enrolment with every @rollbook/metrics measure (the loader's job)
//   overview  the LA overview over the mart: pooled figures, each LA's own, and every school
//   tsm       every LA's TSM pack straight from its marks (one LA partition at a time): pupils at the
//             persistent/severe thresholds or past the penalty-notice trigger (10 unauthorised
//             sessions in 10 school weeks)
//
// Options (environment, read once here): BENCH_SIZES (default "50000,250000,1000000"),
// ROLLBOOK_BENCH_DIR (default <tmp>/rollbook-bench-scale; lakes are kept for the next run),
// BENCH_THREADS (DuckDB threads; default all cores).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { persistentSql, quoteIdent, sessionAggregatesSql, severeSql, statutoryTriggersSql } from '@rollbook/metrics';
import { openDuck, sqlString } from '../dist/duckdb.js';

const SELF = fileURLToPath(import.meta.url);
const PUPILS_PER_LA = 30_000;
const PUPILS_PER_SCHOOL = 300;
const TERM = { year: '2024-25', term: 'autumn', from: '2024-09-02', to: '2024-12-20' };

const say = (line) => process.stdout.write(`${line}\n`);

function lakePaths(dir) {
  const marks = path.join(dir, 'lake', 'marks');
  const mart = path.join(dir, 'marts', 'fct_enrolment_term.parquet');
  const source = `read_parquet(${sqlString(path.join(marks, '**', '*.parquet'))}, hive_partitioning = true, hive_types = {'la': VARCHAR, 'academic_year': VARCHAR, 'term': VARCHAR, 'urn': INTEGER})`;
  return { marks, mart, source };
}

/** Synthetic marks for `pupils` pupils, one COPY per LA, partitioned la / academic_year / term / urn as the lake is. */
async function generate(duck, dir, pupils) {
  const { marks } = lakePaths(dir);
  rmSync(marks, { recursive: true, force: true });
  mkdirSync(marks, { recursive: true });
  const las = Math.ceil(pupils / PUPILS_PER_LA);
  for (let i = 0; i < las; i += 1) {
    const first = i * PUPILS_PER_LA;
    const count = Math.min(PUPILS_PER_LA, pupils - first);
    // Each pupil has an absence propensity (u⁵ × 0.35: mean absence about 6 %, about a fifth persistently absent); each
    // session's mark is drawn from a hash of pupil, day and session: reproducible, no RNG state.
    await duck.run(
      `COPY (
        WITH p AS (
          SELECT $la AS la, $year AS academic_year, $term AS term,
                 CAST(100000 + id // ${PUPILS_PER_SCHOOL} AS INTEGER) AS urn,
                 'B' || lpad(CAST(id AS VARCHAR), 12, '0') AS upn, id,
                 power((hash(id) % 1000) / 1000.0, 5) * 0.35 AS rate
          FROM range($first, $first + $count) t(id)
        ),
        d AS (SELECT CAST(day AS DATE) AS "date" FROM range(CAST($from AS DATE), CAST($to AS DATE) + 1, INTERVAL 1 DAY) t(day) WHERE isodow(day) <= 5),
        s AS (SELECT unnest(['AM', 'PM']) AS session)
        SELECT la, academic_year, term, urn, upn, "date", session,
          CASE WHEN h < rate * 0.6 THEN 'I' WHEN h < rate * 0.8 THEN 'O' WHEN h < rate * 0.9 THEN 'M' WHEN h < rate THEN 'G'
               WHEN session = 'AM' THEN '/' ELSE '\\' END AS mark,
          CAST(NULL AS INTEGER) AS minutes_late
        FROM (SELECT p.*, d."date", s.session, (hash(p.id, d."date", s.session) % 100000) / 100000.0 AS h FROM p, d, s)
      ) TO ${sqlString(marks)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (la, academic_year, term, urn), APPEND)`,
      { la: String(801 + i), year: TERM.year, term: TERM.term, first, count, from: TERM.from, to: TERM.to },
    );
  }
}

const c = (name) => `e.${quoteIdent(name)}`;
const enrolmentsSql = (source) => `
  WITH e AS (
    SELECT la AS la_code, urn, upn, ${sessionAggregatesSql({ mark: 'mark', date: '"date"' })}
    FROM ${source}
    GROUP BY la, urn, upn
  )
  SELECT e.*, ${persistentSql(c('overall_absence'), c('possible_sessions'))} AS persistent_absentee,
         ${severeSql(c('overall_absence'), c('possible_sessions'))} AS severe_absentee
  FROM e`;

const QUERIES = {
  async mart(duck, dir) {
    const { mart, source } = lakePaths(dir);
    mkdirSync(path.dirname(mart), { recursive: true });
    await duck.run(`COPY (${enrolmentsSql(source)}) TO ${sqlString(mart)} (FORMAT parquet, COMPRESSION zstd)`);
    const [{ n }] = await duck.all(`SELECT CAST(count(*) AS INTEGER) AS n FROM read_parquet(${sqlString(mart)})`);
    return n;
  },
  async overview(duck, dir) {
    const { mart } = lakePaths(dir);
    // The API's LA overview (la-totals.sql, school-totals.sql) for every LA of the pool and the pool.
    const rows = await duck.all(
      `SELECT la_code, urn,
         CAST(count(*) AS INTEGER) AS enrolments,
         CAST(sum(possible_sessions) AS BIGINT) AS possible_sessions,
         round(100.0 * sum(overall_absence) / nullif(sum(possible_sessions), 0), 1) AS overall_absence_rate,
         round(100.0 * sum(unauthorised_absence) / nullif(sum(possible_sessions), 0), 1) AS unauthorised_absence_rate,
         round(100.0 * count(*) FILTER (WHERE persistent_absentee) / count(*), 1) AS pa_perc,
         round(100.0 * count(*) FILTER (WHERE severe_absentee) / count(*), 1) AS sa_perc
       FROM read_parquet(${sqlString(mart)})
       GROUP BY GROUPING SETS ((), (la_code), (la_code, urn))`,
    );
    return rows.length;
  },
  async tsm(duck, dir) {
    // A TSM pack is one LA's (its schools' meetings): each LA's pack reads only its own la=
    // partition, as any engine over the lake would, so the pool costs the sum of its LAs.
    const { marks } = lakePaths(dir);
    let rows = 0;
    for (const la of readdirSync(marks).filter((name) => name.startsWith('la=')).sort()) {
      const source = `read_parquet(${sqlString(path.join(marks, la, '**', '*.parquet'))}, hive_partitioning = true, hive_types = {'la': VARCHAR, 'academic_year': VARCHAR, 'term': VARCHAR, 'urn': INTEGER})`;
      const triggers = statutoryTriggersSql({ source, keys: ['la', 'urn', 'upn'], only: ['penaltyNotice'] });
      const pack = await duck.all(
        `WITH e AS (${enrolmentsSql(source)}), t AS (${triggers})
         SELECT e.la_code, e.urn, e.upn, e.overall_absence, e.possible_sessions, e.persistent_absentee, e.severe_absentee,
                t.penalty_notice_met_on
         FROM e JOIN t ON t.la = e.la_code AND t.urn = e.urn AND t.upn = e.upn
         WHERE e.persistent_absentee OR t.penalty_notice_met_on IS NOT NULL
         ORDER BY e.la_code, e.urn, e.severe_absentee DESC, e.overall_absence DESC`,
      );
      rows += pack.length;
    }
    return rows;
  },
  async generate(duck, dir, pupils) {
    await generate(duck, dir, pupils);
    const [{ n }] = await duck.all(`SELECT CAST(count(*) AS BIGINT) AS n FROM ${lakePaths(dir).source}`);
    return Number(n);
  },
};

/** Child mode: run one step in this process and print `{ ms, rows, rssMb }`. */
async function child([step, dir, pupils, threads]) {
  const duck = await openDuck({ threads: Number(threads) || undefined, tempDirectory: path.join(dir, 'tmp') });
  try {
    const t = performance.now();
    const rows = await QUERIES[step](duck, dir, Number(pupils));
    const ms = performance.now() - t;
    process.stdout.write(JSON.stringify({ ms, rows, rssMb: process.resourceUsage().maxRSS / 1024 }));
  } finally {
    duck.close();
  }
}

function runStep(step, dir, pupils, threads) {
  const result = spawnSync(process.execPath, [SELF, '--step', step, dir, String(pupils), String(threads)], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`${step} at ${pupils} pupils failed:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

function folderMb(dir) {
  if (!existsSync(dir)) return 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return bytes / (1 << 20);
}

async function main() {
  const sizes = (process.env.BENCH_SIZES ?? '50000,250000,1000000').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('BENCH_SIZES must be whole numbers of pupils, e.g. 50000,250000');
  const threads = Number(process.env.BENCH_THREADS ?? os.availableParallelism());
  const base = path.resolve(process.env.ROLLBOOK_BENCH_DIR ?? path.join(os.tmpdir(), 'rollbook-bench-scale'));
  say(`Scale bench: one autumn term (${TERM.from} to ${TERM.to}), ${PUPILS_PER_LA.toLocaleString('en-GB')} pupils per LA, ` +
    `${PUPILS_PER_SCHOOL} per school; DuckDB ${threads} thread(s) on ${os.availableParallelism()} core(s), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB; lakes in ${base}`);
  const table = [];
  for (const pupils of sizes) {
    const dir = path.join(base, String(pupils));
    mkdirSync(path.join(dir, 'tmp'), { recursive: true });
    let marks;
    // generated.json is written last: a run stopped halfway generates again.
    if (!existsSync(path.join(dir, 'generated.json'))) {
      say(`Generating ${pupils.toLocaleString('en-GB')} pupils (once; kept for the next run)…`);
      const g = runStep('generate', dir, pupils, threads);
      marks = g.rows;
      writeFileSync(path.join(dir, 'generated.json'), JSON.stringify({ pupils, marks }));
      say(`  ${marks.toLocaleString('en-GB')} marks in ${(g.ms / 1000).toFixed(1)} s`);
    } else {
      marks = JSON.parse(readFileSync(path.join(dir, 'generated.json'), 'utf8')).marks;
    }
    const row = { pupils, las: Math.ceil(pupils / PUPILS_PER_LA), marks, lakeMb: folderMb(path.join(dir, 'lake')) };
    for (const step of ['mart', 'overview', 'tsm']) {
      const r = runStep(step, dir, pupils, threads);
      row[step] = r;
      say(`  ${pupils.toLocaleString('en-GB')} pupils, ${step}: ${(r.ms / 1000).toFixed(2)} s, ${r.rssMb.toFixed(0)} MB peak, ${r.rows.toLocaleString('en-GB')} rows`);
    }
    table.push(row);
  }
  say('');
  say('| pupils | LAs | marks | lake (Parquet) | mart build | LA overview (pooled + each LA + schools) | TSM packs, each LA’s (from marks) |');
  say('|---:|---:|---:|---:|---:|---:|---:|');
  const cell = (r) => `${(r.ms / 1000).toFixed(2)} s, ${r.rssMb.toFixed(0)} MB`;
  for (const r of table) {
    say(`| ${r.pupils.toLocaleString('en-GB')} | ${r.las} | ${(r.marks / 1e6).toFixed(1)}M | ${r.lakeMb.toFixed(1)} MB | ${cell(r.mart)} | ${cell(r.overview)} | ${cell(r.tsm)} |`);
  }
  say('');
  say('Time is wall-clock for the query alone; memory is the peak resident size of the Node process running it (DuckDB included).');
}

if (process.argv[2] === '--step') await child(process.argv.slice(3));
else await main();
