/**
 * @rollbook/etl — readers, validators, the lake writer and the marts. The CLI (`rollbook`) and the
 * API's upload endpoint both go through these functions.
 */
export { dataLayout, ensureLayout, partitionPath, type DataLayout, type ReturnPartition } from './layout.js';
export { openDuck, withDuck, sqlIdent, sqlString, type Duck } from './duckdb.js';
export { formatProblem, formatProblems, InputRejectedError, type Problem, type Severity } from './problems.js';
export { discover, loadPath, type LoadItem, type LoadOptions, type LoadProgress, type LoadSummary } from './load.js';
export { loadReturn, type ReturnReport } from './returns/load-return.js';
export { returnFilesFromFolder, returnFilesFromZip, type ReturnFiles } from './returns/source.js';
export { detectSchoolList, loadSchoolList, type SchoolListKind } from './school-list/load-school-list.js';
export { isValidUpn, upnCheckLetter } from './demo/upn.js';
