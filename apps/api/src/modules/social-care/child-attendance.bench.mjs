// Micro-benchmark of the caseload's JavaScript work: `childAttendanceOfRows` for a caseload of 38
// children with a full year of register marks (the median LA's social worker in `npm run bench:api`).
// Runs the BUILT code (build first: `npx tsc -b packages/metrics packages/etl apps/api`):
//   node apps/api/src/modules/social-care/child-attendance.bench.mjs [--children 38] [--rounds 20] [--dist DIR]
// (`--dist`: another build's `apps/api/dist`, e.g. a copy of the baseline's, to compare.)
// Prints ms per caseload (median of the rounds) and a checksum of every figure, so two builds
// can be compared for speed and for identical answers.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { children: { type: 'string', default: '38' }, rounds: { type: 'string', default: '20' }, dist: { type: 'string' } },
});
const dist = values.dist ? pathToFileURL(`${resolve(values.dist)}/`).href : new URL('../../../dist/', import.meta.url).href;
const { childAttendanceOfRows } = await import(new URL('modules/social-care/child-attendance.js', dist).href);
const children = Number(values.children);
const rounds = Number(values.rounds);

// Deterministic marks: mostly present, with illness, unauthorised spells, leave, lateness, a
// part-time timetable and closures, from 2024-09-02 to 2025-07-18 (weekdays).
let seed = 20240902;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const codes = ['I', 'O', 'G', 'N', 'M', 'C2', 'E', 'L', 'U', 'C', 'R', 'B', '#', 'Y1', 'J1', 'X'];
const dates = [];
for (let d = new Date('2024-09-02T00:00:00Z'); d <= new Date('2025-07-18T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1)) {
  if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) dates.push(d.toISOString().slice(0, 10));
}
const caseload = Array.from({ length: children }, (_, c) => {
  const absentish = random() * 0.3;
  const marks = [];
  for (const date of dates) {
    for (const session of ['AM', 'PM']) {
      const mark = random() < absentish ? codes[Math.floor(random() * codes.length)] : session === 'AM' ? '/' : '\\';
      marks.push({ upn: `A${String(c).padStart(12, '0')}`, urn: 100000 + (c % 7), date, session, mark });
    }
  }
  const suspensions = c % 5 === 0 ? [{ urn: 100000, category: 'SUSP', start_date: dates[40 + c], sessions: 4 }] : [];
  return { marks, suspensions, onRoll: c % 11 !== 0 };
});

const run = () => caseload.map((ch) => childAttendanceOfRows(ch.marks, ch.suspensions, ch.onRoll));
const checksum = createHash('sha256').update(JSON.stringify(run())).digest('hex').slice(0, 16);
for (let i = 0; i < 3; i++) run(); // warm up
const times = [];
for (let i = 0; i < rounds; i++) {
  const t = performance.now();
  run();
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const marks = caseload.reduce((n, ch) => n + ch.marks.length, 0);
console.log(
  `caseload of ${children} children, ${marks} marks: ${times[Math.floor(times.length / 2)].toFixed(1)} ms median, ` +
    `${times[0].toFixed(1)} ms best of ${rounds} (checksum ${checksum})`,
);
