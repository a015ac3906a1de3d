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
