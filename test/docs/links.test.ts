// Every relative link in README.md, ARCHITECTURE.md and docs/**/*.md resolves: the file (or folder)
// exists, and an anchor names a heading of the target, as GitHub computes heading anchors.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

function markdownFiles(): string[] {
  const out = ['README.md', 'ARCHITECTURE.md'].map((f) => path.join(root, f));
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) out.push(p);
    }
  };
  walk(path.join(root, 'docs'));
  return out;
}

/** Text outside fenced code blocks and code spans: a link written as code is not a link. */
function proseOf(markdown: string): string {
  return markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
    .replace(/(`+)[\s\S]*?\1/g, '');
}

/** GitHub's heading anchor: lower case, markup and punctuation dropped, spaces as hyphens. */
function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const m of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = githubSlug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** The relative links of one document that do not resolve, as `target: why`. */
function brokenLinks(file: string, markdown: string): string[] {
  const broken: string[] = [];
  for (const m of proseOf(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = m[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:: not ours to check
    const [rel, anchor] = target.split('#', 2) as [string, string | undefined];
    const resolved = rel === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(rel));
    if (!existsSync(resolved)) {
      broken.push(`${target}: no such file`);
      continue;
    }
    if (anchor === undefined || !resolved.endsWith('.md') || statSync(resolved).isDirectory()) continue;
    const text = resolved === file ? markdown : readFileSync(resolved, 'utf8');
    if (!anchorsOf(text).has(anchor)) broken.push(`${target}: no heading with that anchor`);
  }
  return broken;
}

describe('links in the documents', () => {
  it('computes anchors as GitHub does', () => {
    expect(githubSlug('What `npm start` does')).toBe('what-npm-start-does');
    expect(githubSlug('The `secrets-vault` CLI')).toBe('the-secrets-vault-cli');
    expect(githubSlug('Tests, oracles & benchmarks')).toBe('tests-oracles--benchmarks');
    expect([...anchorsOf('# A\n## A\n```\n# not a heading\n```\n')]).toEqual(['a', 'a-1']);
  });

  it('reports a missing file and a missing anchor', () => {
    const file = path.join(root, 'README.md');
    const doc = '# Top\n[ok](#top) [gone](docs/nothing.md) [bad](#nowhere) [web](https://example.com/x#y) `[code](nothing.md)`\n';
    expect(brokenLinks(file, doc)).toEqual(['docs/nothing.md: no such file', '#nowhere: no heading with that anchor']);
  });

  const files = markdownFiles();
  it('finds the documents', () => {
    expect(files.map((f) => path.relative(root, f))).toEqual(expect.arrayContaining(['README.md', 'ARCHITECTURE.md', 'docs/security.md', 'docs/diagnostics.md']));
  });

  it.each(files.map((f) => [path.relative(root, f), f]))('every relative link in %s resolves', (_name, file) => {
    expect(brokenLinks(file, readFileSync(file, 'utf8'))).toEqual([]);
  });
});
