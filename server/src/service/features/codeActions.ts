// Quick fixes for our diagnostics: did-you-mean edits, and the vault commands (create, grant) that
// the client carries out. Vault changes need an admin, so those commands are offered to admins only;
// a developer gets a request to the admins instead, once: not while one is pending.

import type { CodeAction, Diagnostic, Range } from 'vscode-languageserver-types';
import { CodeActionKind } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CreateSecretArgs, EditSecretArgs, GrantAccessArgs, MoveToVaultArgs, RequestAccessArgs } from '../../../../protocol/lsp';
import { Commands } from '../../../../protocol/commands';
import { DIAGNOSTIC_SOURCE, type DiagnosticCode } from '../../../../protocol/diagnosticCodes';
import { isNameTwin, namePattern } from '../../../../protocol/names';
import { escapeInLiteral, quotingOf } from '../../../../protocol/nameLiterals';
import type { VaultModel } from '../model/model';
import type { KeyAccess, SecretReference, Span } from '../scan/types';
import type { ScanResult } from '../analyze';
import { targetAt, type Target } from '../scan/references';
import { nearestAmong } from '../model/nearest';
import { suggestSecretName } from '../credentials';
import { outsideFunction } from '../python/pythonScope';
import { rangeOf, type CandidateLocation, type DiagnosticData } from './common';
import { credentialName, quoted } from './quoting';
import { candidateLocation, partIn } from './candidates';

const MAX_SUGGESTIONS = 3;

export function codeActions(
  doc: TextDocument,
  result: ScanResult,
  model: VaultModel,
  diagnostics: readonly Diagnostic[],
  only?: readonly string[],
): CodeAction[] {
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === CodeActionKind.Empty)) {
    return [];
  }
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    if (diagnostic.code === 'hardcoded-secret') {
      actions.push(...hardcodedFixes(doc, result, model, diagnostic));
      continue;
    }
    // Find the literal again from the text rather than trusting `data`: not every client returns it.
    const target = targetAt(result, model.namingStyle, doc.offsetAt(diagnostic.range.start));
    if (!target) continue;
    actions.push(...fixesFor(doc, target, model, diagnostic));
  }
  return actions;
}

/**
 * The candidate a diagnostic on a computed read is about: the one its data names, else (a client
 * that does not return data) the one its message quotes. With where its literal is written.
 */
function candidateOf(doc: TextDocument, ref: SecretReference, diagnostic: Diagnostic): { name: string; location: CandidateLocation | undefined } | undefined {
  const candidates = ref.candidates ?? [];
  if (candidates.length === 0) return undefined;
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  const byData = typeof data?.name === 'string' ? candidates.find((c) => c.name === data.name) : undefined;
  const message = typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
  const c = byData ?? candidates.find((x) => message.includes(quoted(x.name)));
  if (!c) return undefined;
  const fromData = byData && data?.candidate && typeof data.candidate.uri === 'string' ? data.candidate : undefined;
  return { name: c.name, location: fromData ?? candidateLocation(doc, c) };
}

/**
 * What a candidate's literal becomes for the candidate `name` to read `newName`. A joined name's
 * literal is one part of it (`'x_' + tier + '_api'`: the `tier` literal it takes): the change is
 * made there only when the names differ in that part alone (undefined otherwise: the rest is
 * written elsewhere, and shared by the other names).
 */
function partOf(doc: TextDocument, at: CandidateLocation, name: string, newName: string): string | undefined {
  // Another document's literal: where it sits in the name, as the diagnostic found it there.
  const part = at.uri !== doc.uri ? at.part : partIn(name, doc.getText(at.range));
  if (!part) return undefined;
  if (part[0] === 0 && part[1] === 0) return newName;
  const before = name.slice(0, part[0]);
  const after = name.slice(name.length - part[1]);
  if (newName.length < before.length + after.length || !newName.startsWith(before) || !newName.endsWith(after)) return undefined;
  return newName.slice(before.length, newName.length - after.length);
}

