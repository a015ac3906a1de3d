// The agent access checklist: a checkbox per agent, a filter, select all / none (of the agents the
// filter shows) and an "N of M agents" count. The checkboxes are @vscode-elements' (VS Code's own
// look, codicon check, focus ring and high-contrast borders), labelled by the agent's name and id.

import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import type { AgentOption } from '../../protocol/webview';
import { h, uid } from './dom';
import { ProblemLine } from './fields';

interface Item {
  id: string;
  text: string;
  li: HTMLLIElement;
  box: VscodeCheckbox;
}

export interface AgentListOptions {
  legend: string;
  agents: AgentOption[];
  selected: Iterable<string>;
  currentAgent: string | null;
  onChange(): void;
}

export class AgentList {
  readonly root: HTMLFieldSetElement;
  readonly filter: HTMLInputElement;
  readonly problem: ProblemLine;
  private readonly items: Item[] = [];
  private readonly count: HTMLElement;
  private readonly empty: HTMLElement;

  constructor(private readonly o: AgentListOptions) {
    const selected = new Set(o.selected);
    // Agents on the list that the account no longer has stay visible, so saving never drops them silently.
    const known = new Set(o.agents.map((a) => a.id));
    const agents = [...o.agents, ...[...selected].filter((id) => !known.has(id)).map((id) => ({ id, name: '' }))];

    const filterId = uid('filter');
    this.filter = h('input', { id: filterId, type: 'search', autocomplete: 'off', spellcheck: 'false', placeholder: 'Name or id' });
    const all = h('button', { type: 'button', class: 'secondary' }, 'Select all');
    const none = h('button', { type: 'button', class: 'secondary' }, 'Select none');
    this.count = h('p', { class: 'count', 'aria-live': 'polite' });
    const list = h('ul', { class: 'agents' });
    this.empty = h('p', { class: 'hint', hidden: true });

    for (const a of agents) {
      const name = a.name && a.name !== a.id ? a.name : a.id;
      // The element's own label is its content: the name, the id and the badges, with spaces between
      // them so that the accessible name reads 'Field Service Template PROJECT-WEVYLLDV'.
      const parts = [
        h('span', { class: 'agent-name' }, name),
        name !== a.id ? h('span', { class: 'agent-id' }, a.id) : null,
        a.id === o.currentAgent ? h('span', { class: 'badge' }, 'current') : null,
        known.has(a.id) ? null : h('span', { class: 'badge warning' }, 'no longer in the account'),
      ].filter((x) => x !== null);
      const box = h('vscode-checkbox', { id: uid('agent'), value: a.id }, ...parts.flatMap((x, i) => (i === 0 ? [x] : [' ', x])));
      box.checked = selected.has(a.id);
      const li = h('li', {}, box);
      box.addEventListener('change', () => this.changed());
      list.appendChild(li);
      this.items.push({ id: a.id, text: `${a.id} ${a.name}`.toLowerCase(), li, box });
    }

    this.filter.addEventListener('input', () => this.applyFilter());
    all.addEventListener('click', () => this.setShown(true));
    none.addEventListener('click', () => this.setShown(false));
    this.problem = new ProblemLine([this.filter]);

    const toolbar = h(
      'div',
      { class: 'toolbar' },
      h('label', { for: filterId, class: 'inline' }, 'Filter'),
      this.filter,
      all,
      none,
    );
    this.root = h(
      'fieldset',
      { class: 'agent-list' },
      h('legend', {}, o.legend),
      agents.length === 0 ? h('p', { class: 'hint' }, 'This account has no agents yet.') : null,
      agents.length > 0 ? toolbar : null,
      this.count,
      list,
      this.empty,
      this.problem.el,
    );
    this.updateCount();
  }

  selected(): string[] {
    return this.items.filter((i) => i.box.checked).map((i) => i.id);
  }

  get total(): number {
    return this.items.length;
  }

  /** Tick exactly these agents (draft restore). */
  select(ids: Iterable<string>): void {
    const set = new Set(ids);
    for (const i of this.items) i.box.checked = set.has(i.id);
    this.updateCount();
  }

  setFilter(text: string): void {
    this.filter.value = text;
    this.applyFilter();
  }

  private applyFilter(): void {
    const q = this.filter.value.trim().toLowerCase();
    let shown = 0;
    for (const i of this.items) {
      i.li.hidden = q !== '' && !i.text.includes(q);
      if (!i.li.hidden) shown++;
    }
    this.empty.textContent = `No agent matches '${this.filter.value.trim()}'.`;
    this.empty.hidden = shown > 0 || this.items.length === 0;
    this.o.onChange();
  }

  private setShown(checked: boolean): void {
    for (const i of this.items) if (!i.li.hidden) i.box.checked = checked;
    this.changed();
  }

  private changed(): void {
    this.problem.set(undefined);
    this.updateCount();
    this.o.onChange();
  }

  private updateCount(): void {
    const n = this.selected().length;
    const m = this.items.length;
    this.count.textContent = `${n} of ${m} ${m === 1 ? 'agent' : 'agents'}`;
  }
}
