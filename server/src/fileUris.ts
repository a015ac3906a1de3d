// File URIs spelled as VS Code spells them, so that a file the index found and the same file opened in
// the editor have one URI. VS Code keeps unreserved characters and percent-encodes the rest
// (encodeURIComponent leaves !'()* alone; VS Code does not).

import { fileURLToPath } from 'node:url';

export function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The URI of `rel` (a `/`-separated relative path) inside the folder whose URI is `folderUri`. */
export function childUri(folderUri: string, rel: string): string {
  const base = folderUri.endsWith('/') ? folderUri.slice(0, -1) : folderUri;
  return `${base}/${rel.split('/').map(encodeSegment).join('/')}`;
}

/** The local path of a `file:` URI, or undefined for any other scheme (we only read local disks). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** Whether `uri` is `folderUri` itself or inside it. */
export function isInside(uri: string, folderUri: string): boolean {
  const base = folderUri.endsWith('/') ? folderUri.slice(0, -1) : folderUri;
  return uri === base || (uri.startsWith(base) && uri.charCodeAt(base.length) === 47);
}

/** `uri` relative to the folder, decoded, with `/` separators. */
export function relativePath(uri: string, folderUri: string): string {
  const base = folderUri.endsWith('/') ? folderUri.slice(0, -1) : folderUri;
  return uri
    .slice(base.length + 1)
    .split('/')
    .map(decodeSegment)
    .join('/');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
