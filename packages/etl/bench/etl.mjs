// `npm run bench:etl` — load speed of a full year of returns, against DuckDB alone on the same files.
//
//   npm run bench:etl                 median LA (Dudley's schools, 44,000 pupils, ~16.7M marks)
//   npm run bench:etl -- --kent       Kent scale (Kent's schools, 250,000 pupils, ~95M marks)
//   npm run bench:etl -- --pupils N   any size
//
// Prints wall time, marks/s and peak memory of `rollbook load` (school list, every return,
// validation, lake, marts), then the baseline in the same process — DuckDB `read_csv` → `COPY … TO
// parquet` over the same marks.csv files, run once before and once after the load, so that a
// neighbour's burst on a shared machine weighs on both sides — and the ratio to their mean, in wall
// time and in CPU time (the CPU ratio hardly moves with the machine's load). The load average is
// printed beside the figures. Targets: median LA ≤ 60 s, ratio ≤ 2×; Kent within 8 GB. Generated
// data lives in a temp folder, removed at the end.
import { mkdtempSync, rmSync, chmodSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { dataLayout } from '../dist/layout.js';
import { loadPath } from '../dist/load.js';

const args = process.argv.slice(2);
const kent = args.includes('--kent');
const pupilsArg = args.indexOf('--pupils');
const la = kent ? 886 : 332;
const pupils = pupilsArg >= 0 ? Number(args[pupilsArg + 1]) : kent ? 250_000 : 44_000;
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const publicData = process.env.ROLLBOOK_PUBLIC_DATA_DIR ?? path.join(repo, '..', 'shared', 'data');
const root = mkdtempSync(path.join(os.tmpdir(), 'rollbook-bench-'));
chmodSync(root, 0o755);
const fmt = (n) => Math.round(n).toLocaleString('en-GB');
const gb = (kb) => (kb / 1024 ** 2).toFixed(2);
const cpuSeconds = (u) => (u.user + u.system) / 1e6;

try {
  console.log(`Generating ${kent ? 'a Kent-scale' : 'a median'} LA (LA ${la}, ${fmt(pupils)} pupils)…`);
  let t = performance.now();
  // Generated in a child process, so that this process's peak memory is the load's alone.
  const cli = path.join(repo, 'packages', 'etl', 'bin', 'rollbook.mjs');
  const gen = spawnSync(process.execPath, [cli, 'demo', '--la', String(la), '--pupils', String(pupils), '--seed', '1', '--out', path.join(root, 'demo'), '--public-data', publicData, '--data-dir', root], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`rollbook demo failed: ${gen.stderr}`);
  console.log(`  ${gen.stdout.trim().split('\n').at(-1)} (${((performance.now() - t) / 1000).toFixed(1)} s)`);

  const files = readdirSync(path.join(root, 'demo', 'returns')).map((d) => path.join(root, 'demo', 'returns', d, 'marks.csv'));
  // The baseline runs in a child process, so that the peak memory printed is the load's alone.
  const baselineScript = `
    import { listValue } from '@duckdb/node-api';
    import { withDuck } from ${JSON.stringify(new URL('../dist/duckdb.js', import.meta.url).href)};
    const [out, ...files] = process.argv.slice(1);
    const started = performance.now();
    const cpu = process.cpuUsage();
    await withDuck((duck) => duck.run(\`COPY (SELECT * FROM read_csv($files)) TO '\${out}' (FORMAT parquet, COMPRESSION zstd)\`, { files: listValue(files) }));
    const used = process.cpuUsage(cpu);
    console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6 }));`;
  const baseline = () => {
    const out = path.join(root, 'baseline.parquet');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', baselineScript, out, ...files], { encoding: 'utf8', cwd: repo, maxBuffer: 1 << 24 });
    if (run.status !== 0) throw new Error(`the DuckDB baseline failed: ${run.stderr}`);
    rmSync(out, { force: true });
    return JSON.parse(run.stdout.trim().split('\n').at(-1));
  };
  const loadAverages = [os.loadavg()[0]];
  const before = baseline();

  const layout = dataLayout(path.join(root, 'data'));
  loadAverages.push(os.loadavg()[0]);
  t = performance.now();
  const cpu = process.cpuUsage();
  await loadPath(path.join(publicData, 'dfe/schools/spc_schools_202223_slim.csv.gz'), { layout });
  const summary = await loadPath(path.join(root, 'demo', 'returns'), { layout });
  const loadSeconds = (performance.now() - t) / 1000;
  const loadCpu = cpuSeconds(process.cpuUsage(cpu));
  const peak = process.resourceUsage().maxRSS;
  const marks = summary.returns.reduce((n, r) => n + r.marks, 0);
  if (summary.rejected > 0) throw new Error(`${summary.rejected} returns were rejected; the benchmark needs clean data`);
  loadAverages.push(os.loadavg()[0]);

  const after = baseline();
  loadAverages.push(os.loadavg()[0]);
  const baselineSeconds = (before.seconds + after.seconds) / 2;
  const baselineCpu = (before.cpu + after.cpu) / 2;

  console.log('');
  console.log(`rollbook load:  ${loadSeconds.toFixed(1)} s wall, ${loadCpu.toFixed(1)} s CPU, ${fmt(marks / loadSeconds)} marks/s, ${summary.loaded} returns, peak RSS ${gb(peak)} GB`);
  console.log(`DuckDB alone:   ${before.seconds.toFixed(1)} s before, ${after.seconds.toFixed(1)} s after (mean ${baselineSeconds.toFixed(1)} s wall, ${baselineCpu.toFixed(1)} s CPU; read_csv → COPY … TO parquet, same ${files.length} marks.csv files)`);
  console.log(`ratio:          ${(loadSeconds / baselineSeconds).toFixed(2)}× wall, ${(loadCpu / baselineCpu).toFixed(2)}× CPU (target ≤ 2×)${kent ? '' : `; median-LA target ≤ 60 s: ${loadSeconds <= 60 ? 'met' : 'NOT met'}`}`);
  console.log(`load average:   ${loadAverages.map((l) => l.toFixed(2)).join(' → ')} (before the baseline, the load, the second baseline, the end; ${os.cpus().length} cores)`);
  if (kent) console.log(`memory target:  ≤ 8 GB: ${peak / 1024 ** 2 <= 8 ? 'met' : 'NOT met'}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
