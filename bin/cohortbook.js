#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so the CLI, the tests and the browser share one source.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
