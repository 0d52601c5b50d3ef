#!/usr/bin/env node
// Runs every compiled test file with node's test runner. Node 20 takes no glob patterns and
// Node 22 reads arguments as globs, so the files are listed here for both.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

const files = findTests(process.argv[2] ?? 'dist/test').sort();
if (files.length === 0) {
  console.error('no test files found; run the build first');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', ...process.argv.slice(3), ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
