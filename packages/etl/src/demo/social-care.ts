import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FORENAMES_F, FORENAMES_M, SURNAMES } from './names.js';
import type { CareStatus, Pupil, School } from './population.js';
import type { Rng } from './rng.js';

/** Children with a social worker, per pupil on roll (roughly the national shares of pupils). */
export const CARE_RATES: Record<CareStatus, number> = { CLA: 0.006, CPP: 0.004, CIN: 0.008 };
/** Share of looked-after children placed in schools outside the LA. */
export const OUT_OF_AREA_SHARE = 0.25;

export interface CareChild {
  pupil: Pupil;
  status: CareStatus;
  laChildId: string;
  /** Looked after / plan from … to (YYYY-MM-DD); `to` empty when still open at the year's end. */
  from: string;
  to: string;
  outOfAreaSchool: School | null;
}

const TEAMS = [
  'Children in Care 1',
  'Children in Care 2',
  'Child Protection and Court',
  'Assessment and Intervention',
  'Children in Need',
  'Children with Disabilities',
];

export interface Worker {
  id: string;
  name: string;
  email: string;
  team: string;
}

export function makeWorkers(rng: Rng, count = 30): Worker[] {
  const workers: Worker[] = [];
  for (let i = 0; i < count; i++) {
    const forename = rng.pick(rng.chance(0.8) ? FORENAMES_F : FORENAMES_M);
    const surname = rng.pick(SURNAMES);
    workers.push({
      id: `SW${String(1001 + i)}`,
      name: `${forename} ${surname}`,
      email: `${forename}.${surname}${i}@demo-la.example`.toLowerCase(),
      team: TEAMS[i % TEAMS.length],
    });
  }
  return workers;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function randomDate(rng: Rng, from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return new Date(a + Math.floor(rng.next() * ((b - a) / 86_400_000 + 1)) * 86_400_000).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` → `DD/MM/YYYY` (SSDA903). */
function dmy(date: string): string {
  return date ? `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}` : '';
}

function postcode(rng: Rng, outward: string): string {
  const letters = 'ABDEFGHJLNPQRSTUWXYZ';
  return `${outward} ${rng.int(1, 9)}${rng.pick([...letters])}${rng.pick([...letters])}`;
}

/**
 * Picks the children with a social worker among the LA's pupils (more often FSM or SEN), and
 * decides the dates of their status in the academic year `[yearStart, yearEnd]`.
 */
export function chooseCareChildren(
  pupils: Pupil[],
  rng: Rng,
  yearStart: string,
  yearEnd: string,
): CareChild[] {
  const candidates = pupils
    .filter((p) => p.ncYear >= 0 && p.enrolments.length > 0)
    .map((p) => ({ p, k: Math.log(rng.next() + 1e-12) / ((p.fsm ? 3 : 1) * (p.sen !== 'N' ? 2 : 1)) }))
    .sort((a, b) => b.k - a.k)
    .map((x) => x.p);
  const children: CareChild[] = [];
  let next = 0;
  let idSeq = 400000 + rng.int(0, 9999);
  for (const status of ['CLA', 'CPP', 'CIN'] as CareStatus[]) {
    const inLa = Math.round(pupils.length * CARE_RATES[status] * (status === 'CLA' ? 1 - OUT_OF_AREA_SHARE : 1));
    for (let i = 0; i < inLa && next < candidates.length; i++) {
      const pupil = candidates[next++];
      pupil.care = status;
      children.push(careDates({ pupil, status, laChildId: String(idSeq++ * 10 + rng.int(0, 9)), from: '', to: '', outOfAreaSchool: null }, rng, yearStart, yearEnd));
    }
  }
  return children;
}

export function careDates(child: CareChild, rng: Rng, yearStart: string, yearEnd: string): CareChild {
  const r = rng.next();
  const earliest = addDays(child.pupil.dob, 30);
  if (r < 0.78) child.from = randomDate(rng, earliest > '2017-01-01' ? earliest : '2017-01-01', addDays(yearStart, -1));
  else child.from = randomDate(rng, yearStart, addDays(yearEnd, -60));
  if (child.from < earliest) child.from = earliest;
  child.to = r >= 0.9 || (child.status !== 'CLA' && rng.chance(0.25)) ? randomDate(rng, child.from > yearStart ? addDays(child.from, 40) : yearStart, yearEnd) : '';
  if (child.to && child.to > yearEnd) child.to = '';
  return child;
}

const CIN_CODES: [string, number][] = [['N1', 60], ['N4', 15], ['N2', 5], ['N3', 4], ['N5', 6], ['N6', 3], ['N8', 5], ['N7', 2]];
const LS_CODES: [string, number][] = [['C2', 70], ['V2', 18], ['E1', 5], ['C1', 5], ['J2', 2]];

function pickW(rng: Rng, t: [string, number][]): string {
  return t[rng.weighted(t.map(([, w]) => w))][0];
}

export interface SocialCareWritten {
  children: number;
  lookedAfter: number;
  outOfArea: number;
}

/**
 * Writes SSDA903 `header.csv`, `episodes.csv`, `sw_episodes.csv` (FORMATS.md §3, dates DD/MM/YYYY),
 * the CIN census XML, and `caseloads.csv`, all linked by UPN and LA child id.
 */
export function writeSocialCare(
  outDir: string,
  children: CareChild[],
  laCode: number,
  rng: Rng,
  yearStart: string,
  yearEnd: string,
  homeOutward: string[],
): SocialCareWritten {
  const base = path.join(outDir, 'social-care');
  mkdirSync(path.join(base, 'ssda903'), { recursive: true });
  mkdirSync(path.join(base, 'cin'), { recursive: true });
  const workers = makeWorkers(rng);
  const teamOf = (status: CareStatus, p: Pupil) =>
    status === 'CLA' ? (rng.chance(0.5) ? TEAMS[0] : TEAMS[1]) : status === 'CPP' ? TEAMS[2] : p.sen === 'E' ? TEAMS[5] : rng.chance(0.5) ? TEAMS[3] : TEAMS[4];

  const header = ['CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n'];
  const episodes = ['CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n'];
  const swEpisodes = ['CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\n'];
  const caseloads = ['worker_id,worker_name,worker_email,team,la_child_id,upn,start_date,end_date\n'];
  const cin: string[] = [];

  for (const c of children) {
    const p = c.pupil;
    const team = teamOf(c.status, p);
    const teamWorkers = workers.filter((w) => w.team === team);
    // Allocations: some children changed social worker during the year.
    const allocations: { w: Worker; from: string; to: string }[] = [];
    const allocFrom = c.from > yearStart ? c.from : randomDate(rng, c.from, yearStart);
    if (rng.chance(0.25)) {
      const change = randomDate(rng, allocFrom > yearStart ? allocFrom : yearStart, addDays(yearEnd, -20));
      const [w1, w2] = rng.shuffle([...teamWorkers]).slice(0, 2);
      allocations.push({ w: w1, from: allocFrom, to: change }, { w: w2, from: addDays(change, 1), to: c.to });
    } else {
      allocations.push({ w: rng.pick(teamWorkers), from: allocFrom, to: c.to });
    }
    for (const a of allocations) {
      caseloads.push(`${a.w.id},${a.w.name},${a.w.email},${team},${c.laChildId},${p.upn},${a.from},${a.to}\n`);
    }
    const homePost = postcode(rng, rng.pick(homeOutward));

    if (c.status === 'CLA') {
      header.push(`${c.laChildId},${p.sex === 'M' ? 1 : 2},${dmy(p.dob)},${p.ethnicity},${p.upn},,\n`);
      const ls = pickW(rng, LS_CODES);
      const need = pickW(rng, CIN_CODES);
      // Episodes: the start of care, then perhaps placement changes; the last stays open unless care ended.
      const changes = rng.chance(0.35) ? rng.int(1, 2) : 0;
      const starts = [c.from];
      for (let i = 0; i < changes; i++) {
        const prev = starts[starts.length - 1];
        const end = c.to || yearEnd;
        if (addDays(prev, 30) >= end) break;
        starts.push(randomDate(rng, addDays(prev, 30), addDays(end, -1)));
      }
      starts.forEach((start, i) => {
        const last = i === starts.length - 1;
        const out = last && c.outOfAreaSchool !== null;
        const place = out ? pickW(rng, [['U4', 5], ['U5', 2], ['K2', 2]]) : pickW(rng, [['U1', 3], ['U4', 8], ['U5', 3], ['U6', 1], ['K2', 2], ['R1', 1]]);
        const provider = place === 'R1' ? 'PR0' : place === 'K2' || out ? 'PR4' : 'PR1';
        const plPost = out ? postcode(rng, c.outOfAreaSchool!.postcode.split(' ')[0] || 'B1') : postcode(rng, rng.pick(homeOutward));
        const dec = last ? c.to : starts[i + 1];
        const rec = last ? (c.to ? 'E4A' : '') : 'X1';
        const rpc = last ? '' : rng.pick(['CARPL', 'PLACE', 'LAREQ', 'CHILD', 'OTHER']);
        const urn = place === 'K2' ? `SC${rng.int(100000, 999999)}` : 'XXXXXXX';
        episodes.push(
          `${c.laChildId},${dmy(start)},${i === 0 ? 'S' : 'P'},${ls},${need},${place},${provider},${dmy(dec)},${rec},${rpc},${homePost},${plPost},${urn}\n`,
        );
      });
      for (const a of allocations) {
        const reason = a.to ? rng.pick(['MGRJB', 'CHCLC', 'OTHRS', 'FCONT']) : '';
        swEpisodes.push(`${c.laChildId},${dmy(p.dob)},${a.w.id},${dmy(a.from)},${dmy(a.to)},${reason}\n`);
      }
    }
    // The CIN census year ends on 31 March: children referred after it wait for next year's census.
    const xml = cinChild(c, rng, yearStart);
    if (xml) cin.push(xml);
  }

  writeFileSync(path.join(base, 'ssda903', 'header.csv'), header.join(''));
  writeFileSync(path.join(base, 'ssda903', 'episodes.csv'), episodes.join(''));
  writeFileSync(path.join(base, 'ssda903', 'sw_episodes.csv'), swEpisodes.join(''));
  writeFileSync(path.join(base, 'caseloads.csv'), caseloads.join(''));
  const censusYear = Number(yearEnd.slice(0, 4));
  writeFileSync(
    path.join(base, 'cin', 'cin-census.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n  <Header>\n    <CollectionDetails>\n      <Collection>CIN</Collection>\n` +
      `      <Year>${censusYear}</Year>\n      <ReferenceDate>${censusYear}-03-31</ReferenceDate>\n    </CollectionDetails>\n` +
      `    <Source>\n      <SourceLevel>L</SourceLevel>\n      <LEA>${laCode}</LEA>\n      <SoftwareCode>Rollbook demo</SoftwareCode>\n` +
      `      <Release>1</Release>\n      <SerialNo>001</SerialNo>\n      <DateTime>${censusYear}-04-15T09:00:00</DateTime>\n    </Source>\n  </Header>\n` +
      `  <Children>\n${cin.join('')}  </Children>\n</Message>\n`,
  );
  return {
    children: children.length,
    lookedAfter: children.filter((c) => c.status === 'CLA').length,
    outOfArea: children.filter((c) => c.outOfAreaSchool !== null).length,
  };
}

