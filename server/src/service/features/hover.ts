// Hover over a secret name or key: the secret's metadata and who can read it. The model has no
// values, so a hover cannot show one.

import type { Hover } from 'vscode-languageserver-types';
import { MarkupKind } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { VaultModel } from '../model/model';
import type { ScanResult } from '../analyze';
import { targetAt } from '../scan/references';
import { agentLabel, code, escapeMarkdown, keySensitivityLabel, kindLabel, secretMarkdown } from './markdown';
import { leakPathMarkdown } from './exposures';
import { environmentsLabel, takenIn, whereTaken } from './candidates';
import type { SecretReference } from '../scan/types';
import { safeText } from '../../../../protocol/safeText';
import { PROCESS_ENVIRONMENT, rangeOf } from './common';
import { credentialName, credentialRead, withArticle } from './quoting';

export function hover(doc: TextDocument, result: ScanResult, model: VaultModel, offset: number, nowMs: number = Date.now()): Hover | null {
  const secret = secretHover(doc, result, model, offset, nowMs);
  // A leak's whole path, on the range its diagnostic marks (the Problems panel lists a few steps).
  const leak = leakPathMarkdown(doc, result, model, offset);
  if (leak === null) return secret;
  if (secret === null) return { contents: { kind: MarkupKind.Markdown, value: leak.value }, range: leak.range };
  const value = typeof secret.contents === 'object' && 'value' in secret.contents ? secret.contents.value : '';
  return { contents: { kind: MarkupKind.Markdown, value: `${value}\n\n---\n\n${leak.value}` }, ...(secret.range ? { range: secret.range } : {}) };
}

function secretHover(doc: TextDocument, result: ScanResult, model: VaultModel, offset: number, nowMs: number): Hover | null {
  if (!model.ready) return null;
  const target = targetAt(result, model.namingStyle, offset);
  if (!target) return null;
  if (target.ref.name === null) {
    if (target.type !== 'name' || !target.ref.candidates || target.ref.candidates.length === 0) return null;
    return { contents: { kind: MarkupKind.Markdown, value: candidatesMarkdown(target.ref, model, model.agentFor(doc.uri)) }, range: rangeOf(doc, target.ref.literal.contentSpan) };
  }
  const name = target.ref.name;
  // A credential where a name or key goes is described, never shown (the diagnostic says what to do).
  const credential = credentialRead(name, model) ?? (target.type === 'key' && target.access.key !== null ? credentialName(target.access.key) : null);
  if (credential !== null) {
    const span = target.type === 'key' ? target.access.literal.contentSpan : target.ref.literal.contentSpan;
    return { contents: { kind: MarkupKind.Markdown, value: `This is ${withArticle(credential.kind)}, not a secret's name or key: it belongs in the vault, not in the code.` }, range: rangeOf(doc, span) };
  }
  const entry = model.secret(name);
  const agent = model.agentFor(doc.uri);
  let value: string;
  let span = target.ref.literal.contentSpan;
  if (!entry) {
    // `os.environ['PATH']` is the process environment, not a secret: nothing to say about it.
    if (target.ref.form === 'env' && PROCESS_ENVIRONMENT.has(name)) return null;
    // From the document: controls and bidirectional controls shown as escapes, then markdown escaped.
    value = `**${escapeMarkdown(safeText(name))}** is not in the vault.`;
    if (agent !== null && model.isPending(name, agent)) value += `\n\nRequested for ${code(agent)}: pending an admin's decision.`;
  } else if (target.type === 'key') {
    span = target.access.literal.contentSpan;
    const key = target.access.key;
    if (key === null) return null;
    const known = entry.info.kind === 'kv' && entry.keys.has(key);
    const head = known
      ? `Key ${code(key)} of **${escapeMarkdown(name)}**: ${keySensitivityLabel(entry, key)}`
      : `${code(key)} is not a key of **${escapeMarkdown(name)}**`;
    value = `${head}\n\n---\n\n${secretMarkdown(entry, agent, nowMs, model.agentDisplayName)}`;
  } else {
    value = secretMarkdown(entry, agent, nowMs, model.agentDisplayName);
  }
  if (entry && agent !== null && !entry.agents.has(agent) && model.isPending(name, agent)) {
    value += `\n\nAccess for ${code(agent)} requested: pending an admin's decision.`;
  }
  // A read in a branch on `conv.env`: where it runs.
  const envs = target.ref.environments;
  if (envs !== undefined) value += `\n\nRead only in ${escapeMarkdown(environmentsLabel(envs))}.`;
  // A call of another module's helper that reads the secret its argument names.
  const through = target.ref.through;
  if (through !== undefined) value += `\n\nRead by ${code(`${through.function}()`)}, which reads the secret its caller names${through.returnsValue ? ' and returns it' : ''}.`;
  return { contents: { kind: MarkupKind.Markdown, value }, range: rangeOf(doc, span) };
}

/**
 * A computed read: each name it may take, where (environments or the condition), its kind and
 * whether the file's agent may read it. Metadata only, as every hover.
 */
function candidatesMarkdown(ref: SecretReference, model: VaultModel, agent: string | null): string {
  const candidates = ref.candidates ?? [];
  const environment = model.environment;
  const lines = [`The secret name is chosen at run time among ${candidates.length === 1 ? '1 name' : `${candidates.length} names`}:`, ''];
  for (const c of candidates) {
    const where = whereTaken(c);
    const head = where === undefined ? 'On every path' : `${where.charAt(0).toUpperCase()}${where.slice(1)}`;
    const credential = credentialRead(c.name, model);
    if (credential !== null) {
      lines.push(`- ${escapeMarkdown(head)}: ${withArticle(credential.kind)} (not shown), not a secret's name`);
      continue;
    }
    const name = `**${escapeMarkdown(safeText(c.name))}**`;
    const entry = model.secret(c.name);
    let about: string;
    if (!entry) {
      about = ref.form === 'env' && PROCESS_ENVIRONMENT.has(c.name) ? 'the process environment' : 'does not exist in the vault';
    } else {
      const keys = entry.info.kind === 'kv' && entry.info.keys.length > 0 ? `: ${entry.info.keys.map(code).join(', ')}` : '';
      const access = agent === null ? '' : entry.agents.has(agent) ? `; ✓ granted to ${agentLabel(agent, model.agentDisplayName)}` : `; ✗ not granted to ${agentLabel(agent, model.agentDisplayName)}`;
      about = `${kindLabel(entry)}${keys}${access}`;
    }
    const pending = agent !== null && (!entry || !entry.agents.has(agent)) && model.isPending(c.name, agent) ? ' (access requested, pending)' : '';
    const hidden = takenIn(c, environment) ? '' : ` _(not taken in ${escapeMarkdown(safeText(environment))})_`;
    lines.push(`- ${escapeMarkdown(head)}: ${name}: ${about}${pending}${hidden}`);
  }
  return lines.join('\n');
}