function fixesFor(doc: TextDocument, target: Target, model: VaultModel, diagnostic: Diagnostic): CodeAction[] {
  const code = diagnostic.code as DiagnosticCode;
  const ref = target.ref;
  // A computed read: the fixes are about the candidate the diagnostic names, and edit its literal.
  const candidate = ref.name === null ? candidateOf(doc, ref, diagnostic) : undefined;
  const name = ref.name ?? candidate?.name ?? null;
  // A credential where the name goes is no name to create, request, grant or correct, whatever
  // code the client says the diagnostic had: no title quotes it.
  if (name === null || credentialName(name) !== null) return [];
  const agent = model.agentFor(doc.uri);
  const replace = (title: string, newText: string, range: Range, preferred: boolean, uri = doc.uri): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: preferred || undefined,
    edit: { changes: { [uri]: [{ range, newText }] } },
  });
  // Where a new name goes: the reference's literal, or the candidate's (undefined: not at hand).
  const nameEdit = (newName: string): { uri: string; range: Range; text: string } | undefined => {
    if (candidate === undefined) {
      const text = written(doc, ref, newName);
      return text === undefined ? undefined : { uri: doc.uri, range: rangeOf(doc, ref.literal.contentSpan), text };
    }
    const at = candidate.location;
    const part = at ? partOf(doc, at, candidate.name, newName) : undefined;
    const quoting = at && part !== undefined ? quotingOf(at.opening, doc.languageId === 'python') : undefined;
    const text = quoting ? escapeInLiteral(part!, quoting) : undefined;
    return at && text !== undefined ? { uri: at.uri, range: at.range, text } : undefined;
  };

  switch (code) {
    case 'unknown-secret': {
      if (target.type !== 'name') return [];
      const out: CodeAction[] = [];
      for (const m of model.nearestNames(name, MAX_SUGGESTIONS)) {
        const e = nameEdit(m.name);
        if (e !== undefined) out.push(replace(`Change to '${m.name}'`, e.text, e.range, out.length === 0, e.uri));
      }
      // A name that is one with an existing secret to a person (`prod_api_credentials` beside 'Prod API
      // Credentials') cannot be created (the vault refuses it): the change to that one is the fix.
      if (isTwinOfSecret(model, name)) return out;
      if (model.isAdmin) {
        const args: CreateSecretArgs = { name, agent, ...keysArg(ref) };
        out.push({
          title: `Create secret '${name}'…`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title: `Create secret '${name}'…`, command: Commands.createSecret, arguments: [args] },
        });
      } else if (canRequest(model, name, agent)) {
        out.push(request(`Request secret '${name}' for '${agent}'…`, { name, agent, newSecret: true, ...keysArg(ref) }, diagnostic, false));
      }
      return out;
    }
    case 'not-granted': {
      if (canRequest(model, name, agent)) return [request(`Request access for '${agent}' to '${name}'…`, { name, agent, newSecret: false }, diagnostic, true)];
      if (!model.isAdmin || agent === null) return [];
      const args: GrantAccessArgs = { name, agent };
      const title = `Grant '${agent}' access to '${name}'`;
      return [
        {
          title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: true,
          command: { title, command: Commands.grantAccess, arguments: [args] },
        },
      ];
    }
    case 'invalid-name': {
      const style = model.namingStyle;
      if (style === null || target.type !== 'name') return [];
      // Offer the account's style only when the name maps onto it as it is (`stripe_key` → `STRIPE_KEY`).
      const fixed = style === 'UPPER_CASE' ? name.toUpperCase() : name.toLowerCase();
      if (fixed === name || !namePattern(style).test(fixed)) return [];
      const exists = model.ready && model.secret(fixed) !== undefined;
      const title = exists ? `Change to '${fixed}'` : `Change to '${fixed}' (not in the vault yet)`;
      const e = nameEdit(fixed);
      return e === undefined ? [] : [replace(title, e.text, e.range, exists, e.uri)];
    }
    case 'unknown-key': {
      if (target.type !== 'key' || target.access.key === null || credentialName(target.access.key) !== null) return [];
      const entry = model.secret(name);
      if (!entry) return [];
      const range = rangeOf(doc, target.access.literal.contentSpan);
      const access = target.access;
      return nearestAmong(target.access.key, entry.info.keys, MAX_SUGGESTIONS).map((m, i) => {
        // `.k` in JavaScript: a key that is no identifier is written as a subscript (`['api-key']`).
        if (access.via === 'property' && !/^[A-Za-z_$][\w$]*$/.test(m.name)) {
          const span = accessorSpan(doc.getText(), access, false);
          if (span !== undefined) {
            const optional = doc.getText().startsWith('?.', span.start);
            return replace(`Change to '${m.name}'`, `${optional ? '?.' : ''}[${JSON.stringify(m.name)}]`, rangeOf(doc, span), i === 0);
          }
        }
        return replace(`Change to '${m.name}'`, m.name, range, i === 0);
      });
    }
    case 'not-a-mapping': {
      if (target.type !== 'key') return [];
      const key = target.access.key;
      const out: CodeAction[] = [];
      // Reading the value as a string is right only when every name the read may take is a single value.
      const names = ref.name !== null ? [ref.name] : (ref.candidates ?? []).map((c) => c.name);
      const span = accessorSpan(doc.getText(), target.access, doc.languageId === 'python');
      if (span !== undefined && names.every((n) => model.secret(n)?.info.kind === 'single')) {
        out.push(replace(`Read '${name}' as a string`, '', rangeOf(doc, span), true));
      }
      // A key that is a credential is never quoted in a title, nor sent to the form.
      if (model.isAdmin && key !== null && key !== '' && credentialName(key) === null && model.secret(name)?.info.kind === 'single') {
        const args: EditSecretArgs = { name, keys: [key] };
        const title = `Edit secret '${name}' to make it key/value with key '${key}'…`;
        out.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: Commands.editSecret, arguments: [args] } });
      }
      return out;
    }
    default:
      return [];
  }
}

