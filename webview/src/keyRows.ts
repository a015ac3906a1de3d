// The key/value pairs editor: a row per key with a masked value, rows added and removed.

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
}

export interface KeyRowsOptions {
  keys: string[];
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
    for (const k of o.keys.length > 0 ? o.keys : ['']) this.addRow(k);
  }

  keys(): string[] {
    return this.rows.map((r) => r.key.value.trim());
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

  addRow(key: string): Row {
    const keyInput = h('input', { id: uid('key'), type: 'text', class: 'code', spellcheck: 'false', autocomplete: 'off', placeholder: 'key' });
    keyInput.value = key;
    const secret = secretInput({ placeholder: this.o.valuePlaceholder ?? 'value' });
    const remove = h('button', { type: 'button', class: 'secondary icon-text' }, 'Remove');
    const keyProblem = new ProblemLine([keyInput]);
    const valueProblem = new ProblemLine([secret.input]);
    const root = h(
      'li',
      { class: 'key-row' },
      keyInput,
      secret.root,
      remove,
      h('div', { class: 'row-problems' }, keyProblem.el, valueProblem.el),
    );
    const row: Row = { root, key: keyInput, secret, remove, keyProblem, valueProblem };
    keyInput.addEventListener('input', () => {
      keyProblem.set(undefined);
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
    });
    this.addButton.disabled = this.rows.length >= MAX_PAIRS;
  }
}
