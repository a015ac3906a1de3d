// The environment chosen in the editor (`secretsVault.environment`): which of Agent Studio's
// environments the diagnostics follow when a function chooses its secret's name by `conv.env`, and
// the `conv.env` a run as an agent gets. No vscode here: the status item, the picker and the runs
// read it through client/src/config.ts.

import { canonicalEnvironment, ENVIRONMENTS, type Environment } from '../../../protocol/environments';

/** The environments Agent Studio deploys to, in promotion order (as `conv.env` spells them): protocol/environments.ts's. */
export const EDITOR_ENVIRONMENTS = ENVIRONMENTS;

export type EditorEnvironment = Environment;

/** 'all' (every candidate is reported) or one environment. */
export type EnvironmentChoice = 'all' | EditorEnvironment;

/** The environment a run gets when the editor follows them all: the first one code is promoted from. */
export const DEFAULT_RUN_ENVIRONMENT: EditorEnvironment = 'sandbox';

/**
 * A setting's value as a choice: one of the four, `pre_release` (as some code writes it) read as
 * `pre-release`, case and surrounding spaces ignored; anything else is 'all'.
 */
export function environmentChoice(value: unknown): EnvironmentChoice {
  if (typeof value !== 'string') return 'all';
  const v = canonicalEnvironment(value.trim().toLowerCase());
  return (EDITOR_ENVIRONMENTS as readonly string[]).includes(v) ? (v as EditorEnvironment) : 'all';
}

/** What a run as an agent gets as `conv.env` (SECRETS_VAULT_ENV), and the note its output prints. */
export function runEnvironmentFor(choice: EnvironmentChoice): { env: EditorEnvironment; note: string } {
  if (choice === 'all') {
    return { env: DEFAULT_RUN_ENVIRONMENT, note: `conv.env is '${DEFAULT_RUN_ENVIRONMENT}' (the editor checks all environments; a run uses ${DEFAULT_RUN_ENVIRONMENT})` };
  }
  return { env: choice, note: `conv.env is '${choice}' (the environment chosen in the editor)` };
}

/** The status bar item's text and tooltip. */
export function environmentStatus(choice: EnvironmentChoice): { text: string; tooltip: string; label: string } {
  const shown = choice === 'all' ? 'all environments' : choice;
  return {
    text: `$(server-environment) ${choice === 'all' ? 'all' : choice}`,
    tooltip: `Secrets Vault checks the reads ${choice === 'all' ? 'every environment' : choice} makes; click to choose`,
    label: `Secrets Vault environment: ${shown}`,
  };
}

export interface EnvironmentPick {
  label: string;
  description?: string;
  detail?: string;
  choice: EnvironmentChoice;
}

/** The picker's items, the current choice marked. */
export function environmentPickItems(current: EnvironmentChoice): EnvironmentPick[] {
  const items: EnvironmentPick[] = [
    { label: 'All environments', detail: 'Report every name a read may take, each labelled with its environments', choice: 'all' },
    ...EDITOR_ENVIRONMENTS.map((e) => ({ label: e, detail: `Report only the names read when conv.env is '${e}'; runs as an agent get conv.env = '${e}'`, choice: e })),
  ];
  for (const item of items) if (item.choice === current) item.description = '$(check) current';
  return items;
}
