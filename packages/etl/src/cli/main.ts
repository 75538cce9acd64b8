import { Command, CommanderError } from 'commander';
import { resolveConfig } from './config.js';
import type { CliContext } from './context.js';
import { registerDemo } from './commands/demo.js';
import { registerExportBenchmarks } from './commands/export-benchmarks.js';
import { registerLoad } from './commands/load.js';
import { registerPurge } from './commands/purge.js';
import { registerExportAmendments } from './commands/export-amendments.js';
import { registerExport } from './commands/export.js';

/**
 * Runs the `rollbook` CLI; returns the process exit code. Each command lives in `commands/` and
 * registers itself here.
 */
export async function run(argv: string[]): Promise<number> {
  const program = new Command()
    .name('rollbook')
    .description('Rollbook: attendance data warehouse for English local authorities')
    .option('--data-dir <dir>', 'where Rollbook keeps its data (env ROLLBOOK_DATA_DIR; default ./data at the repository root)')
    .option('--public-data <dir>', 'folder of public DfE data (env ROLLBOOK_PUBLIC_DATA_DIR; default ../shared/data)')
    .exitOverride()
    .showHelpAfterError();

  let exitCode = 0;
  const ctx: CliContext = {
    config: () => resolveConfig(process.env, program.opts()),
    fail: () => {
      exitCode = 1;
    },
  };
  registerDemo(program, ctx);
  registerLoad(program, ctx);
  registerPurge(program, ctx);
  registerExportAmendments(program, ctx);
  registerExport(program, ctx);
  registerExportBenchmarks(program, ctx);

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    process.stderr.write(`rollbook: ${(error as Error).message}\n`);
    return 1;
  }
  return exitCode;
}