/**
 * The whole key access around a key's literal, to remove it: `['k']` (with JavaScript's `?.` before
 * it), `.get('k')` / `.get('k', default)`, or JavaScript's `.k` / `?.k`; undefined when the text around is not that (the
 * access is then left alone rather than cut wrongly).
 */
export function accessorSpan(text: string, access: KeyAccess, python: boolean): Span | undefined {
  const back = (i: number) => {
    while (i > 0 && /\s/.test(text[i - 1]!)) i--;
    return i;
  };
  const ahead = (i: number) => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    return i;
  };
  const before = back(access.literal.span.start);
  const after = ahead(access.literal.span.end);
  const optional = (at: number) => (!python && text.slice(at - 2, at) === '?.' ? at - 2 : at);
  if (access.via === 'subscript') {
    if (text[before - 1] !== '[' || text[after] !== ']') return undefined;
    return { start: optional(back(before - 1)), end: after + 1 };
  }
  if (access.via === 'property') {
    if (text[before - 1] !== '.') return undefined;
    return { start: text[before - 2] === '?' ? before - 2 : before - 1, end: access.literal.span.end };
  }
  if (text[before - 1] !== '(') return undefined;
  const name = back(before - 1);
  if (text.slice(name - 3, name) !== 'get' || /[\w$]/.test(text[name - 4] ?? '')) return undefined;
  const dot = back(name - 3);
  if (text[dot - 1] !== '.') return undefined;
  const start = !python && text[dot - 2] === '?' ? dot - 2 : dot - 1;
  if (text[after] === ')') return { start, end: after + 1 };
  if (text[after] !== ',') return undefined;
  const close = closingParen(text, after + 1, python);
  return close === undefined ? undefined : { start, end: close + 1 };
}

