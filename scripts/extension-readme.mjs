// The README the VSIX carries (the page of the Extensions view and of both marketplaces), made from
// extension/README.md by `npm run package`: every image, a file of the repository there, becomes a
// data: URI of its bytes, so that the page shows it with no network.
//
// The rule (readmeImageProblems, which `npm run publish:check` applies to the packaged README):
// every image is a data: URI of a PNG, JPEG, GIF or WebP whose bytes are that format. Anything else
// would not show somewhere:
// - a relative path shows nowhere: VS Code's Extensions page loads images only from https: and
//   data: (its CSP and sanitizer), and the marketplaces do not serve the VSIX's files;
// - an http(s) URL needs the network: the page is blank where it goes when offline (and vsce's
//   rewrite of relative paths makes exactly such URLs, into a repository);
// - SVG is refused by vsce and the marketplaces, as a file or as data.
// (VS Code 1.103 and later drop data: images from the Extensions page, microsoft/vscode-vsce#1196;
// no image of any kind shows offline there.)
//
// `node scripts/extension-readme.mjs` writes dist/extension-readme.md (vsce packages it with
// `--readme-path dist/extension-readme.md --no-rewrite-relative-links`).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE = path.join(root, 'extension', 'README.md');
export const PACKAGED = path.join(root, 'dist', 'extension-readme.md');

/** The raster formats every page shows, by their first bytes. */
const FORMATS = [
  { mime: 'image/png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mime: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/gif', test: (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1')) },
  { mime: 'image/webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
];
const formatOf = (bytes) => FORMATS.find((f) => f.test(bytes))?.mime;

// vsce's own markdown reader, so that the images found are the ones the marketplaces and VS Code see
// (Markdown images, reference-style ones and <img> tags alike).
const vsceRequire = createRequire(createRequire(import.meta.url).resolve('@vscode/vsce/package.json'));
const MarkdownIt = vsceRequire('markdown-it');
const cheerio = vsceRequire('cheerio');

/** The `src` of every image the README renders, in order. */
export function imageSources(markdown) {
  const md = new MarkdownIt({ html: true });
  md.validateLink = () => true; // every image, also one markdown-it would drop (data:image/svg+xml): the rule judges it
  const $ = cheerio.load(md.render(markdown));
  return $('img')
    .toArray()
    .map((img) => $(img).attr('src') ?? '');
}

/** Why each image of a README would not show on some page (the Extensions view offline, a marketplace); empty when all show. */
export function readmeImageProblems(markdown) {
  const problems = [];
  for (const src of imageSources(markdown)) {
    const shown = src.length > 60 ? `${src.slice(0, 60)}…` : src;
    const data = /^data:([^;,]+)(;base64)?,(.*)$/is.exec(src);
    if (!src) problems.push('an image without a source');
    else if (data) {
      const mime = data[1].toLowerCase();
      if (!data[2]) problems.push(`${shown}: a data: image must be base64`);
      else if (mime === 'image/svg+xml') problems.push(`${shown}: SVG is refused by the marketplaces; use PNG`);
      else if (!FORMATS.some((f) => f.mime === mime)) problems.push(`${shown}: ${mime} is not PNG, JPEG, GIF or WebP`);
      else if (formatOf(Buffer.from(data[3], 'base64')) !== mime) problems.push(`${shown}: its bytes are not a ${mime}`);
    } else if (/^[a-z][a-z0-9+.-]*:/i.test(src)) {
      problems.push(`${src}: needs the network (the Extensions page offline shows nothing there); put the file in the repository and refer to it by a relative path, which packaging inlines`);
    } else {
      problems.push(`${src}: a relative path that is not inlined: VS Code's Extensions page loads no image from the package and the marketplaces do not serve its files`);
    }
  }
  return problems;
}

/**
 * `markdown` with every image that is a relative path (to `baseDir`) replaced by a data: URI of the
 * file's bytes. A missing file, or one that is not PNG, JPEG, GIF or WebP, is an error naming it.
 */
export function inlineImages(markdown, baseDir) {
  const inline = (src) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('#') || src.startsWith('//')) return src;
    const file = path.resolve(baseDir, decodeURI(src));
    let bytes;
    try {
      bytes = readFileSync(file);
    } catch {
      throw new Error(`The README's image ${src} is not a file (${file}).`);
    }
    const mime = formatOf(bytes);
    if (!mime) throw new Error(`The README's image ${src} is not PNG, JPEG, GIF or WebP (SVG is refused by the marketplaces).`);
    return `data:${mime};base64,${bytes.toString('base64')}`;
  };
  return markdown
    .replace(/(!\[[^\]]*\]\()\s*<?([^)\s>]+)>?((?:\s+"[^"]*")?\s*\))/g, (_, open, src, close) => `${open}${inline(src)}${close}`)
    .replace(/(<img\b[^>]*?\bsrc\s*=\s*)(["'])([^"']+)\2/gi, (_, open, quote, src) => `${open}${quote}${inline(src)}${quote}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    // Image paths are relative to the README's folder, as GitHub shows the file (package.json's homepage).
    const text = inlineImages(readFileSync(SOURCE, 'utf8'), path.dirname(SOURCE));
    const problems = readmeImageProblems(text);
    if (problems.length > 0) throw new Error(`README images that would not show:\n- ${problems.join('\n- ')}`);
    mkdirSync(path.dirname(PACKAGED), { recursive: true });
    writeFileSync(PACKAGED, text);
  } catch (e) {
    rmSync(PACKAGED, { force: true }); // never package a README left by an earlier run
    console.error(`extension README: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
