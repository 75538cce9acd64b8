/**
 * A problem found in an input: data, never an exception swallowed. Every problem names the file,
 * the line (1-based, the header is line 1), the column and a stable code a school can look up.
 */
export type Severity = 'error' | 'warning';

export interface Problem {
  severity: Severity;
  code: string;
  file: string;
  line: number | null;
  column: string | null;
  message: string;
}

export class InputRejectedError extends Error {
  constructor(
    readonly what: string,
    readonly problems: Problem[],
  ) {
    const errors = problems.filter((p) => p.severity === 'error');
    super(`${what} rejected: ${errors.length} error(s)\n${formatProblems(errors.slice(0, 20))}`);
    this.name = 'InputRejectedError';
  }
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.line === null ? null : `line ${p.line}`, p.column === null ? null : `column ${p.column}`]
    .filter(Boolean)
    .join(', ');
  return `${p.severity.toUpperCase()} ${p.code} (${where}): ${p.message}`;
}

export function formatProblems(problems: Problem[]): string {
  return problems.map(formatProblem).join('\n');
}

/** DuckDB refusing a file's bytes (a CSV it cannot parse, a value it cannot convert), not a fault. */
const ENGINE_REFUSED_INPUT = /^(Invalid Input Error|Conversion Error|Invalid Error): /;

/**
 * The problem for a file the engine could not read at all (e.g. an unclosed quote or mixed line
 * endings that leave DuckDB's CSV parser lost), or undefined when `error` is something else (a
 * fault, which must not be disguised as bad input). The engine's message is not quoted: it can
 * hold a whole line of the file.
 */
export function unreadableFileProblem(error: unknown, file: string): Problem | undefined {
  if (!(error instanceof Error) || !ENGINE_REFUSED_INPUT.test(error.message)) return undefined;
  return {
    severity: 'error',
    code: 'FILE_UNREADABLE',
    file,
    line: null,
    column: null,
    message: 'the file cannot be read as CSV (an unclosed quote, mixed line endings or stray binary bytes); save it again as UTF-8 CSV from the system that made it',
  };
}
