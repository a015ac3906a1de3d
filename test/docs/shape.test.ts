// The front documents stay small enough to read in one sitting, and say what the code does rather
// than its history: README.md at most 10 KB with the two commands on top, ARCHITECTURE.md at most
// 25 KB in the shape a newcomer expects; no document cites issue numbers nobody outside can look up.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const read = (f: string): string => readFileSync(path.join(root, f), 'utf8');

describe('README.md and ARCHITECTURE.md', () => {
  it('README.md is at most 10 KB and opens with the two commands', () => {
    const readme = read('README.md');
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(10 * 1024);
    const top = readme.slice(0, readme.indexOf('\n```\n', readme.indexOf('```sh')));
    expect(top).toContain('npm ci && npm start');
    expect(top).toContain('npm test');
  });

  it('ARCHITECTURE.md is at most 25 KB: bird\'s-eye view, entry points, code map, cross-cutting concerns', () => {
    const arch = read('ARCHITECTURE.md');
    expect(Buffer.byteLength(arch)).toBeLessThanOrEqual(25 * 1024);
    const headings = [...arch.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(["Bird's-eye view", 'Entry points', 'Code map', 'Cross-cutting concerns']);
  });

  it('no document cites issue numbers', () => {
    const docs = readdirSync(path.join(root, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f));
    for (const f of ['README.md', 'ARCHITECTURE.md', ...docs]) expect(read(f), f).not.toMatch(/\bissues? #?\d+/i);
  });
});
