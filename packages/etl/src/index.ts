/**
 * @rollbook/etl — readers, validators, the lake writer and the marts. The CLI (`rollbook`) and the
 * API's upload endpoint both go through these functions.
 */
export { dataLayout, ensureLayout, partitionPath, type DataLayout, type ReturnPartition } from './layout.js';
export { WAREHOUSE_VERSION_FILE } from './lake/commit.js';
export { openDuck, withDuck, sqlIdent, sqlString, type Duck } from './duckdb.js';
export { formatProblem, formatProblems, InputRejectedError, type Problem, type Severity } from './problems.js';
export { discover, loadPath, type LoadItem, type LoadOptions, type LoadProgress, type LoadSummary } from './load.js';
export { loadReturn, loadReturns, type ReturnReport } from './returns/load-returns.js';
export { returnFilesFromFolder, returnFilesFromZip, type ReturnFiles } from './returns/source.js';
export { hashInput, PURGE_SUBMISSION_KIND, recordSubmission, submissionsDir, type SubmissionRecord, type SubmittedBy } from './submissions.js';
export { detectSchoolList, loadSchoolList, type SchoolListKind } from './school-list/load-school-list.js';
export { isValidUpn, upnCheckLetter } from './demo/upn.js';
export { loadPublished, detectPublished, SUPPRESSION_MARKERS, type PublishedLoadResult } from './published/published-statistics.js';
export { loadNeighbours, detectNeighbours, type NeighboursLoadResult } from './published/statistical-neighbours.js';
export {
  publishedComparators,
  exportBenchmarks,
  benchmarkCsv,
  BENCHMARK_EXPORT_COLUMNS,
  BenchmarksUnavailableError,
  type PublishedComparatorRow,
  type PublishedComparatorOptions,
  type NeighbourValue,
} from './benchmarks/published-comparators.js';
export { laAgainstComparators, type LaComparatorRow, type LaComparatorOptions } from './benchmarks/la-comparators.js';
export { similarSchoolsFor, whereToHelpFirst, schoolCharacteristics, type SimilarSchoolsResult, type SimilarSchoolRow, type SimilarSchoolsOptions } from './benchmarks/schools.js';
