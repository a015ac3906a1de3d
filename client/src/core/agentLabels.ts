// How the editor names an agent. Agent Studio's ids (`PROJECT-WEVYLLDV`) say little to a
// person, so the agent's display name ("Field Service Template") goes beside the id wherever an
// agent is shown: the views, the pickers, the status item. The id is shown exactly as given (case
// matters: never lower-cased); the name is text someone else wrote, shown on one line, so control
// and invisible characters show as escapes (safeText), and where the editor renders `$(icon)` syntax (quick picks, the status bar) a `$(`
// in it stays text.

import type { Agent } from '../../../protocol/api';
import { safeText } from '../../../protocol/safeText';

/** The display name when it says more than the id, as shown; undefined otherwise. */
export function displayName(id: string, agents: readonly Agent[]): string | undefined {
  const name = agents.find((a) => a.id === id)?.name;
  return name && name !== id ? safeText(name) : undefined;
}

/** `PROJECT-WEVYLLDV (Field Service Template)`, or the id alone when the agent has no other name. */
export function agentLabel(id: string, agents: readonly Agent[]): string {
  const name = displayName(id, agents);
  return name === undefined ? id : `${id} (${name})`;
}

/**
 * Text for labels that render `$(name)` as an icon (quick pick items, status bar text): each `$(`
 * escaped as `\$(`, which those labels show as the two characters. Names are free text, so
 * a secret or agent named `$(check) approved` must not draw a check mark.
 */
export function noIcons(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}

/** At most `max` characters (code points), with an ellipsis when cut: a status bar item stays short. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export interface AgentPick {
  label: string;
  description: string;
  detail: string | undefined;
  /** The id to use: labels are escaped for display and never read back. */
  agent: string;
}

/** The agents as quick pick items: the id (what settings hold) as label, the display name beside it. */
export function agentPickItems(agents: readonly Agent[], current: string | null): AgentPick[] {
  return agents.map((a) => {
    const name = displayName(a.id, agents);
    return {
      label: noIcons(a.id),
      description: noIcons([name ?? '', a.id === current ? '(current)' : ''].filter(Boolean).join(' ')),
      detail: a.description ? noIcons(safeText(a.description)) : undefined,
      agent: a.id,
    };
  });
}
