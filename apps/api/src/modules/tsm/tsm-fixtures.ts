import { actionImpact, emptySummary, familySummary } from '@rollbook/metrics';
import type { TsmGroup, TsmReason } from '@rollbook/metrics';
import type { TsmActionFollowUp, TsmPack, TsmPackPupil } from './tsm-pack.js';

/** A made-up pupil (no real data) for pack rendering tests. */
function pupil(upn: string, surname: string, group: TsmGroup, reasons: TsmReason[], absent: number, actions: TsmActionFollowUp[] = []): TsmPackPupil {
  const possible = 120;
  const counts = { ...emptySummary(), possibleSessions: possible, overallAbsence: absent, unauthorisedAbsence: Math.floor(absent / 3), authorisedAbsence: absent - Math.floor(absent / 3), presentSessions: possible - absent };
  return {
    upn,
    forename: 'Alex',
    surname,
    ncYear: '4',
    group,
    reasons,
    possibleSessions: possible,
    overallAbsence: absent,
    unauthorisedAbsence: counts.unauthorisedAbsence,
    daysMissed: absent / 2,
    attendancePerc: ((possible - absent) * 100) / possible,
    previousAttendancePerc: 90,
    trend: 'declining',
    mainReasons: [{ code: 'I', sessions: Math.ceil(absent / 2) }, { code: 'O', sessions: Math.floor(absent / 3) }],
    flags: surname === 'Example' ? ['FSM', 'SEN support', 'Child with a social worker'] : ['FSM'],
    pattern: ['Monday morning: 6 sessions', 'Friday afternoon: 4 sessions'],
    familySummary: familySummary(counts, { name: 'Alex' }),
    actions,
  };
}

/** A small pack with every section, cohorts, comparisons and an earlier action with its impact. */
export function samplePack(): TsmPack {
  const before = { ...emptySummary(), possibleSessions: 100, presentSessions: 70, overallAbsence: 30, authorisedAbsence: 30 };
  const after = { ...emptySummary(), possibleSessions: 100, presentSessions: 85, overallAbsence: 15, authorisedAbsence: 15 };
  const action: TsmActionFollowUp = {
    id: '00000000-0000-0000-0000-000000000001',
    meetingId: '00000000-0000-0000-0000-000000000002',
    meetingDate: '2024-11-20',
    academicYear: '2024/25',
    term: 'autumn',
    upn: 'A123456789012',
    cohort: null,
    tier: 'targeted',
    actionType: 'family_meeting',
    owner: 'Head of year',
    reviewDate: '2024-12-11',
    status: 'done',
    notes: null,
    impact: actionImpact(before, after),
    overdue: false,
  };
  return {
    urn: 999001,
    schoolName: 'Oak Hill Primary',
    academicYear: '2024/25',
    term: 'spring',
    generatedOn: '2025-04-02',
    pupils: [
      pupil('A123456789012', 'Example', 'severe', ['severe'], 64, [action]),
      pupil('B123456789012', 'Sample', 'persistent', ['persistent', 'decliningFast'], 30),
      pupil('C123456789012', 'Test', 'persistent', ['persistent'], 14),
      pupil('D123456789012', 'Trial', 'atRisk', ['absence5to10'], 8),
    ],
    cohorts: [
      { cohort: 'Free school meals', pupils: 40, attendancePerc: 88.2, persistentPerc: 31.5 },
      { cohort: 'SEN support', pupils: 25, attendancePerc: 87.1, persistentPerc: 35 },
    ],
    comparisons: [
      { kind: 'school', label: 'Oak Hill Primary', overallAbsencePerc: 6.9, persistentPerc: 15.2, severePerc: 1.1, note: null },
      { kind: 'similar', label: 'Similar schools (28)', overallAbsencePerc: 5.8, persistentPerc: 12.9, severePerc: 0.8, note: 'The 30 primary schools of the LA nearest to this one; 28 of them have a return this term, and their figures are pooled.' },
      { kind: 'la', label: 'Local authority', overallAbsencePerc: 6.0, persistentPerc: 13.4, severePerc: 0.9, note: 'Every school of the LA with a return this term, pooled.' },
      { kind: 'england', label: 'England', overallAbsencePerc: 5.5, persistentPerc: 12.1, severePerc: null, note: "DfE's published figures for England, primary schools, spring term 2024/25. DfE does not publish severe absence in these files." },
    ],
    stored: { builtAt: '2025-04-01T07:10:00.000Z', sourceSubmissionId: '00000000-0000-0000-0000-000000000003', returnLoadedAt: '2025-04-01T07:09:30.000Z', severe: 1, persistent: 2, atRisk: 1 },
    cohortActions: [],
  };
}
