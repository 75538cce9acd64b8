import ExcelJS from 'exceljs';
import { TSM_ACTION_TYPES, TSM_GROUP_LABELS, TSM_REASON_LABELS, TSM_TIER_LABELS } from '@rollbook/metrics';
import type { TsmPack } from './tsm-pack.js';

const COLUMNS = [
  'section', 'upn', 'forename', 'surname', 'nc_year', 'possible_sessions', 'overall_absence', 'unauthorised_absence', 'days_missed',
  'attendance_perc', 'previous_attendance_perc', 'trend', 'main_reasons', 'absence_pattern', 'flags', 'why_on_pack', 'earlier_actions', 'family_summary',
] as const;

const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

/** One row per pupil on the pack, in {@link COLUMNS} order. */
export function packRows(pack: TsmPack): (string | number | null)[][] {
  return pack.pupils.map((p) => [
    p.group === null ? 'Earlier actions' : TSM_GROUP_LABELS[p.group],
    p.upn,
    p.forename,
    p.surname,
    p.ncYear,
    p.possibleSessions,
    p.overallAbsence,
    p.unauthorisedAbsence,
    p.daysMissed,
    round1(p.attendancePerc),
    round1(p.previousAttendancePerc),
    p.trend,
    p.mainReasons.map((r) => `${r.code} ${r.sessions}`).join('; '),
    p.pattern.join('; '),
    p.flags.join('; '),
    p.reasons.map((r) => TSM_REASON_LABELS[r]).join('; '),
    p.actions
      .map((a) => `${TSM_ACTION_TYPES[a.actionType]} (${TSM_TIER_LABELS[a.tier]}) ${a.meetingDate}, ${a.status}` +
        (a.impact ? `, attendance ${round1(a.impact.beforeAttendancePerc) ?? '–'}% → ${round1(a.impact.afterAttendancePerc) ?? '–'}%` : ''))
      .join('; '),
    p.familySummary,
  ]);
}

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  // A leading = + - @ would run as a formula in a spreadsheet: quote it as text.
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const COMPARISON_COLUMNS = ['kind', 'label', 'overall_absence_perc', 'persistent_perc', 'severe_perc', 'note'] as const;

/** The school against similar schools, the LA and England, in {@link COMPARISON_COLUMNS} order. */
export function comparisonTableRows(pack: TsmPack): (string | number | null)[][] {
  return pack.comparisons.map((c) => [c.kind, c.label, round1(c.overallAbsencePerc), round1(c.persistentPerc), round1(c.severePerc), c.note]);
}

function csv(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** The pack's pupils as CSV (UTF-8, CRLF). */
export function packCsv(pack: TsmPack): string {
  return csv([COLUMNS, ...packRows(pack)]);
}

/** The pack's comparisons as CSV (UTF-8, CRLF): one row each for the school, similar schools, the LA and England. */
export function comparisonsCsv(pack: TsmPack): string {
  return csv([COMPARISON_COLUMNS, ...comparisonTableRows(pack)]);
}

/** The pack as an XLSX workbook: pupils, cohorts, and the school against others. */
export async function packXlsx(pack: TsmPack): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Rollbook';
  const pupils = wb.addWorksheet('Pupils');
  pupils.addRow([...COLUMNS]).font = { bold: true };
  for (const row of packRows(pack)) pupils.addRow(row);
  pupils.views = [{ state: 'frozen', ySplit: 1 }];
  const cohorts = wb.addWorksheet('Cohorts');
  cohorts.addRow(['cohort', 'pupils', 'attendance_perc', 'persistent_perc']).font = { bold: true };
  for (const c of pack.cohorts) cohorts.addRow([c.cohort, c.pupils, round1(c.attendancePerc), round1(c.persistentPerc)]);
  const comparisons = wb.addWorksheet('Comparisons');
  comparisons.addRow([...COMPARISON_COLUMNS]).font = { bold: true };
  for (const row of comparisonTableRows(pack)) comparisons.addRow(row);
  comparisons.getColumn(6).width = 100;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
