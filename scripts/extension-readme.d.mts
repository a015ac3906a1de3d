// Types for scripts/extension-readme.mjs (the README the VSIX carries, and publish:check's rule on its images).
/** extension/README.md, the source. */
export const SOURCE: string;
/** dist/extension-readme.md, what `npm run package` packages. */
export const PACKAGED: string;
/** The `src` of every image the README renders, in order. */
export function imageSources(markdown: string): string[];
/** Why each image would not show on some page (the Extensions view offline, a marketplace); empty when all show. */
export function readmeImageProblems(markdown: string): string[];
/** The README with every relative image (to `baseDir`) inlined as a data: URI; throws on a missing or non-raster file. */
export function inlineImages(markdown: string, baseDir: string): string;
