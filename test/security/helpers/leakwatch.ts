// Sentinel values and everything the vault emitted. Every value the suite stores starts with a
// sentinel, so that after the run a plain search of logs, response bodies, event payloads, the
// audit table and the SQLite files shows whether any value escaped. Run-time reads (the one place
// a value is meant to travel) are the only responses not kept.

import { randomBytes } from 'node:crypto';

/** Every sentinel starts with this; no name, key or description the suite sends contains it. */
export const SENTINEL_PREFIX = 'SVLEAK';

let counter = 0;
const issued: string[] = [];

export function sentinel(): string {
  const s = `${SENTINEL_PREFIX}${(counter++).toString(36)}x${randomBytes(6).toString('hex')}`;
  issued.push(s);
  return s;
}

export function sentinelsIssued(): number {
  return issued.length;
}

export type SourceKind = 'log' | 'response' | 'event';

const texts: Record<SourceKind, string[]> = { log: [], response: [], event: [] };
const dataDirs = new Set<string>();
let responsesKept = 0;
let runtimeReadsSkipped = 0;

export function keepLog(line: string): void {
  texts.log.push(line);
}

export function keepEvent(text: string): void {
  texts.event.push(text);
}

/** A response body; a successful run-time read is the one place values belong, and is skipped. */
export function keepResponse(path: string, status: number, body: string): void {
  if (status >= 200 && status < 300 && path.startsWith('/v1/runtime/')) {
    runtimeReadsSkipped++;
    return;
  }
  responsesKept++;
  texts.response.push(body);
}

export function watchDataDir(dir: string): void {
  dataDirs.add(dir);
}

export function watched(): { texts: Record<SourceKind, string[]>; dataDirs: string[]; responsesKept: number; runtimeReadsSkipped: number } {
  return { texts, dataDirs: [...dataDirs], responsesKept, runtimeReadsSkipped };
}

/** Where `text` contains a sentinel: the count of hits of the common prefix (any sentinel, whole or cut). */
export function hits(text: string): number {
  let n = 0;
  for (let i = text.indexOf(SENTINEL_PREFIX); i !== -1; i = text.indexOf(SENTINEL_PREFIX, i + 1)) n++;
  return n;
}

/** A marker and its encoded forms: what a search looks for when a value may have been re-encoded on the way. */
export interface MarkerForms {
  marker: string;
  forms: { name: string; text: string }[];
  /** Hits of every form in `text` (a file's bytes read as latin1, a log, a query). */
  count(text: string): number;
  /** The same, per form (only the forms found). */
  byForm(text: string): Record<string, number>;
}

/**
 * `marker` as is, in hex (both cases: PostgreSQL logs bytea parameters as \x…) and in base64 and
 * base64url at each of the three byte alignments (only the characters the marker alone decides).
 */
export function formsOf(marker: string): MarkerForms {
  const bytes = Buffer.from(marker, 'utf8');
  const forms: { name: string; text: string }[] = [
    { name: 'plain', text: marker },
    { name: 'hex', text: bytes.toString('hex') },
    { name: 'HEX', text: bytes.toString('hex').toUpperCase() },
  ];
  for (let a = 0; a < 3; a++) {
    const full = Buffer.concat([Buffer.alloc(a), bytes]).toString('base64');
    const text = full.slice(Math.ceil((8 * a) / 6), Math.floor((8 * (a + bytes.length)) / 6));
    forms.push({ name: `base64@${a}`, text });
    const url = text.replace(/\+/g, '-').replace(/\//g, '_');
    if (url !== text) forms.push({ name: `base64url@${a}`, text: url });
  }
  const countOne = (text: string, f: string) => {
    let n = 0;
    for (let i = text.indexOf(f); i !== -1; i = text.indexOf(f, i + 1)) n++;
    return n;
  };
  return {
    marker,
    forms,
    count: (text) => forms.reduce((n, f) => n + countOne(text, f.text), 0),
    byForm(text) {
      const out: Record<string, number> = {};
      for (const f of forms) {
        const n = countOne(text, f.text);
        if (n) out[f.name] = n;
      }
      return out;
    },
  };
}

/** Every sentinel in any of its forms (each sentinel starts with the prefix, so its forms contain the prefix's). */
export const leakForms = formsOf(SENTINEL_PREFIX);