/** One `<Child>` of the CIN census (period 1 April – 31 March; dates after 31 March are left out). */
function cinChild(c: CareChild, rng: Rng, yearStart: string): string | null {
  const p = c.pupil;
  const refDate = `${Number(yearStart.slice(0, 4)) + 1}-03-31`;
  const referral = c.status === 'CLA' ? addDays(c.from, -rng.int(20, 200)) : c.from;
  if (referral > refDate) return null;
  const closure = c.to && c.to <= refDate ? c.to : '';
  const lines: string[] = [];
  const el = (indent: number, name: string, value: string) => lines.push(`${' '.repeat(indent)}<${name}>${value}</${name}>\n`);
  lines.push('    <Child>\n      <ChildIdentifiers>\n');
  el(8, 'LAchildID', c.laChildId);
  el(8, 'UPN', p.upn);
  el(8, 'PersonBirthDate', p.dob);
  el(8, 'Sex', p.sex);
  lines.push('      </ChildIdentifiers>\n      <ChildCharacteristics>\n');
  el(8, 'Ethnicity', p.ethnicity);
  lines.push('        <Disabilities>\n');
  el(10, 'Disability', p.sen === 'E' ? rng.pick(['LD', 'AUT', 'COMM', 'BEH']) : 'NONE');
  lines.push('        </Disabilities>\n      </ChildCharacteristics>\n      <CINdetails>\n');
  el(8, 'CINreferralDate', referral);
  el(8, 'ReferralSource', rng.pick(['1A', '2A', '3A', '5A', '5B', '6', '9']));
  el(8, 'PrimaryNeedCode', pickW(rng, CIN_CODES));
  if (closure) {
    el(8, 'CINclosureDate', closure);
    el(8, 'ReasonForClosure', rng.pick(['RC1', 'RC2', 'RC8']));
  }
  const assessment = addDays(referral, rng.int(1, 10));
  lines.push('        <Assessments>\n');
  el(10, 'AssessmentActualStartDate', assessment);
  el(10, 'AssessmentAuthorisationDate', addDays(assessment, rng.int(10, 44)));
  lines.push('          <FactorsIdentifiedAtAssessment>\n');
  for (const f of rng.shuffle(['1C', '2B', '3B', '4B', '6B', '8B', '21', '22A']).slice(0, rng.int(1, 3))) el(12, 'AssessmentFactors', f);
  lines.push('          </FactorsIdentifiedAtAssessment>\n        </Assessments>\n');
  if (c.status === 'CIN') {
    lines.push('        <CINPlanDates>\n');
    el(10, 'CINPlanStartDate', addDays(referral, rng.int(30, 60)));
    if (closure) el(10, 'CINPlanEndDate', closure);
    lines.push('        </CINPlanDates>\n');
  }
  el(8, 'ReferralNFA', 'false');
  if (c.status === 'CPP') {
    const s47 = addDays(referral, rng.int(1, 5));
    lines.push('        <Section47>\n');
    el(10, 'S47ActualStartDate', s47);
    el(10, 'InitialCPCtarget', addDays(s47, 15));
    el(10, 'DateOfInitialCPC', addDays(s47, rng.int(8, 15)));
    el(10, 'ICPCnotRequired', 'false');
    lines.push('        </Section47>\n        <ChildProtectionPlans>\n');
    const cppStart = addDays(s47, rng.int(10, 15));
    el(10, 'CPPstartDate', cppStart);
    if (closure) el(10, 'CPPendDate', closure);
    const cat = rng.pick(['NEG', 'EMO', 'PHY', 'SAB', 'MUL']);
    el(10, 'InitialCategoryOfAbuse', cat);
    el(10, 'LatestCategoryOfAbuse', cat);
    el(10, 'NumberOfPreviousCPP', String(rng.chance(0.8) ? 0 : 1));
    if (addDays(cppStart, 90) <= refDate) {
      lines.push('          <Reviews>\n');
      el(12, 'CPPreviewDate', addDays(cppStart, 90));
      lines.push('          </Reviews>\n');
    }
    lines.push('        </ChildProtectionPlans>\n');
  }
  lines.push('      </CINdetails>\n    </Child>\n');
  return lines.join('');
}
