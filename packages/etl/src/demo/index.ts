import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  BandModel,
  allocateAndPlace,
  bandSchoolType,
  calibrationMap,
  daySamplers,
  eesPhase,
  initialiseMarks,
  placeAttendanceCodes,
  recordAmendments,
  type EesPhase,
  type PhaseGroup,
} from './absence.js';
import { academicYearsEnding, buildCalendar, type SchoolCalendar, type Term } from './calendar.js';
import { carryPropensity, covidRegisters, nextYearRoll, targetsFor, tokensFor } from './history.js';
import {
  UpnAllocator,
  newEnrolment,
  pupilFactory,
  toSchool,
  usualAdmission,
  type Enrolment,
  type Pupil,
  type School,
} from './population.js';
import { loadPublicInputs, PUBLIC_FILES } from './public-data.js';
import { Rng } from './rng.js';
import { CARE_RATES, OUT_OF_AREA_SHARE, careDates, chooseCareChildren, writeSocialCare, type CareChild } from './social-care.js';
import { writeReturn } from './write-returns.js';

export { isValidUpn, upnCheckLetter } from './upn.js';

export interface DemoOptions {
  /** Folder to write everything under, e.g. `<data dir>/demo`. Its generated sub-folders are replaced. */
  outDir: string;
  /** The public data folder (DfE files), e.g. `/work/shared/data`. */
  publicDataDir: string;
  /** LA number; default 332 (Dudley). */
  laCode?: number;
  /** Total pupils on the LA's rolls; default the LA's real headcount from the school list. */
  pupils?: number;
  /** PRNG seed; the same options give byte-identical files. Default 1. */
  seed?: number;
  /** The last (or only) academic year; default '2024/25'. Calendars exist for 2019/20 to 2024/25. */
  academicYear?: string;
  /**
   * Academic years of history, ending with `academicYear`; default 1. Pupils move up a year
   * group each year (Year 6 to secondary school, new reception classes), each year's registers use
   * that year's codes (COVID-19 closures in 2019/20 and 2020/21), and absence follows the national
   * trend around the pandemic. Social-care files cover the last year.
   */
  years?: number;
  onProgress?: (p: { stage: string; done: number; total: number }) => void;
}

export interface DemoSummary {
  laCode: number;
  laName: string;
  /** The last academic year. */
  academicYear: string;
  /** Every academic year written, oldest first. */
  academicYears: string[];
  /** LA schools with returns. */
  schools: number;
  /** Distinct pupils on the LA schools' rolls over the years. */
  pupils: number;
  /** Mark rows written, in LA returns and out-of-area returns. */
  marks: number;
  /** Return folders written, in `returns/` and `out-of-area/`. */
  returns: number;
  outDir: string;
}

const TERMS: Term[] = ['autumn', 'spring', 'summer'];

/**
 * Generates a synthetic but realistic LA: a termly return per school for each academic year,
 * built on the LA's real schools and calibrated to its published 2024/25 attendance (earlier
 * years to the national trend), plus linked social-care files for the last year. Deterministic
 * for a seed. Writes nothing to stdout; reports via `onProgress`.
 */
