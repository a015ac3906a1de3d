// The references of a document: which language a file is scanned as, which of the scanner's
// references count in the account's naming style, and the one under the cursor. Every feature goes
// through here so that they agree on what a reference is in this account.

import type { NamingStyle } from '../../../../protocol/names';
import { LANGUAGE_IDS, type KeyAccess, type ReferenceScan, type ScanLanguage, type SecretReference, type StringLiteral } from './types';

const EXTENSIONS: Record<string, ScanLanguage> = {
  py: 'python',
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
};

/** File extensions (without the dot) the workspace index reads. */
export const SCANNED_EXTENSIONS: readonly string[] = Object.keys(EXTENSIONS);

/** The scanner for an LSP language id, or undefined for a language we do not read. */
export function languageOfId(languageId: string): ScanLanguage | undefined {
  return Object.hasOwn(LANGUAGE_IDS, languageId) ? LANGUAGE_IDS[languageId] : undefined;
}

/** The file the platform reads, relative to the project's folder (the one holding `project.yaml`). */
export const CONFIG_FILE = 'agent_settings/experimental_config.json';

/** Whether a path or URI (either separator) ends in the configuration file's two segments. */
export function isConfigPath(path: string): boolean {
  const n = path.length;
  const file = 'experimental_config.json';
  const folder = 'agent_settings';
  if (n < file.length + folder.length + 1 || !path.endsWith(file)) return false;
  const sep = path.charCodeAt(n - file.length - 1);
  if (sep !== 0x2f && sep !== 0x5c) return false;
  const folderEnd = n - file.length - 1;
  if (!path.startsWith(folder, folderEnd - folder.length)) return false;
  const before = folderEnd - folder.length - 1;
  if (before < 0) return true;
  const c = path.charCodeAt(before);
  return c === 0x2f || c === 0x5c || c === 0x3a; // '/', '\', or the ':' of a bare `file:` URI
}

/** LSP language ids an editor may give the configuration file: JSON, or JSON with comments. */
const CONFIG_LANGUAGE_IDS: ReadonlySet<string> = new Set(['json', 'jsonc']);

/**
 * The scanner for an open document: by its language id, and for JSON only the project
 * configuration's path (every other JSON file is not ours to read).
 */
export function languageOfDocument(languageId: string, uri: string): ScanLanguage | undefined {
  const language = languageOfId(languageId);
  if (language !== undefined) return language;
  return CONFIG_LANGUAGE_IDS.has(languageId) && isConfigPath(uri) ? 'config' : undefined;
}

/** The scanner for a file path or URI, by its extension (the project configuration by its path). */
export function languageOfPath(path: string): ScanLanguage | undefined {
  if (isConfigPath(path)) return 'config';
  const dot = path.lastIndexOf('.');
  if (dot < 0 || path.indexOf('/', dot) >= 0) return undefined;
  const ext = path.slice(dot + 1).toLowerCase();
  return Object.hasOwn(EXTENSIONS, ext) ? EXTENSIONS[ext] : undefined;
}

/**
 * Environment reads are secret references only in environment-style accounts; in a snake_case
 * account (or before we know the style) `os.environ['PATH']` is just the process environment.
 * Reads by name (`get_secret`, `secret_vault`, a configuration field) always count.
 */
export function counts(ref: SecretReference, style: NamingStyle | null): boolean {
  return ref.form !== 'env' || style === 'UPPER_CASE';
}

export function activeReferences(result: ReferenceScan, style: NamingStyle | null): SecretReference[] {
  return style === 'UPPER_CASE' ? result.references : result.references.filter((r) => r.form !== 'env');
}

/** No argument yet (`get_secret(`): the scanner's empty literal has no quotes at all. */
export function isMissingArgument(literal: StringLiteral): boolean {
  return literal.span.start === literal.span.end;
}

/** Whether `offset` is inside the literal's text (its ends included, where the cursor sits while typing). */
export function literalContains(literal: StringLiteral, offset: number): boolean {
  return literal.contentSpan.start <= offset && offset <= literal.contentSpan.end;
}

export type Target =
  | { type: 'name'; ref: SecretReference }
  | { type: 'key'; ref: SecretReference; access: KeyAccess };

/**
 * The reference name or key literal under `offset`, among the references that count. A linear walk:
 * the contract does not promise an order, and a thousand references take microseconds.
 */
export function targetAt(result: ReferenceScan, style: NamingStyle | null, offset: number): Target | undefined {
  for (const ref of result.references) {
    if (!counts(ref, style)) continue;
    if (literalContains(ref.literal, offset)) return { type: 'name', ref };
    for (const access of ref.keys) {
      if (literalContains(access.literal, offset)) return { type: 'key', ref, access };
    }
  }
  return undefined;
}
