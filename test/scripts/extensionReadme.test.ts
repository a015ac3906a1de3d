// The extension's page (VS Code's Extensions view, both marketplaces) shows every README image with
// no network: packaging inlines each image file as a data: URI (scripts/extension-readme.mjs), and
// `npm run publish:check` applies readmeImageProblems to the packaged README.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { imageSources, inlineImages, readmeImageProblems, SOURCE } from '../../scripts/extension-readme.mjs';

const dir = mkdtempSync(path.join(tmpdir(), 'sv-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const png = readFileSync(path.join(path.dirname(SOURCE), 'images', 'completion.png'));
const pngData = `data:image/png;base64,${png.toString('base64')}`;

describe('readmeImageProblems (publish:check)', () => {
  it('passes a README whose every image is an inlined PNG, in Markdown or HTML', () => {
    expect(readmeImageProblems(`# X\n\n![one](${pngData})\n\n<p><img alt="two" src="${pngData}"></p>\n\n[a link](https://example.com)\n`)).toEqual([]);
  });

  it('fails a README with an image that would not show, saying which and why', () => {
    const cases: Array<[string, RegExp]> = [
      ['![shot](images/missing.png)', /images\/missing\.png: a relative path/],
      ['![shot](extension/images/completion.png)', /a relative path that is not inlined/],
      ['![shot](https://github.com/secrets-vault/secrets-vault/raw/HEAD/extension/images/completion.png)', /needs the network/],
      ['<img src="http://example.com/a.png">', /needs the network/],
      ['![badge](data:image/svg+xml;base64,PHN2Zy8+)', /SVG is refused/],
      [`![lie](data:image/jpeg;base64,${png.toString('base64')})`, /its bytes are not a image\/jpeg/],
      ['![tiff](data:image/tiff;base64,SUkqAA==)', /not PNG, JPEG, GIF or WebP/],
      ['![raw](data:image/png,abc)', /must be base64/],
      ['[ref]: images/x.png\n\n![by reference][ref]', /images\/x\.png: a relative path/],
    ];
    for (const [markdown, why] of cases) {
      const problems = readmeImageProblems(`# Title\n\n![fine](${pngData})\n\n${markdown}\n`);
      expect(problems, markdown).toHaveLength(1);
      expect(problems[0], markdown).toMatch(why);
    }
  });

  it('reads the images as vsce and the editor render them, not code that shows an image tag', () => {
    expect(imageSources('`![not an image](x.png)`\n\n```\n<img src="y.png">\n```\n')).toEqual([]);
  });
});

describe('inlineImages (npm run package)', () => {
  it('turns every relative image into a data: URI of its bytes; the repository README passes the rule once inlined, not before', () => {
    const source = readFileSync(SOURCE, 'utf8');
    expect(readmeImageProblems(source).length).toBeGreaterThanOrEqual(3);
    const inlined = inlineImages(source, path.dirname(SOURCE));
    expect(readmeImageProblems(inlined)).toEqual([]);
    const sources = imageSources(inlined);
    expect(sources.length).toBe(imageSources(source).length);
    for (const [i, src] of imageSources(source).entries()) {
      expect(sources[i]).toBe(`data:image/png;base64,${readFileSync(path.join(path.dirname(SOURCE), src)).toString('base64')}`);
    }
    // Only the images change.
    expect(inlined.replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, 'X')).toBe(source.replace(/\]\(images\/[\w-]+\.png\)/g, '](X)'));
  });

  it('inlines <img> tags and titled images, leaves URLs to the rule, and names a missing or non-raster file', () => {
    mkdirSync(path.join(dir, 'pics'), { recursive: true });
    writeFileSync(path.join(dir, 'pics', 'a.png'), png);
    writeFileSync(path.join(dir, 'pics', 'b.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const out = inlineImages('![a](pics/a.png "A title")\n<img width="10" src="pics/a.png">\n![u](https://example.com/u.png)\n', dir);
    expect(out).toBe(`![a](${pngData} "A title")\n<img width="10" src="${pngData}">\n![u](https://example.com/u.png)\n`);
    expect(() => inlineImages('![m](pics/missing.png)', dir)).toThrow(/pics\/missing\.png is not a file/);
    expect(() => inlineImages('![s](pics/b.svg)', dir)).toThrow(/pics\/b\.svg is not PNG, JPEG, GIF or WebP/);
  });
});
