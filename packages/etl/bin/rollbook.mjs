#!/usr/bin/env node
// The `rollbook` command. The CLI is TypeScript compiled to dist/ by `npm run build`.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('Rollbook is not built yet: run `npm run build` in the repository root (`npm start` builds too).');
  process.exit(2);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv);