export async function generateDemo(opts: DemoOptions): Promise<DemoSummary> {
  const laCode = opts.laCode ?? 332;
  const seed = opts.seed ?? 1;
  const academicYear = opts.academicYear ?? '2024/25';
  const years = academicYearsEnding(academicYear, opts.years ?? 1);
  const calendars = years.map(buildCalendar);
  const report = opts.onProgress ?? (() => undefined);
  const history = years.length > 1;
  // Random streams of the last year keep the labels they had before history, so a one-year demo
  // is unchanged; earlier years add their year to the label.
  const label = (name: string, year: string) => (year === academicYear ? name : `${name}-${year}`);

  report({ stage: 'public data', done: 0, total: 1 });
  const inputs = await loadPublicInputs(opts.publicDataDir, laCode);
  report({ stage: 'public data', done: 1, total: 1 });
  const rng = new Rng(seed);
  const bands = new BandModel(inputs.bands);

  // --- schools ---------------------------------------------------------------------------------
  const laPublic = inputs.regionSchools.filter((s) => s.laCode === laCode);
  const realSize = laPublic.reduce((a, s) => a + (s.headcount ?? 0), 0);
  const scale = opts.pupils ? opts.pupils / realSize : 1;
  const schools = laPublic
    .map((s) => toSchool(s, scale, calendars[0], rng.fork(`school-${s.urn}`), false))
    .filter((s) => s.headcount > 0);
  const insetPattern = new Map(schools.map((s) => [s.urn, calendars[0].insetPatterns.indexOf(s.inset)]));
  const upns = new UpnAllocator(rng.fork('upn'));
  const primaryEstabs = schools.filter((s) => s.phase === 'primary').map((s) => s.laestab % 10000);

  const outDir = path.resolve(opts.outDir);
  for (const sub of ['returns', 'out-of-area', 'social-care', 'manifest.json']) {
    rmSync(path.join(outDir, sub), { recursive: true, force: true });
  }
  mkdirSync(outDir, { recursive: true });

  let pupils: Pupil[] = [];
  let nextId = 1;
  const seen = new Set<number>();
  let marks = 0;
  let returns = 0;
  let care: CareChild[] = [];
  const outOfArea = new Map<number, School>();
  for (const [k, year] of years.entries()) {
    const cal = calendars[k];
    const lastDay = cal.days.length - 1;
    const yearStart = cal.days[0].date;
    const yearEnd = cal.days[lastDay].date;
    const final = year === academicYear;
    const stage = (name: string) => (history ? `${name} ${year}` : name);
    for (const s of schools) s.inset = cal.insetPatterns[insetPattern.get(s.urn)!];

    // --- pupils: a new LA in the first year, the year before moved up in the next ---------------
    const factory = pupilFactory(rng.fork(label('pupils', year)), year, upns, laCode, primaryEstabs, nextId);
    const enrolRng = rng.fork(label('enrolments', year));
    const continuing = new Set<Pupil>();
    if (k === 0) {
      pupils = [];
      schools.forEach((school, i) => {
        for (const [ncYear, n] of school.yearSizes) {
          for (let j = 0; j < n; j++) {
            const p = factory.make(school, ncYear);
            newEnrolment(p, school, cal, 0, lastDay, usualAdmission(school, ncYear, year, enrolRng));
            pupils.push(p);
          }
        }
        report({ stage: stage('pupils'), done: i + 1, total: schools.length });
      });
    } else {
      const roll = nextYearRoll(pupils, schools, calendars[k - 1].days.length - 1, year, factory, enrolRng);
      pupils = roll.map((r) => {
        newEnrolment(r.pupil, r.school, cal, 0, lastDay, r.admission);
        if (r.continuing) continuing.add(r.pupil);
        return r.pupil;
      });
      report({ stage: stage('pupils'), done: 1, total: 1 });
    }
    mobility(pupils, schools, cal, rng.fork(label('mobility', year)), continuing);
    dualRegistrations(pupils, schools, cal, rng.fork(label('dual', year)));
    for (const p of pupils) seen.add(p.id);

    // --- children with a social worker, some looked after out of area (the last year) ---------
    if (final) {
      const careRng = rng.fork('care');
      care = chooseCareChildren(pupils, careRng, yearStart, yearEnd);
      const outSchools = inputs.regionSchools.filter((s) => s.laCode !== laCode && s.phaseType !== 'State-funded special school');
      const outChildren = Math.round(pupils.length * CARE_RATES.CLA * OUT_OF_AREA_SHARE);
      let idSeq = 700000 + careRng.int(0, 9999);
      for (let i = 0; i < outChildren && outSchools.length > 0; i++) {
        const ncYear = careRng.int(1, 11);
        const wanted = ncYear <= 6 ? 'State-funded primary' : 'State-funded secondary';
        const choices = outSchools.filter((s) => s.phaseType === wanted);
        const pub = careRng.pick(choices.length > 0 ? choices : outSchools);
        const school = outOfArea.get(pub.urn) ?? toSchool(pub, 1, cal, careRng.fork(`oa-${pub.urn}`), true);
        outOfArea.set(pub.urn, school);
        const p = factory.make(school, ncYear);
        p.care = 'CLA';
        const child = careDates({ pupil: p, status: 'CLA', laChildId: String(idSeq++ * 10 + careRng.int(0, 9)), from: '', to: '', outOfAreaSchool: school }, careRng, yearStart, yearEnd);
        // On the out-of-area school's roll from the placement start (or the start of the year).
        const firstIdx = cal.days.findIndex((d) => d.date >= child.from);
        const first = child.from <= yearStart ? 0 : Math.max(0, firstIdx);
        newEnrolment(p, school, cal, first, lastDay, child.from <= yearStart ? usualAdmission(school, ncYear, year, careRng) : cal.days[first].date);
        care.push(child);
      }
    }
    for (const p of [...pupils, ...care.map((c) => c.pupil)]) nextId = Math.max(nextId, p.id + 1);

    // --- absence propensity, calibrated to the LA's published 2024/25 figures (and the trend) --
    const propRng = rng.fork(label('propensity', year));
    const allPupils = [...pupils, ...care.filter((c) => c.outOfAreaSchool).map((c) => c.pupil)];
    for (const p of allPupils) {
      // Children with a social worker miss more school (DfE outcomes of children in need):
      // the best of two or three draws shifts them up their cohort's distribution.
      const draws = p.care === 'CLA' ? 2 : p.care ? 3 : 1;
      let u = continuing.has(p) ? carryPropensity(p.propensity, propRng) : 0;
      for (let j = continuing.has(p) ? 1 : 0; j < draws; j++) u = Math.max(u, propRng.next());
      p.propensity = u;
    }
    const enrolments: Enrolment[] = allPupils.flatMap((p) => p.enrolments);
    for (const e of enrolments) {
      initialiseMarks(e, cal);
      const p = e.pupil;
      const cum = bands.cumulative(bandSchoolType(e.school.phase, p.ncYear, e.school.allThrough), p.fsm, p.sen, p.sex, p.ncYear);
      e.rate = BandModel.rateAt(cum, p.propensity);
    }
    const groups: PhaseGroup[] = [];
    for (const target of targetsFor(inputs.targets, year)) {
      const members = enrolments.filter((e) => eesPhase(e.school.phase) === target.schoolType);
      const inScope = members.filter((e) => !e.school.outOfArea && e.pupil.ncYear >= 1 && e.pupil.ncYear <= 11 && e.possible > 0);
      const map = calibrationMap(
        Float64Array.from(inScope, (e) => e.rate),
        Float64Array.from(inScope, (e) => e.possible),
        target.overallAbsencePerc / 100,
        target.paPerc / 100,
      );
      for (const e of members) e.rate = map(e.rate);
      groups.push({ phase: target.schoolType as EesPhase, target, enrolments: members });
    }

    const samplers = daySamplers(cal);
    groups.forEach((g, i) => {
      const r = rng.fork(label(`absence-${g.phase}`, year));
      allocateAndPlace(g, cal, samplers, r);
      placeAttendanceCodes(g, cal, r);
      for (const e of g.enrolments) recordAmendments(e, cal, r);
      report({ stage: stage('absence'), done: i + 1, total: groups.length });
    });
    covidRegisters(enrolments, cal, rng.fork(`covid-${year}`));

    // --- files -------------------------------------------------------------------------------
    const bySchool = new Map<number, Enrolment[]>();
    for (const e of enrolments) {
      const list = bySchool.get(e.school.urn) ?? [];
      list.push(e);
      bySchool.set(e.school.urn, list);
    }
    const tokens = tokensFor(year);
    const allSchools = final ? [...schools, ...outOfArea.values()] : schools;
    allSchools.forEach((school, i) => {
      const base = path.join(outDir, school.outOfArea ? 'out-of-area' : 'returns');
      for (const term of TERMS) {
        const written = writeReturn(base, school, bySchool.get(school.urn) ?? [], cal, term, tokens);
        if (written) {
          marks += written.marks;
          returns++;
        }
      }
      report({ stage: stage('returns'), done: i + 1, total: allSchools.length });
    });
  }

  const cal = calendars.at(-1)!;
  const yearStart = cal.days[0].date;
  const yearEnd = cal.days.at(-1)!.date;
  const homeOutward = [...new Set(schools.map((s) => s.postcode.split(' ')[0]).filter(Boolean))].sort();
  const social = writeSocialCare(outDir, care, laCode, rng.fork('social-care-files'), yearStart, yearEnd, homeOutward.length ? homeOutward : ['DY1']);
  report({ stage: 'social care', done: 1, total: 1 });

  const summary: DemoSummary = {
    laCode,
    laName: inputs.laName,
    academicYear,
    academicYears: years,
    schools: schools.length,
    pupils: seen.size,
    marks,
    returns,
    outDir,
  };
  const manifest = {
    generator: 'rollbook demo',
    options: { laCode, pupils: opts.pupils ?? null, seed, academicYear, years: years.length },
    summary,
    sources: { ...PUBLIC_FILES, absenceBandsYear: inputs.bandsYear },
    calendar: { firstDay: yearStart, lastDay: yearEnd, registerDays: cal.days.length, insetPatterns: cal.insetPatterns.map((p) => p.map((d) => cal.days[d].date)) },
    schools: schools.map((s) => ({ urn: s.urn, name: s.name, phase: s.allThrough ? 'all-through' : s.phase, pupils: s.headcount })),
    outOfAreaSchools: [...outOfArea.values()].map((s) => ({ urn: s.urn, name: s.name, laCode: s.laCode })),
    socialCare: social,
  };
  writeFileSync(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return summary;
}

/**
 * In-year admissions and leavers, and moves between the LA's schools (same UPN, new enrolment).
 * Pupils on roll the year before (`continuing`) are not admitted in-year.
 */
function mobility(pupils: Pupil[], schools: School[], cal: SchoolCalendar, rng: Rng, continuing: Set<Pupil>): void {
  const last = cal.days.length - 1;
  const byPhase = new Map<string, School[]>();
  for (const s of schools) byPhase.set(s.phase, [...(byPhase.get(s.phase) ?? []), s]);
  for (const p of pupils) {
    const e = p.enrolments[0];
    const r = rng.next();
    if (r < 0.025) {
      if (continuing.has(p)) continue;
      e.first = rng.int(5, last - 15);
      e.admissionDate = cal.days[e.first].date;
    } else if (r < 0.05) {
      e.last = rng.int(10, last - 5);
      e.leavingDate = cal.days[e.last].date;
    } else if (r < 0.06 && e.school.phase !== 'special') {
      const others = (byPhase.get(e.school.phase) ?? []).filter((s) => s !== e.school && s.yearSizes.has(p.ncYear));
      if (others.length === 0) continue;
      e.last = rng.int(10, last - 30);
      e.leavingDate = cal.days[e.last].date;
      const first = Math.min(last, e.last + rng.int(3, 15));
      newEnrolment(p, rng.pick(others), cal, first, last, cal.days[first].date);
    }
  }
}

/** A few secondary pupils dual-registered with a special school for two days a week. */
function dualRegistrations(pupils: Pupil[], schools: School[], cal: SchoolCalendar, rng: Rng): void {
  const specials = schools.filter((s) => s.phase === 'special');
  if (specials.length === 0) return;
  for (const p of pupils) {
    if (p.enrolments.length !== 1 || p.ncYear < 8 || p.ncYear > 11) continue;
    const main = p.enrolments[0];
    if (main.school.phase !== 'secondary' || !rng.chance(0.004)) continue;
    const away = rng.shuffle([1, 2, 3, 4, 5]).slice(0, 2).sort();
    main.status = 'M';
    main.dualWeekdays = away;
    const sub = newEnrolment(p, rng.pick(specials), cal, main.first, main.last, main.admissionDate, 'S');
    sub.leavingDate = main.leavingDate;
    sub.dualWeekdays = [1, 2, 3, 4, 5].filter((d) => !away.includes(d));
  }
}

