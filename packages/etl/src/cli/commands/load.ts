import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { dataLayout } from '../../layout.js';
import { discover, loadPath, type LoadSummary } from '../../load.js';
import { formatProblem } from '../../problems.js';
import { progress } from '../progress.js';
import { out, type CliContext } from '../context.js';

export function registerLoad(program: Command, ctx: CliContext): void {
  program
    .command('load')
    .description('load school lists and termly returns (files, folders or .zip), recognised by their structure')
    .argument('<paths...>', 'files or folders to load')
    .option('--verbose', 'list every return, not only rejected ones')
    .option('--la <code>', 'the LA that social care files (SSDA903, caseloads) belong to, when the warehouse holds several')
    .action(async (paths: string[], opts: { verbose?: boolean; la?: string }) => {
      const cfg = ctx.config();
      const layout = dataLayout(cfg.dataDir);
      for (const target of paths) {
        const items = discover(target);
        const returns = items.filter((i) => i.kind === 'return').length;
        out(`${target}: found ${items.length} input(s)${returns ? `, ${returns} of them termly returns` : ''}`);
        for (const i of items.filter((x) => x.kind !== 'return')) out(`  ${path.basename(i.path)}: taken for ${i.label}${i.detail ? ` (${i.detail})` : ''}`);
        const bar = progress('Loading');
        const started = Date.now();
        let summary: LoadSummary;
        try {
          summary = await loadPath(target, {
            layout,
            laCode: opts.la,
            // Every input goes into the submission history (who, when, hash, outcome, report).
            submission: { submittedBy: `cli:${os.userInfo().username}`, via: 'cli' },
            onProgress: (p) => bar.update(p.done, p.total, path.basename(p.item.path)),
          });
        } finally {
          bar.stop();
        }
        writeReports(layout.root, summary);
        printSummary(summary, (Date.now() - started) / 1000, opts.verbose ?? false);
        if (summary.rejected > 0 || summary.unrecognised.length > 0) ctx.fail();
      }
    });
}

function printSummary(summary: LoadSummary, seconds: number, verbose: boolean): void {
  for (const f of summary.files) {
    out(`${path.basename(f.item.path)} (${f.item.label}): ${f.status}, ${f.summary}${f.problems.length ? `; ${f.problems.length} problem(s)` : ''}`);
    for (const p of f.problems.filter((x) => x.severity === 'error').slice(0, 20)) out(`  ${formatProblem(p)}`);
  }
  const rows = summary.returns.filter((r) => verbose || r.status === 'rejected');
  if (rows.length > 0) {
    out('');
    out(['Return'.padEnd(40), 'School'.padEnd(8), 'Term'.padEnd(15), 'Pupils'.padStart(7), 'Marks'.padStart(9), 'Status'.padEnd(9), 'Errors', 'Warnings'].join(' '));
    for (const r of rows) {
      const errors = r.problems.filter((p) => p.severity === 'error');
      out([
        path.basename(r.source).slice(0, 40).padEnd(40),
        String(r.partition?.urn ?? '').padEnd(8),
        (r.partition ? `${r.partition.term} ${r.partition.academicYear}` : '').padEnd(15),
        String(r.pupils).padStart(7),
        String(r.marks).padStart(9),
        r.status.padEnd(9),
        String(errors.length).padStart(6),
        String(r.problems.length - errors.length).padStart(8),
      ].join(' '));
      for (const p of errors.slice(0, 10)) out(`    ${formatProblem(p)}`);
      if (errors.length > 10) out(`    … ${errors.length - 10} more; see the report in data/reports/`);
    }
  }
  for (const u of summary.unrecognised) out(`Not recognised, not loaded: ${u.path} (not a return folder or .zip, nor any file format in FORMATS.md)`);
  const marks = summary.returns.reduce((n, r) => n + (r.status === 'loaded' ? r.marks : 0), 0);
  const warnings = summary.returns.reduce((n, r) => n + r.problems.filter((p) => p.severity === 'warning').length, 0);
  out('');
  out(`Loaded ${summary.loaded}, rejected ${summary.rejected}; ${marks.toLocaleString('en-GB')} marks; ${warnings} warning(s); ` +
    `${seconds.toFixed(1)} s (${Math.round(marks / Math.max(seconds, 0.001)).toLocaleString('en-GB')} marks/s).`);
}

/** Every return's report, kept as JSON and text under <data>/reports/ for the school to read. */
function writeReports(dataDir: string, summary: LoadSummary): void {
  const dir = path.join(dataDir, 'reports');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replaceAll(':', '').replace(/\..*/, '');
  for (const r of summary.returns) {
    if (r.problems.length === 0) continue;
    const name = `${stamp}-${r.partition ? `${r.partition.urn}-${r.partition.academicYear.replace('/', '-')}-${r.partition.term}` : path.basename(r.source).replace(/[^\w.-]/g, '_')}`;
    writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(r, null, 2));
    writeFileSync(path.join(dir, `${name}.txt`), [`Return: ${r.source}`, `Status: ${r.status}`, ...r.problems.map(formatProblem)].join('\n') + '\n');
  }
}
