// The `hardcoded-secret` quick fixes. Move to vault (admins): the value is read here,
// from the editor's own copy of the document at the range the language server sent (the server
// never sends the text), handed to the Create form (filled in, masked), and after the vault has
// created the secret the literal is replaced with the code that reads it, in one undoable edit.
// Copy as a secret request (everyone else): a note for an admin, with no value in it.
//
// The value lives only in this module's closures while the form is open; it is never logged,
// stored, or put on the clipboard.

import path from 'node:path';
import * as vscode from 'vscode';
import type { SecretMetadata } from '../../protocol/api';
import type { MoveToVaultArgs } from '../../protocol/lsp';
import { config } from './config';
import { secretRequestNote } from './core/secretRequest';
import { renderSnippet } from './core/snippets';
import { singleQuoted } from '../../protocol/nameLiterals';
import type { Ctx } from './ctx';

interface Literal {
  doc: vscode.TextDocument;
  range: vscode.Range;
  /** The literal as written (quotes included): to find it again if the document changes while the form is open. */
  text: string;
  value: string;
  /** `functions/pay.py:12`. */
  location: string;
}

function isArgs(v: unknown): v is MoveToVaultArgs {
  const a = v as Partial<MoveToVaultArgs> | undefined;
  return typeof a?.uri === 'string' && typeof a.version === 'number' && typeof a.suggestedName === 'string' && typeof a.kind === 'string' && !!a.range && !!a.contentRange;
}

const toRange = (r: MoveToVaultArgs['range']) => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

/** The literal the quick fix was made for, read from the editor, or an error a person can act on. */
async function readLiteral(args: MoveToVaultArgs): Promise<Literal> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri));
  if (doc.version !== args.version) throw new Error('The file changed since the problem was reported: wait a moment for it to be checked again, then use the quick fix again.');
  const range = toRange(args.range);
  const value = doc.getText(toRange(args.contentRange));
  // The server offers the fix only where the text between the quotes is the value itself.
  if (value === '' || value.includes('\\') || value.includes('\n')) throw new Error('This literal cannot be moved as it is written (escapes or line breaks): create the secret yourself.');
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  const file = folder ? path.relative(folder.uri.fsPath, doc.uri.fsPath) : path.basename(doc.uri.fsPath);
  return { doc, range, text: doc.getText(range), value, location: `${file}:${range.start.line + 1}` };
}

function readCode(ctx: Ctx, name: string, doc: vscode.TextDocument): string {
  const conn = ctx.requireConnected();
  return renderSnippet({
    name,
    kind: 'single',
    namingStyle: conn.namingStyle,
    languageId: doc.languageId,
    templates: config.snippetTemplates(vscode.workspace.getWorkspaceFolder(doc.uri)),
  });
}

/** Objects a read may start with that exist when a module loads. */
const MODULE_OBJECTS = new Set(['os', 'process']);

/**
 * When the literal is outside every function, what to do after the move: a read through the object
 * an agent's function receives (`conv.utils.get_secret(…)`, or whatever the snippet template names)
 * would run when the module loads, where that object does not exist. An environment read, or an
 * imported `get_secret`, works there. The edit itself adds nothing else.
 */
function placementNote(arg: MoveToVaultArgs, literal: Literal, code: string): string | undefined {
  const object = /^([A-Za-z_]\w*)\./.exec(code)?.[1];
  if (!arg.outsideFunction || object === undefined || MODULE_OBJECTS.has(object)) return undefined;
  return `${literal.location} is outside any function, where ${object} does not exist when the module loads: move the read into the function that receives ${object}.`;
}

/** Where the literal is now: where it was if unchanged there, else its only occurrence in the document. */
function currentRange(literal: Literal): vscode.Range | undefined {
  const { doc } = literal;
  if (doc.getText(literal.range) === literal.text) return literal.range;
  const text = doc.getText();
  const first = text.indexOf(literal.text);
  if (first < 0 || text.indexOf(literal.text, first + 1) >= 0) return undefined;
  return new vscode.Range(doc.positionAt(first), doc.positionAt(first + literal.text.length));
}

export async function moveToVault(ctx: Ctx, arg: unknown): Promise<void> {
  if (!isArgs(arg)) throw new Error('Move to vault needs a hard-coded credential: use the quick fix on its warning.');
  ctx.requireConnected();
  const literal = await readLiteral(arg);
  const replacement = readCode(ctx, arg.suggestedName, literal.doc);
  const note = placementNote(arg, literal, replacement);
  ctx.panels.openCreate({
    name: arg.suggestedName,
    agent: arg.agent,
    description: `${arg.kind}, moved out of ${literal.location}.`,
    value: literal.value,
    moveFrom: { location: literal.location, replacement, ...(note !== undefined ? { note } : {}) },
    onCreated: async (secret: SecretMetadata) => {
      const code = readCode(ctx, secret.name, literal.doc);
      const range = currentRange(literal);
      if (!range) {
        await vscode.env.clipboard.writeText(code);
        void vscode.window.showWarningMessage(
          `Created '${secret.name}', but the literal in ${literal.location} changed meanwhile, so it was not replaced. Replace it with the code now on the clipboard: ${code}`,
        );
        return;
      }
      const edit = new vscode.WorkspaceEdit();
      edit.replace(literal.doc.uri, range, code);
      if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`The editor refused the edit in ${literal.location}.`);
      ctx.log.info(`Moved a hard-coded ${arg.kind} from ${literal.location} to the vault as ${secret.name}.`);
      const moved = `The ${arg.kind} is now the secret '${secret.name}', and ${literal.location} reads it.`;
      const history = "It is still in the file's history: revoke it at its provider and put a new one in the vault.";
      // With a note there is something left to do: a warning, not an information.
      if (note !== undefined) void vscode.window.showWarningMessage(`${moved} ${note} ${history}`);
      else void vscode.window.showInformationMessage(`${moved} ${history}`);
    },
  });
}

export async function copySecretRequest(ctx: Ctx, arg: unknown): Promise<void> {
  if (!isArgs(arg)) throw new Error('Copy as a secret request needs a hard-coded credential: use the quick fix on its warning.');
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(arg.uri));
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  const file = folder ? path.relative(folder.uri.fsPath, doc.uri.fsPath) : path.basename(doc.uri.fsPath);
  const location = `${file}:${arg.range.start.line + 1}`;
  const code = ctx.connection?.state.state === 'connected' ? readCode(ctx, arg.suggestedName, doc) : `conv.utils.get_secret(${singleQuoted(arg.suggestedName)})`;
  const note = secretRequestNote(arg, location, code);
  await vscode.env.clipboard.writeText(note.clipboard);
  void vscode.window.showInformationMessage(note.notice);
}
