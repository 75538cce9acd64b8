import type { CliConfig } from './config.js';

/** What every command gets: the configuration (read once, flags over environment) and a way to fail. */
export interface CliContext {
  config(): CliConfig;
  /** Marks the run as failed (exit status 1) without stopping it. */
  fail(): void;
}

export const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
