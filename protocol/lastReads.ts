// How a secret's last run-time read by an agent is put into words (issue 53): one phrase for the
// CLI (`secrets show`, `agents reads`), the editor's hover and the Secrets views' tooltips, so all say
// "last read by PROJECT-WEVYLLDV 3 days ago (live)" or "never read by PROJECT-WEVYLLDV" alike.
// Metadata only: an agent, a time and an environment.

import { timeAgo } from './dates';

/** A read as the phrase says it: when, and where the reader said it ran. */
export interface ReadInWords {
  at: string | null;
  environment: string | null;
}

/**
 * "last read by AGENT 3 days ago (live)", or "never read by AGENT" when `read` is undefined or has
 * no time. `agent` is the agent as the caller shows it (an id, or a label with its name), already
 * escaped for where it goes; the environment is one of protocol/environments.ts's (the vault keeps
 * nothing else), so it needs no escaping.
 */
export function lastReadPhrase(agent: string, read: ReadInWords | undefined, nowMs: number): string {
  if (read === undefined || read.at === null) return `never read by ${agent}`;
  return `last read by ${agent} ${timeAgo(read.at, nowMs) ?? read.at}${read.environment === null ? '' : ` (${read.environment})`}`;
}

/** The phrase as a sentence's start: "Last read by …", "Never read by …". */
export function capitalized(phrase: string): string {
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}
