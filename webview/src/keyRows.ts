// The key/value pairs editor: a row per key with a masked value, rows added and removed, and a
// "Sensitive" checkbox per key: ticked or not by the default the key's name implies as it is typed
// (protocol/keySensitivity.ts), until the person sets it, which makes it a mark.

import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import { defaultKeySensitivity, type KeySensitivity } from '../../protocol/keySensitivity';
import { MAX_PAIRS, checkKey } from '../../protocol/names';
import { h, uid } from './dom';
import { ProblemLine, secretInput, type SecretInput } from './fields';

interface Row {
  root: HTMLLIElement;
  key: HTMLInputElement;
  secret: SecretInput;
  remove: HTMLButtonElement;
  keyProblem: ProblemLine;
  valueProblem: ProblemLine;
  sensitive: VscodeCheckbox;
  /** The key's name, for the checkbox's accessible name (not shown: the row shows it). */
  sensitiveKey: HTMLSpanElement;
  /** "(default)" or "(marked)": where the checkbox's state comes from. */
  sensitiveSource: HTMLSpanElement;
  /** The person's (or the vault's) mark; undefined: the default the key's name implies. */
  mark: KeySensitivity | undefined;
}

/** What the Sensitive checkboxes mean, under the pairs of both forms. */
export const SENSITIVITY_HINT =
  'Sensitive: the key holds a credential, and its value is reported when it reaches a log. A key whose name says it holds an address or an identifier (BASE_URL, EMAIL_ADDRESS, ACCOUNT_ID) is not sensitive by default; change it where the name misleads.';

export interface KeyRowsOptions {
  keys: string[];
  /** A mark per row, in the order of `keys` (null: none, the default applies). */
  marks?: (KeySensitivity | null)[];
  /** Edit form: values start empty, meaning "keep", and say so. */
  valuePlaceholder?: string;
  onChange(): void;
}

export class KeyRows {
  readonly root: HTMLElement;
  /** Problems about the pairs as a whole (`value`): none left, too many, too large. */
  readonly problem: ProblemLine;
  private readonly list: HTMLUListElement;
  private readonly addButton: HTMLButtonElement;
  private rows: Row[] = [];

  constructor(private readonly o: KeyRowsOptions) {
    this.list = h('ul', { class: 'key-rows', 'aria-label': 'Keys and values' });
    this.addButton = h('button', { type: 'button', class: 'secondary' }, 'Add key');
    this.addButton.addEventListener('click', () => {
      this.addRow('').key.focus();
      this.o.onChange();
    });
    this.problem = new ProblemLine([this.addButton]);
    const header = h('div', { class: 'key-header', 'aria-hidden': 'true' }, h('span', {}, 'Key'), h('span', {}, 'Value'));
    this.root = h('div', { class: 'key-editor' }, header, this.list, this.problem.el, h('div', { class: 'row-actions' }, this.addButton));
    if (o.keys.length === 0) this.addRow('');
    o.keys.forEach((k, i) => this.addRow(k, o.marks?.[i] ?? undefined));
  }

  keys(): string[] {
    return this.rows.map((r) => r.key.value.trim());
  }

  /** Each row's mark, in row order (null: none), for a draft. */
  rowMarks(): (KeySensitivity | null)[] {
    return this.rows.map((r) => r.mark ?? null);
  }

  /** The marks of the keys typed (key names, never values): only the rows the person or the vault marked. */
  marks(): Record<string, KeySensitivity> {
    const marks: Record<string, KeySensitivity> = {};
    for (const r of this.rows) {
      const key = r.key.value.trim();
      if (key !== '' && r.mark !== undefined) marks[key] = r.mark;
    }
    return marks;
  }

  /** Whether any value input has something typed. */
  anyValueTyped(): boolean {
    return this.rows.some((r) => r.secret.input.value !== '');
  }

  /** The pairs as typed. Read only at submit time. */
  value(): Record<string, string> {
    const pairs: Record<string, string> = {};
    for (const r of this.rows) pairs[r.key.value.trim()] = r.secret.input.value;
    return pairs;
  }

  /**
   * Checks every row and shows problems in place; true when all rows are fine. `requireValues`
   * is false only when the person keeps every stored value.
   */
  validate(requireValues: boolean, emptyValueMessage: string): boolean {
    let ok = true;
    const seen = new Set<string>();
    for (const r of this.rows) {
      const key = r.key.value.trim();
      let keyProblem = key === '' ? 'Type a key.' : checkKey(key);
      if (keyProblem === undefined && seen.has(key)) keyProblem = `The key '${key}' appears more than once.`;
      seen.add(key);
      r.keyProblem.set(keyProblem);
      const valueProblem = requireValues && r.secret.input.value === '' ? emptyValueMessage : undefined;
      r.valueProblem.set(valueProblem);
      if (keyProblem !== undefined || valueProblem !== undefined) ok = false;
    }
    return ok;
  }

