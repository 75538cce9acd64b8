import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { startApi } from './bootstrap.js';
import { ConfigError, loadConfig } from './config/config.js';

// The only place that reads the environment.
let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`Rollbook API cannot start. Fix these settings:\n`);
  for (const issue of error.issues) process.stderr.write(`  ${issue.key}: ${issue.message}\n`);
  process.exit(1);
}

try {
  const api = await startApi(config, { shutdownHooks: true });
  // Through Nest's logger: one JSON object a line in production, like every other log line.
  new Logger('Rollbook').log(`Rollbook API listening on ${api.baseUrl}/graphql`);
} catch (error) {
  process.stderr.write(`Rollbook API failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
