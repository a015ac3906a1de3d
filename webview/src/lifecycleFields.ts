// A secret's life in the forms: the optional Expires date and Rotation reminder fields,
// checked as you type with the rules the host applies again (protocol/webview.ts), and the "value
// last changed" line of Edit Secret. Dates and day counts only: nothing here is ever a value.

import { timeAgo } from '../../protocol/dates';
import { parseExpiryInput, parseRotationInput } from '../../protocol/webview';
import { h } from './dom';
import { textField, type Field } from './fields';

export interface LifecycleFields {
  expires: Field<HTMLInputElement>;
  rotation: Field<HTMLInputElement>;
  /** Both fields, side by side. */
  root: HTMLElement;
  /**
   * The fields as the vault takes them, or undefined after showing each problem in place
   * (`expiresAt` null: never expires; `rotationDays` null: no reminder). `which`: only those fields
   * are checked (Edit leaves an unchanged one alone: a stored expiry may well be past); the others read null.
   */
  read(nowMs: number, which?: { expires: boolean; rotation: boolean }): { expiresAt: string | null; rotationDays: number | null } | undefined;
  /** The problem line for a vault error about `expiresAt` or `rotationDays`. */
  problemFor(field: string): Field<HTMLInputElement>['problem'] | undefined;
}

export function lifecycleFields(o: { expires: string; rotation: string; onChange(): void }): LifecycleFields {
  const expires = textField({
    label: 'Expires (optional)',
    value: o.expires,
    hint: 'From this day (00:00 UTC) on, the vault refuses run-time reads of the secret. Empty: never expires.',
  });
  expires.control.type = 'date';
  const rotation = textField({
    label: 'Rotation reminder (days, optional)',
    value: o.rotation,
    placeholder: 'e.g. 90',
    hint: 'Marked “rotation due” once the value is older than this; reads keep working. Empty: no reminder.',
  });
  rotation.control.setAttribute('inputmode', 'numeric');
  rotation.control.classList.add('short');

  // A problem shows when you leave the field (not at every keystroke of a date) and goes as you fix it.
  const check = (now: number) => {
    const e = parseExpiryInput(expires.control.value, now);
    const r = parseRotationInput(rotation.control.value);
    return { e, r };
  };
  for (const f of [expires, rotation]) {
    f.control.addEventListener('input', () => {
      if (f.problem.message !== undefined) {
        const { e, r } = check(Date.now());
        f.problem.set(f === expires ? ('problem' in e ? e.problem : undefined) : 'problem' in r ? r.problem : undefined);
      }
      o.onChange();
    });
    f.control.addEventListener('change', () => {
      const { e, r } = check(Date.now());
      f.problem.set(f === expires ? ('problem' in e ? e.problem : undefined) : 'problem' in r ? r.problem : undefined);
    });
  }

  return {
    expires,
    rotation,
    root: h('div', { class: 'lifecycle' }, expires.root, rotation.root),
    read(nowMs, which = { expires: true, rotation: true }) {
      const checked = check(nowMs);
      const e = which.expires ? checked.e : { value: null };
      const r = which.rotation ? checked.r : { value: null };
      expires.problem.set('problem' in e ? e.problem : undefined);
      rotation.problem.set('problem' in r ? r.problem : undefined);
      if ('problem' in e || 'problem' in r) return undefined;
      return { expiresAt: e.value, rotationDays: r.value };
    },
    problemFor(field) {
      if (field === 'expiresAt') return expires.problem;
      if (field === 'rotationDays') return rotation.problem;
      return undefined;
    },
  };
}

/** "3 days ago", "5 hours ago", "just now": for "Value last changed …" (protocol/dates.ts, as the hover's last read). */
export const ago = timeAgo;
