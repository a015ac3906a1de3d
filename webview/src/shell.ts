// What every form shares: the page frame, the banner above the form, the Cancel/primary buttons,
// the busy state while a submit is in flight and the routing of problems to their fields.

import type { FormProblem, Submission } from '../../protocol/webview';
import { h, type Child } from './dom';
import type { ProblemLine } from './fields';
import type { Host } from './host';

export class Banner {
  readonly el: HTMLElement;

  constructor() {
    this.el = h('div', { class: 'banner', role: 'alert', hidden: true });
  }

  /** `action` adds a button (the conflict's Reload) after the text. */
  show(kind: 'error' | 'warning', text: string, action?: { label: string; run(): void }): void {
    this.el.className = `banner ${kind}`;
    this.el.replaceChildren(h('p', {}, text));
    if (action) {
      const button = h('button', { type: 'button' }, action.label);
      button.addEventListener('click', action.run);
      this.el.appendChild(button);
    }
    this.el.hidden = false;
  }

  clear(): void {
    this.el.hidden = true;
    this.el.replaceChildren();
  }
}

export interface Shell {
  form: HTMLFormElement;
  banner: Banner;
  primary: HTMLButtonElement;
  setBusy(busy: boolean): void;
}

/** Replaces the page with a form titled `title`; `sections` go between the banner and the buttons. */
export function renderShell<S>(
  host: Host<S>,
  o: { title: string; subtitle?: Child; primaryLabel: string; sections: Child[] },
): Shell {
  const banner = new Banner();
  const primary = h('button', { type: 'submit', class: 'primary' }, o.primaryLabel);
  const cancel = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
  cancel.addEventListener('click', () => host.cancel());
  // novalidate: our own checks show messages in place; form-action 'none' in the CSP means a
  // submit that escaped preventDefault still goes nowhere.
  const form = h('form', { novalidate: true }, ...o.sections, h('div', { class: 'actions' }, primary, cancel));
  const main = h(
    'main',
    {},
    h('h1', {}, o.title),
    o.subtitle ? h('p', { class: 'subtitle' }, o.subtitle) : null,
    banner.el,
    form,
  );
  document.body.replaceChildren(main);
  return {
    form,
    banner,
    primary,
    setBusy(busy) {
      form.setAttribute('aria-busy', String(busy));
      primary.disabled = busy;
    },
  };
}

/** A page that only says something (loading failed), with a Retry that asks the host to reload. */
export function renderLoadFailed<S>(host: Host<S>, title: string, message: string): void {
  const retry = h('button', { type: 'button', class: 'primary' }, 'Retry');
  retry.addEventListener('click', () => host.reload());
  const cancel = h('button', { type: 'button', class: 'secondary' }, 'Close');
  cancel.addEventListener('click', () => host.cancel());
  document.body.replaceChildren(
    h('main', {}, h('h1', {}, title), h('div', { class: 'banner error', role: 'alert' }, h('p', {}, message)), h('div', { class: 'actions' }, retry, cancel)),
  );
  retry.focus();
}

export interface SubmitOptions<S> {
  host: Host<S>;
  shell: Shell;
  /** The field's problem line, or undefined to show the problem in the banner. */
  problemFor(field: string): ProblemLine | undefined;
  clearProblems(): void;
}

/**
 * Sends `submission` and shows the outcome. On success the host closes the panel; on failure
 * everything typed stays, and the vault's problem appears beside its field.
 */
export async function submitForm<S>(o: SubmitOptions<S>, submission: Submission): Promise<void> {
  o.shell.setBusy(true);
  o.shell.banner.clear();
  o.clearProblems();
  const reply = await o.host.submit(submission);
  o.shell.setBusy(false);
  if (reply.type === 'conflict') {
    const version = reply.currentVersion === null ? '' : ` (it is now at version ${reply.currentVersion})`;
    o.shell.banner.show('warning', `This secret was changed since this form opened${version}. Reload to edit the current version.`, {
      label: 'Reload',
      run: () => o.host.reload(),
    });
    o.shell.banner.el.querySelector('button')?.focus();
    return;
  }
  if (reply.ok) {
    o.shell.setBusy(true); // the panel closes; keep a second submit from racing it
    return;
  }
  showProblem(o, reply.problem);
}

export function showProblem<S>(o: SubmitOptions<S>, problem: FormProblem): void {
  const line = problem.field !== undefined ? o.problemFor(problem.field) : undefined;
  if (line) {
    line.set(problem.message);
    line.focus();
  } else {
    o.shell.banner.show('error', problem.message);
  }
}
