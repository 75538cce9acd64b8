import { createRequire } from 'node:module';
import path from 'node:path';
import pdfmake from 'pdfmake';
import { TSM_ACTION_TYPES, TSM_GROUPS, TSM_GROUP_LABELS, TSM_TIER_LABELS, TSM_REASON_LABELS } from '@rollbook/metrics';
import { comparisonChartSvg, groupsChartSvg } from './tsm-charts.js';
import type { TsmActionFollowUp, TsmPack, TsmPackPupil } from './tsm-pack.js';
import { displayDate, displayDateTime } from '../../common/display.js';

const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('pdfmake/package.json')), 'fonts', 'Roboto');
pdfmake.setFonts({
  Roboto: {
    normal: path.join(fontDir, 'Roboto-Regular.ttf'),
    bold: path.join(fontDir, 'Roboto-Medium.ttf'),
    italics: path.join(fontDir, 'Roboto-Italic.ttf'),
    bolditalics: path.join(fontDir, 'Roboto-MediumItalic.ttf'),
  },
});
// The pack is built from our data only: no URL is fetched, only the fonts are read from disk.
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((p) => path.resolve(p).startsWith(fontDir));

const pct = (v: number | null): string => (v === null ? '–' : `${v.toFixed(1)}%`);

/** When the stored pack was built: "Built when the return loaded on 22 Nov 2026 at 07:10". */
export function storedLine(pack: TsmPack): string {
  if (!pack.stored) return 'No pack has been stored for this term yet: it is built when the school’s return loads. These figures were worked out on demand.';
  return `Built when the return loaded on ${displayDateTime(pack.stored.builtAt)} (UTC); figures and actions brought up to date when this copy was produced.`;
}

const termLabel = (pack: TsmPack) => `${pack.term[0]!.toUpperCase()}${pack.term.slice(1)} term ${pack.academicYear}`;

function actionLine(a: TsmActionFollowUp): string {
  const impact = a.impact
    ? ` — attendance ${pct(a.impact.beforeAttendancePerc)} before, ${pct(a.impact.afterAttendancePerc)} after`
    : '';
  return `${TSM_ACTION_TYPES[a.actionType]} (${TSM_TIER_LABELS[a.tier]}), ${a.owner}, agreed ${displayDate(a.meetingDate)}, review ${displayDate(a.reviewDate)}${a.overdue ? ' (OVERDUE)' : ''}, ${a.status}${impact}`;
}

function pupilTable(pupils: TsmPackPupil[]): Record<string, unknown> {
  const header = ['Pupil', 'Year', 'Days missed', 'Attendance', 'Trend', 'Main reasons and when', 'Flags', 'Why on the pack'].map((text) => ({ text, style: 'th' }));
  const body: unknown[][] = [header];
  for (const p of pupils) {
    body.push([
      { text: [{ text: `${[p.surname, p.forename].filter(Boolean).join(', ') || 'Name not in the return'}\n`, bold: true }, { text: p.upn, fontSize: 7, color: '#505a5f' }] },
      p.ncYear ?? '',
      `${p.daysMissed} (${p.overallAbsence} sessions, ${p.unauthorisedAbsence} unauth.)`,
      `${pct(p.attendancePerc)}${p.previousAttendancePerc === null ? '' : `\nlast term ${pct(p.previousAttendancePerc)}`}`,
      p.trend,
      [p.mainReasons.map((r) => `${r.code} ${r.sessions}`).join(', '), ...p.pattern].filter(Boolean).join('\n'),
      p.flags.join(', '),
      p.reasons.map((r) => TSM_REASON_LABELS[r]).join('; '),
    ]);
    if (p.actions.length > 0) {
      body.push([{ colSpan: 8, ul: p.actions.map(actionLine), fontSize: 8, margin: [10, 0, 0, 0] }, '', '', '', '', '', '', '']);
    }
  }
  return {
    table: { headerRows: 1, widths: [90, 28, 80, 55, 50, 100, 90, '*'], body },
    layout: { fillColor: (row: number) => (row === 0 ? '#f3f2f1' : null), hLineColor: () => '#b1b4b6', vLineColor: () => '#b1b4b6' },
    fontSize: 8,
  };
}

