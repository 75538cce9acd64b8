import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { withDuck } from '../duckdb.js';
import { sqlFile } from '../sql.js';

/** One state-funded school from the DfE school-level census file. */
export interface PublicSchool {
  urn: number;
  laestab: number;
  name: string;
  laCode: number;
  laName: string;
  regionName: string;
  phaseType: string;
  typeOfEstablishment: string;
  postcode: string;
  headcount: number | null;
  compulsoryAgePupils: number | null;
  fsmPct: number | null;
  ealPct: number | null;
  whiteBritishPct: number | null;
}

/** Published 2024/25 figures for one phase of the LA (a row of EES_ytd_data). */
export interface PhaseTarget {
  schoolType: 'Primary' | 'Secondary' | 'Special';
  overallAbsencePerc: number;
  paPerc: number;
  possibleSessions: number;
  overallAbsence: number;
  totalEnrolments: number;
  /** Session counts by column name (`reason_i_authorised_illness`, …); NaN when suppressed. */
  reasons: Record<string, number>;
}

export interface BandCell {
  schoolType: string;
  fsm: string;
  sen: string;
  gender: string;
  ncYear: number | null;
  /** Pupils in bands 0–5, 5–10, …, 45–50, 50+ (% overall absence, lower bound inclusive). */
  counts: number[];
}

export interface PublicInputs {
  laCode: number;
  laName: string;
  regionSchools: PublicSchool[];
  targets: PhaseTarget[];
  bands: BandCell[];
  bandsYear: number;
}

export const PUBLIC_FILES = {
  schools: 'dfe/schools/spc_schools_202223_slim.csv.gz',
  attendance: 'dfe/attendance-2024-25/EES_ytd_data_202425.csv',
  bands: 'dfe/absence-distributions/absence_bands_distributions.zip',
} as const;

function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

async function extractSingleCsv(zipPath: string, toDir: string): Promise<string> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true }, (err, z) => (err || !z ? reject(err) : resolve(z))),
  );
  try {
    return await new Promise<string>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => reject(new Error(`no CSV in ${zipPath}`)));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.toLowerCase().endsWith('.csv')) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const target = path.join(toDir, 'bands.csv');
          pipeline(stream, createWriteStream(target)).then(() => resolve(target), reject);
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

/** Reads the school list, the LA's published 2024/25 figures and its latest absence bands. */
export async function loadPublicInputs(publicDataDir: string, laCode: number): Promise<PublicInputs> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'rollbook-demo-'));
  try {
    const bandsCsv = await extractSingleCsv(path.join(publicDataDir, PUBLIC_FILES.bands), tmp);
    return await withDuck(async (duck) => {
      const schoolRows = await duck.all(sqlFile('demo/schools.sql'), {
        path: path.join(publicDataDir, PUBLIC_FILES.schools),
        la: laCode,
      });
      const regionSchools: PublicSchool[] = schoolRows.map((r) => ({
        urn: Number(r.urn),
        laestab: Number(r.laestab),
        name: String(r.name),
        laCode: Number(r.la_code),
        laName: String(r.la_name),
        regionName: String(r.region_name),
        phaseType: String(r.phase_type),
        typeOfEstablishment: String(r.type_of_establishment),
        postcode: String(r.postcode ?? ''),
        headcount: num(r.headcount),
        compulsoryAgePupils: num(r.compulsory_age_pupils),
        fsmPct: num(r.fsm_pct),
        ealPct: num(r.eal_pct),
        whiteBritishPct: num(r.white_british_pct),
      }));
      const la = regionSchools.find((s) => s.laCode === laCode);
      if (!la) throw new Error(`LA ${laCode} has no state-funded schools in ${PUBLIC_FILES.schools}`);

      const targetRows = await duck.all(sqlFile('demo/attendance-targets.sql'), {
        path: path.join(publicDataDir, PUBLIC_FILES.attendance),
        la: laCode,
      });
      const targets: PhaseTarget[] = targetRows
        .filter((r) => ['Primary', 'Secondary', 'Special'].includes(String(r.school_type)))
        .map((r) => {
          const reasons: Record<string, number> = {};
          for (const [k, v] of Object.entries(r)) {
            if (k.startsWith('reason_')) reasons[k] = num(v) ?? Number.NaN;
          }
          return {
            schoolType: String(r.school_type) as PhaseTarget['schoolType'],
            overallAbsencePerc: Number(r.overall_absence_perc),
            paPerc: Number(r.pa_perc),
            possibleSessions: Number(r.possible_sessions),
            overallAbsence: Number(r.overall_absence),
            totalEnrolments: Number(r.total_enrolments),
            reasons,
          };
        });
      if (targets.length === 0) throw new Error(`LA ${laCode} is not in ${PUBLIC_FILES.attendance}`);

      const bandRows = await duck.all(sqlFile('demo/absence-bands.sql'), { path: bandsCsv, la: laCode });
      if (bandRows.length === 0) throw new Error(`LA ${laCode} is not in ${PUBLIC_FILES.bands}`);
      const bands: BandCell[] = bandRows.map((r) => ({
        schoolType: String(r.school_type),
        fsm: String(r.fsm_eligible),
        sen: String(r.sen_status),
        gender: String(r.gender),
        ncYear: num(r.nc_year),
        counts: (r.counts as unknown[]).map((c) => Number(c)),
      }));
      return {
        laCode,
        laName: la.laName,
        regionSchools,
        targets,
        bands,
        bandsYear: Number(bandRows[0].time_period),
      };
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