  /** Where a vault problem about `value.<key>` goes. */
  problemFor(field: string): ProblemLine | undefined {
    if (field === 'value') return this.problem;
    if (!field.startsWith('value.')) return undefined;
    const key = field.slice('value.'.length);
    const row = this.rows.find((r) => r.key.value.trim() === key);
    return row?.valueProblem;
  }

  clearProblems(): void {
    this.problem.set(undefined);
    for (const r of this.rows) {
      r.keyProblem.set(undefined);
      r.valueProblem.set(undefined);
    }
  }

  /** The first row problem shown, to move focus there after a failed check. */
  firstProblem(): ProblemLine | undefined {
    for (const r of this.rows) {
      if (r.keyProblem.message !== undefined) return r.keyProblem;
      if (r.valueProblem.message !== undefined) return r.valueProblem;
    }
    return this.problem.message !== undefined ? this.problem : undefined;
  }

  addRow(key: string, mark?: KeySensitivity): Row {
    const keyInput = h('input', { id: uid('key'), type: 'text', class: 'code', spellcheck: 'false', autocomplete: 'off', placeholder: 'key' });
    keyInput.value = key;
    const secret = secretInput({ placeholder: this.o.valuePlaceholder ?? 'value' });
    const remove = h('button', { type: 'button', class: 'secondary icon-text' }, 'Remove');
    const keyProblem = new ProblemLine([keyInput]);
    const valueProblem = new ProblemLine([secret.input]);
    const sensitiveKey = h('span', { class: 'visually-hidden' });
    const sensitiveSource = h('span', { class: 'sensitivity-source' });
    const sensitive = h(
      'vscode-checkbox',
      { id: uid('sensitive'), class: 'sensitivity', title: 'Sensitive: a credential, reported when its value reaches a log. Clear it for configuration such as a base URL.' },
      sensitiveKey,
      'Sensitive',
      sensitiveSource,
    );
    const root = h(
      'li',
      { class: 'key-row' },
      keyInput,
      secret.root,
      sensitive,
      remove,
      h('div', { class: 'row-problems' }, keyProblem.el, valueProblem.el),
    );
    const row: Row = { root, key: keyInput, secret, remove, keyProblem, valueProblem, sensitive, sensitiveKey, sensitiveSource, mark };
    keyInput.addEventListener('input', () => {
      keyProblem.set(undefined);
      this.relabel();
      this.o.onChange();
    });
    // Set by the person: a mark when it differs from the default, none when it is the default again.
    sensitive.addEventListener('change', () => {
      const chosen: KeySensitivity = sensitive.checked ? 'sensitive' : 'not-sensitive';
      row.mark = chosen === defaultKeySensitivity(keyInput.value.trim()) ? undefined : chosen;
      this.relabel();
      this.o.onChange();
    });
    secret.input.addEventListener('input', () => valueProblem.set(undefined));
    remove.addEventListener('click', () => this.removeRow(row));
    this.rows.push(row);
    this.list.appendChild(root);
    this.relabel();
    return row;
  }

  private removeRow(row: Row): void {
    const index = this.rows.indexOf(row);
    if (index < 0 || this.rows.length === 1) return;
    this.rows.splice(index, 1);
    row.root.remove();
    this.relabel();
    // Keep the keyboard user in place: the next row, else the previous one, else "Add key".
    const next = this.rows[index] ?? this.rows[index - 1];
    (next ? next.key : this.addButton).focus();
    this.o.onChange();
  }

  /** Accessible names follow the keys, so "Remove client_id" says what it removes. */
  private relabel(): void {
    this.rows.forEach((r, i) => {
      const name = r.key.value.trim() || `key ${i + 1}`;
      r.key.setAttribute('aria-label', `Key ${i + 1}`);
      r.secret.input.setAttribute('aria-label', `Value of ${name}`);
      r.remove.setAttribute('aria-label', `Remove ${name}`);
      r.remove.disabled = this.rows.length === 1;
      // Unmarked, the checkbox follows the key's name as it is typed.
      const key = r.key.value.trim();
      r.sensitive.checked = (r.mark ?? defaultKeySensitivity(key)) === 'sensitive';
      r.sensitiveKey.textContent = `${name}: `;
      r.sensitiveSource.textContent = r.mark !== undefined ? ' (marked)' : key === '' ? '' : ' (default)';
    });
    this.addButton.disabled = this.rows.length >= MAX_PAIRS;
  }
}
