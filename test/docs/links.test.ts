import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../support/synth';

/** The Markdown a reader follows links through: the README, CONTRIBUTING and docs/, generated pages included. */
function markdownFiles(): string[] {
  const docs = readdirSync(join(REPO_ROOT, 'docs'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => join(entry.parentPath, entry.name));
  return [join(REPO_ROOT, 'README.md'), join(REPO_ROOT, 'CONTRIBUTING.md'), ...docs].filter((file) => existsSync(file));
}

/** GitHub's heading anchors (lower case, punctuation dropped, spaces to hyphens, repeats numbered) and `<a id>` ones. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set([...markdown.matchAll(/<a (?:id|name)="([^"]+)"/g)].map((match) => match[1]!));
  const seen = new Map<string, number>();
  for (const line of withoutFences(markdown).split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

function withoutFences(markdown: string): string {
  return markdown.replace(/^\s*```[\s\S]*?^\s*```/gm, '');
}

/** Fenced blocks and inline code hold examples, not links. */
function withoutCode(markdown: string): string {
  return withoutFences(markdown).replace(/`[^`\n]*`/g, '');
}

function relativeLinks(markdown: string): string[] {
  return [...withoutCode(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** The scripts `npm run <script>` names in a text (a trailing colon is the sentence's, not the name's). */
function npmScriptsNamed(text: string): string[] {
  return [...text.matchAll(/npm run (?:--silent )?([a-z][a-z0-9:-]*)/g)].map((match) => match[1]!.replace(/:+$/, ''));
}

describe('links between the documents', () => {
  it('every relative link names a file or folder that exists, and a heading that exists in it', () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      const text = readFileSync(file, 'utf8');
      for (const link of relativeLinks(text)) {
        const [path, anchor] = link.split('#') as [string, string | undefined];
        const target = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
        const where = `${relative(REPO_ROOT, file)}: (${link})`;
        if (!existsSync(target)) broken.push(`${where}: no ${relative(REPO_ROOT, target)}`);
        else if (anchor && statSync(target).isFile() && target.endsWith('.md') && !anchorsOf(readFileSync(target, 'utf8')).has(anchor))
          broken.push(`${where}: no heading #${anchor} in ${relative(REPO_ROOT, target)}`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('every npm script the documents and workflows tell a reader to run exists in package.json', () => {
    const scripts = new Set(Object.keys(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts));
    const workflows = readdirSync(join(REPO_ROOT, '.github', 'workflows')).map((name) => join(REPO_ROOT, '.github', 'workflows', name));
    const missing = [...markdownFiles(), ...workflows].flatMap((file) =>
      npmScriptsNamed(readFileSync(file, 'utf8'))
        .filter((script) => !scripts.has(script))
        .map((script) => `${relative(REPO_ROOT, file)}: npm run ${script}`),
    );
    assert.deepEqual([...new Set(missing)], []);
    assert.deepEqual(npmScriptsNamed('`npm run contract:check`, npm run --silent order -- --env qa; npm run review: weekly'), [
      'contract:check',
      'order',
      'review',
    ]);
  });

  it("every npm script is in the README's command table", () => {
    const scripts = Object.keys(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts);
    const table = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('| `npm '));
    const listed = new Set(table.flatMap((line) => [/^\| `npm (test)\b/.exec(line)?.[1], ...npmScriptsNamed(line.split('|')[1]!)]));
    assert.deepEqual(
      scripts.filter((script) => !listed.has(script)),
      [],
    );
  });

  it('derives anchors the way GitHub does, so the check above can fail', () => {
    const anchors = anchorsOf(
      '# Stacks CI does not run: bootstrap\n## `npm run order`\n## Copies\n## Copies\n' +
        '```\n# not a heading\n```\n5. **Step** <a id="step"></a>\n',
    );
    assert.deepEqual([...anchors], ['step', 'stacks-ci-does-not-run-bootstrap', 'npm-run-order', 'copies', 'copies-1']);
    assert.deepEqual(relativeLinks('[a](x.md#y) [b](https://e.com) `[c](z.md)` [d](#here)'), ['x.md#y', '#here']);
  });
});