/** The pack as a printable A4 landscape PDF, with its charts (ECharts SVG rendered on the server). */
export async function renderTsmPackPdf(pack: TsmPack): Promise<Buffer> {
  const content: unknown[] = [
    { text: `Targeting support meeting pack — ${pack.schoolName ?? `URN ${pack.urn}`}`, style: 'h1' },
    { text: `${termLabel(pack)} · URN ${pack.urn} · produced ${displayDate(pack.generatedOn)} · OFFICIAL-SENSITIVE: named children`, style: 'caption' },
    { text: storedLine(pack), style: 'caption' },
    {
      columns: [
        { svg: groupsChartSvg(pack), width: 360 },
        { svg: comparisonChartSvg(pack), width: 360 },
      ],
      margin: [0, 8, 0, 8],
    },
  ];
  if (pack.comparisons.length > 0) {
    content.push({ text: 'The school against others, this term', style: 'h2' }, {
      table: {
        headerRows: 1,
        widths: [130, 60, 70, 60, '*'],
        body: [
          ['', 'Overall absence', 'Persistently absent pupils', 'Severely absent pupils', 'Where the figures come from'].map((text) => ({ text, style: 'th' })),
          ...pack.comparisons.map((c) => [{ text: c.label, bold: c.kind === 'school' }, pct(c.overallAbsencePerc), pct(c.persistentPerc), pct(c.severePerc), { text: c.note ?? '', fontSize: 8, color: '#505a5f' }]),
        ],
      },
      layout: { hLineColor: () => '#b1b4b6', vLineColor: () => '#b1b4b6' },
      fontSize: 9,
    });
  }
  for (const group of TSM_GROUPS) {
    const pupils = pack.pupils.filter((p) => p.group === group);
    content.push({ text: `${TSM_GROUP_LABELS[group]}: ${pupils.length}`, style: 'h2', pageBreak: group === 'severe' ? 'before' : undefined });
    content.push(pupils.length > 0 ? pupilTable(pupils) : { text: 'None this term.', italics: true });
  }
  const followed = pack.pupils.filter((p) => p.group === null);
  if (followed.length > 0) content.push({ text: `No longer on the pack, with earlier actions: ${followed.length}`, style: 'h2' }, pupilTable(followed));
  content.push({ text: 'Cohorts', style: 'h2' });
  content.push(
    pack.cohorts.length > 0
      ? {
          table: {
            headerRows: 1,
            widths: [160, 60, 80, 100],
            body: [
              ['Group', 'Pupils', 'Attendance', 'Persistently absent'].map((text) => ({ text, style: 'th' })),
              ...pack.cohorts.map((c) => [c.cohort, String(c.pupils), pct(c.attendancePerc), pct(c.persistentPerc)]),
            ],
          },
          fontSize: 9,
        }
      : { text: 'No cohort figures.', italics: true },
  );
  if (pack.pupils.length > 0) {
    content.push(
      { text: 'For conversations with families', style: 'h2', pageBreak: 'before' },
      { text: 'In days and hours of lessons, not percentages. Read it with the family; change the words to suit.', style: 'caption', margin: [0, 0, 0, 6] },
      ...pack.pupils.map((p) => ({
        stack: [
          { text: `${[p.surname, p.forename].filter(Boolean).join(', ') || 'Name not in the return'} (${p.upn})`, bold: true },
          { text: p.familySummary, margin: [0, 2, 0, 8] },
        ],
        unbreakable: true,
        fontSize: 10,
      })),
    );
  }
  if (pack.cohortActions.length > 0) content.push({ text: 'Cohort actions', style: 'h2' }, { ul: pack.cohortActions.map((a) => `${a.cohort}: ${actionLine(a)}`), fontSize: 9 });

  const doc = {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [30, 30, 30, 36],
    info: { title: `TSM pack ${pack.urn} ${pack.academicYear} ${pack.term}`, author: 'Rollbook' },
    defaultStyle: { font: 'Roboto', fontSize: 10 },
    styles: {
      h1: { fontSize: 18, bold: true, margin: [0, 0, 0, 4] },
      h2: { fontSize: 13, bold: true, margin: [0, 10, 0, 4] },
      th: { bold: true },
      caption: { fontSize: 9, color: '#505a5f' },
    },
    footer: (page: number, pages: number) => ({ text: `Page ${page} of ${pages}`, alignment: 'right', fontSize: 8, margin: [0, 10, 30, 0] }),
    content,
  };
  return pdfmake.createPdf(doc).getBuffer();
}
