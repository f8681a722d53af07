#!/usr/bin/env node
// The installed command: the CLI compiled by `npm run build` (tsc, src/ → lib/).
try {
  await import('../lib/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !/lib[\\/]cli[\\/]main\.js/.test(String(error.message))) throw error;
  process.stderr.write('cohortbook: not built yet: run "npm run build" in this checkout first\n');
  process.exitCode = 1;
}
