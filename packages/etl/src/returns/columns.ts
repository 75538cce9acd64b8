import type { ColumnSpec } from '../csv.js';

/** FORMATS.md §2 — the termly return's files and their columns. */
export const PUPIL_COLUMNS: ColumnSpec[] = [
  { name: 'urn', required: true },
  { name: 'upn', required: true },
  { name: 'forename', required: true },
  { name: 'surname', required: true },
  { name: 'dob', required: true },
  { name: 'sex', required: true },
  { name: 'ethnicity', required: true },
  { name: 'nc_year', required: true },
  { name: 'admission_date', required: true },
  { name: 'leaving_date', required: true },
  { name: 'enrol_status', required: true },
  { name: 'fsm', required: true },
  { name: 'fsm6', required: false },
  { name: 'sen_provision', required: true },
  { name: 'sen_primary_need', required: false },
  { name: 'eal', required: true },
  { name: 'boarder', required: false },
  { name: 'young_carer', required: false },
];

export const MARK_COLUMNS: ColumnSpec[] = [
  { name: 'urn', required: true },
  { name: 'upn', required: true },
  { name: 'date', required: true },
  { name: 'session', required: true },
  { name: 'mark', required: true },
  { name: 'minutes_late', required: false },
];

export const AMENDMENT_COLUMNS: ColumnSpec[] = [
  'urn', 'upn', 'date', 'session', 'original_mark', 'amended_mark', 'reason', 'amended_on', 'amended_by',
].map((name) => ({ name, required: true }));

export const SUSPENSION_COLUMNS: ColumnSpec[] = [
  { name: 'urn', required: true },
  { name: 'upn', required: true },
  { name: 'category', required: true },
  { name: 'start_date', required: true },
  { name: 'sessions', required: true },
  { name: 'reason', required: false },
];

export const NC_YEARS = ['N1', 'N2', 'R', ...Array.from({ length: 14 }, (_, i) => String(i + 1))];
export const ENROL_STATUSES = ['C', 'M', 'S', 'G'];
export const SEN_PROVISIONS = ['N', 'K', 'E'];
export const SEN_NEEDS = ['SPLD', 'MLD', 'SLD', 'PMLD', 'SEMH', 'SLCN', 'HI', 'VI', 'MSI', 'PD', 'ASD', 'OTH', 'NSA'];
