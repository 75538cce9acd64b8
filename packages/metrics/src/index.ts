/**
 * `@rollbook/metrics` — the attendance rules, pure and I/O-free: the register-code table,
 * the academic calendar, the DfE session measures in TypeScript, and the same measures as
 * DuckDB SQL generated from the same table.
 */
export * from './calendar.js';
export * from './codes.js';
export * from './measures.js';
export * from './sql.js';
export * from './scope.js';
export * from './benchmarks/index.js';
export * from './triggers.js';
export * from './triggers-sql.js';
export * from './dfe-format.js';
export * from './patterns.js';
export * from './patterns-sql.js';
export * from './aggregates-sql.js';
export * from './tsm.js';