/** The offset of the `)` that closes the call whose arguments go on at `from`, skipping strings, comments and nested brackets. */
function closingParen(text: string, from: number, python: boolean): number | undefined {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ')') {
      if (depth === 0) return i;
      depth--;
    } else if (python && c === '#') {
      const eol = text.indexOf('\n', i);
      if (eol < 0) return undefined;
      i = eol;
    } else if (!python && c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const end = text[i + 1] === '/' ? text.indexOf('\n', i) : text.indexOf('*/', i + 2) + 1;
      if (end <= 0) return undefined;
      i = end;
    } else if (c === "'" || c === '"' || (!python && c === '`')) {
      const triple = python && text.slice(i, i + 3) === c.repeat(3);
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      for (; j < text.length; j++) {
        if (text[j] === '\\') j++;
        else if (text.startsWith(quote, j)) break;
        else if (!triple && c !== '`' && text[j] === '\n') return undefined;
      }
      if (j >= text.length) return undefined;
      i = j + quote.length - 1;
    }
    if (depth < 0) return undefined;
  }
  return undefined;
}

/**
 * `name` as the reference's literal must hold it (`it's` goes into `'…'` as `it\'s`), or
 * undefined when that literal cannot (a Python raw string and a name with its quote).
 */
function written(doc: TextDocument, ref: SecretReference, name: string): string | undefined {
  const opening = doc.getText().slice(ref.literal.span.start, ref.literal.contentSpan.start);
  const quoting = quotingOf(opening, doc.languageId === 'python');
  return quoting ? escapeInLiteral(name, quoting) : name;
}

/** Whether the vault holds a secret that is `name` to a person (isNameTwin): the vault would refuse to create it. */
function isTwinOfSecret(model: VaultModel, name: string): boolean {
  // Twins are at did-you-mean distance 0 (nameLooseFold folds `_`, `-` and spacing away).
  return model.nearestNames(name, MAX_SUGGESTIONS).some((m) => isNameTwin(m.name, name));
}

/**
 * A developer signed in to the vault may ask for what an admin would do. Not while a request for the
 * same secret and agent is pending (the diagnostic says so), nor offline (role null): asking needs the vault.
 */
function canRequest(model: VaultModel, name: string, agent: string | null): agent is string {
  return model.role === 'developer' && agent !== null && !model.isPending(name, agent);
}

function request(title: string, args: RequestAccessArgs, diagnostic: Diagnostic, preferred: boolean): CodeAction {
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: preferred || undefined,
    command: { title, command: Commands.requestAccess, arguments: [args] },
  };
}

/**
 * Move to vault (admins) or Copy as a secret request (everyone else) for a hard-coded credential:
 * commands with ranges, never the literal's text (the client reads it from its own document).
 */
function hardcodedFixes(doc: TextDocument, result: ScanResult, model: VaultModel, diagnostic: Diagnostic): CodeAction[] {
  const at = doc.offsetAt(diagnostic.range.start);
  const finding = result.hardcoded.find((f) => f.span.start === at);
  if (!finding) return [];
  const args: MoveToVaultArgs = {
    uri: doc.uri,
    version: doc.version,
    range: rangeOf(doc, finding.span),
    contentRange: rangeOf(doc, finding.contentSpan),
    suggestedName: suggestSecretName(finding, model.namingStyle, (n) => model.secret(n) !== undefined || isTwinOfSecret(model, n)),
    kind: finding.kind,
    agent: model.agentFor(doc.uri),
  };
  const command = (title: string, id: string): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: true,
    command: { title, command: id, arguments: [args] },
  });
  if (!model.isAdmin) return [command(`Copy as a secret request for '${args.suggestedName}'`, Commands.copySecretRequest)];
  // The value is moved by copying the text between the quotes: only where that text is the value.
  if (finding.escaped) return [];
  // (Lexes the document again: only for the fix that uses it.)
  if (doc.languageId === 'python') args.outsideFunction = outsideFunction(doc.getText(), finding.span.start);
  return [command(`Move to vault as '${args.suggestedName}'…`, Commands.moveToVault)];
}

/** The keys a reference reads, so that "create" starts a key/value form with them; never one that is a credential. */
function keysArg(ref: SecretReference): { keys?: string[] } {
  const keys = [...new Set(ref.keys.map((k) => k.key).filter((k): k is string => k !== null && credentialName(k) === null))];
  return keys.length > 0 ? { keys } : {};
}
