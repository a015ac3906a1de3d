// Labelled form controls. Every control has a <label> (or an aria-label where a visible label
// would repeat a column header), and its hint and problem are wired with aria-describedby so that
// screen readers read them with the control.

import { h, uid, type Child } from './dom';

type Control = HTMLInputElement | HTMLTextAreaElement;

function addDescribedBy(control: HTMLElement, id: string): void {
  const ids = (control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  control.setAttribute('aria-describedby', [...ids, id].join(' '));
}

/** The problem line under a control: empty and hidden when there is none. */
export class ProblemLine {
  readonly el: HTMLParagraphElement;

  constructor(private readonly controls: HTMLElement[]) {
    const id = uid('problem');
    // Polite live region: a problem that appears as you type is announced without moving focus.
    this.el = h('p', { id, class: 'problem', hidden: true, 'aria-live': 'polite' });
    for (const c of controls) addDescribedBy(c, id);
  }

  get message(): string | undefined {
    return this.el.hidden ? undefined : (this.el.textContent ?? undefined);
  }

  set(message: string | undefined): void {
    this.el.textContent = message ?? '';
    this.el.hidden = message === undefined;
    for (const c of this.controls) {
      if (message === undefined) c.removeAttribute('aria-invalid');
      else c.setAttribute('aria-invalid', 'true');
    }
  }

  /** Focus the first control; after a failed submit, this is where the person continues. */
  focus(): void {
    this.controls[0]?.focus();
  }
}

export interface Field<C extends Control> {
  root: HTMLElement;
  control: C;
  hint: HTMLElement | undefined;
  problem: ProblemLine;
}

interface FieldOptions {
  label: string;
  value?: string;
  hint?: Child;
  readOnly?: boolean;
  maxLength?: number;
  /** Names and keys: monospace, no spell checking. */
  code?: boolean;
  placeholder?: string;
  required?: boolean;
}

function wrap<C extends Control>(control: C, o: FieldOptions): Field<C> {
  const label = h('label', { for: control.id }, o.label);
  let hint: HTMLElement | undefined;
  if (o.hint !== undefined) {
    hint = h('p', { id: uid('hint'), class: 'hint' }, o.hint);
    addDescribedBy(control, hint.id);
  }
  const problem = new ProblemLine([control]);
  const root = h('div', { class: 'field' }, label, control, problem.el, hint);
  return { root, control, hint, problem };
}

export function textField(o: FieldOptions): Field<HTMLInputElement> {
  const input = h('input', {
    id: uid('field'),
    type: 'text',
    class: o.code ? 'code' : undefined,
    spellcheck: o.code ? 'false' : undefined,
    autocomplete: 'off',
    readonly: o.readOnly,
    maxlength: o.maxLength,
    placeholder: o.placeholder,
    'aria-required': o.required ? 'true' : undefined,
  });
  input.value = o.value ?? '';
  return wrap(input, o);
}

export function textArea(o: FieldOptions): Field<HTMLTextAreaElement> {
  const area = h('textarea', { id: uid('field'), rows: 3, maxlength: o.maxLength, placeholder: o.placeholder });
  area.value = o.value ?? '';
  return wrap(area, o);
}

export interface SecretInput {
  /** The input and its reveal toggle, side by side. */
  root: HTMLElement;
  input: HTMLInputElement;
  toggle: HTMLButtonElement;
}

/**
 * A masked value input with a Show/Hide toggle. The value lives only in this input: nothing
 * mirrors it into attributes, state or other elements.
 */
export function secretInput(o: { id?: string; ariaLabel?: string; placeholder?: string }): SecretInput {
  const input = h('input', {
    id: o.id ?? uid('secret'),
    type: 'password',
    class: 'code',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-label': o.ariaLabel,
    placeholder: o.placeholder,
  });
  const toggle = h('button', { type: 'button', class: 'secondary reveal', 'aria-pressed': 'false', 'aria-controls': input.id }, 'Show');
  const setLabel = (): void => {
    const what = input.getAttribute('aria-label') ?? 'value';
    toggle.setAttribute('aria-label', `${toggle.textContent ?? ''} ${what.charAt(0).toLowerCase()}${what.slice(1)}`);
  };
  setLabel();
  toggle.addEventListener('click', () => {
    const reveal = input.type === 'password';
    input.type = reveal ? 'text' : 'password';
    toggle.textContent = reveal ? 'Hide' : 'Show';
    toggle.setAttribute('aria-pressed', String(reveal));
    setLabel();
  });
  // The toggle's label follows the input's, which the key rows rename as keys change.
  new MutationObserver(setLabel).observe(input, { attributes: true, attributeFilter: ['aria-label'] });
  return { root: h('div', { class: 'secret-input' }, input, toggle), input, toggle };
}
