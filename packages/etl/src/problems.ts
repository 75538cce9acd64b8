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
