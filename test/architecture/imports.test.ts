import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../support/synth';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

/** The barrel loads every one of the provider's ~1,500 resource classes: seconds and hundreds of MB. */
const BARREL = /(?:from\s+|require\(\s*|import\(\s*)['"]@cdktn\/provider-aws['"]/;
const ARCHIVED = /['"](cdktf|@cdktf\/[^'"]+)['"]/;
/** Likewise the barrel of the generated Kubernetes bindings: import `src/generated/kubernetes/<type>` only. */
const KUBERNETES_BARREL = /(?:from\s+|require\(\s*|import\(\s*)['"][^'"]*\/generated\/kubernetes(?:\/|\/index(?:\.js)?)?['"]/;

describe('imports', () => {
  const files = ['src', 'test', 'scripts'].flatMap((dir) => sourceFiles(join(REPO_ROOT, dir)));

  it('finds the sources it checks', () => {
    assert.ok(files.length > 20);
  });

  it('never import the @cdktn/provider-aws barrel (deep paths only)', () => {
    const offenders = files.filter((file) => BARREL.test(readFileSync(file, 'utf8')) && !file.endsWith('imports.test.ts'));
    assert.deepEqual(offenders, []);
  });

  it('the barrel pattern catches the forms it must', () => {
    for (const line of [
      `import { Vpc } from '@cdktn/provider-aws';`,
      `const aws = require("@cdktn/provider-aws")`,
      `await import('@cdktn/provider-aws')`,
    ])
      assert.match(line, BARREL);
    assert.doesNotMatch(`import { Vpc } from '@cdktn/provider-aws/lib/vpc';`, BARREL);
  });

  it('never import the generated Kubernetes barrel (deep paths only)', () => {
    const offenders = files.filter((file) => KUBERNETES_BARREL.test(readFileSync(file, 'utf8')) && !file.endsWith('imports.test.ts'));
    assert.deepEqual(offenders, []);
  });

  it('the Kubernetes barrel pattern catches the forms it must', () => {
    for (const line of [
      `import { NamespaceV1 } from '../generated/kubernetes';`,
      `const k8s = require("../../src/generated/kubernetes/index")`,
      `await import('../generated/kubernetes/index.js')`,
      `import * as k8s from './generated/kubernetes/';`,
    ]) {
      assert.match(line, KUBERNETES_BARREL);
    }
    assert.doesNotMatch(`import { NamespaceV1 } from '../generated/kubernetes/namespace-v1';`, KUBERNETES_BARREL);
    assert.doesNotMatch(`import { KubernetesProvider } from '../../src/generated/kubernetes/provider/index';`, KUBERNETES_BARREL);
  });

  it('never use the archived cdktf packages', () => {
    const offenders = files.filter((file) => ARCHIVED.test(readFileSync(file, 'utf8')) && !file.endsWith('imports.test.ts'));
    assert.deepEqual(offenders, []);
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    const deps = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
    assert.deepEqual(
      deps.filter((d) => d === 'cdktf' || d.startsWith('@cdktf/')),
      [],
    );
  });
});
