import type { Command } from 'commander';

/**
 * The `rollbook export` command group, created by the first export that registers; every export
 * (`export pupil-summary`, `export benchmarks`, …) adds its own subcommand with
 * `exportGroup(program).command('…')`, from its own file.
 */
export function exportGroup(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'export') ??
    program.command('export').description('write an export file for analysts (FORMATS.md §5)')
  );
}
