// The Edit Secret form: description and, optionally, new values. Empty value inputs keep the
// stored value; the vault replaces a key/value secret's pairs as a whole, so changing any pair
// needs every value typed.

import { sameKeyMarks, type KeySensitivity } from '../../../protocol/keySensitivity';
import { MAX_DESCRIPTION_LENGTH, checkSecretValue, type SecretValue } from '../../../protocol/names';
import { showInvisible } from '../../../protocol/safeText';
import { formatDate } from '../../../protocol/dates';
import { expiryInputValue, type EditFormData, type EditSubmission, type FormData } from '../../../protocol/webview';
import { h, uid } from '../dom';
import { ProblemLine, secretInput, textArea, textField } from '../fields';
import { Host } from '../host';
import { KeyRows, SENSITIVITY_HINT } from '../keyRows';
import { ago, lifecycleFields } from '../lifecycleFields';
import { renderLoadFailed, renderShell, submitForm } from '../shell';
import { adoptStylesheet } from '../stylesheet';
import { readExpression } from '../usage';

interface Draft {
  form: 'edit';
  name: string;
  version: number;
  description: string;
  keys: string[];
  /** Each key row's mark (null: the default its name implies); metadata, like the keys. */
  marks?: (KeySensitivity | null)[];
  /** The Expires and Rotation reminder fields as typed (dates and day counts, not values). */
  expires?: string;
  rotation?: string;
}

const TITLE = 'Edit Secret';
const UNCHANGED = 'Unchanged';

adoptStylesheet();
const host = new Host<Draft>({
  init: (data: FormData) => {
    if (data.form === 'edit') render(data);
  },
  loadFailed: (message) => renderLoadFailed(host, TITLE, message),
});
host.ready();

function sameKeys(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}


function render(data: EditFormData): void {
  const { secret } = data;
  const saved = host.state;
  const draft = saved?.form === 'edit' && saved.name === secret.name && saved.version === secret.version ? saved : undefined;

  const name = textField({ label: 'Name', value: showInvisible(secret.name), readOnly: true, code: true, hint: 'A name cannot be changed: agent code refers to it.' });
  const description = textArea({
    label: 'Description (optional)',
    value: draft?.description ?? showInvisible(secret.description),
    maxLength: MAX_DESCRIPTION_LENGTH,
  });

  let valueBlock: HTMLElement;
  let singleValue: ReturnType<typeof secretInput> | undefined;
  let singleProblem: ProblemLine | undefined;
  let rows: KeyRows | undefined;
  // The not-a-mapping quick fix: a single value becomes key/value pairs with the keys the code reads.
  const asPairs = secret.kind === 'single' && data.asPairs?.length ? data.asPairs.map(showInvisible) : undefined;
  if (secret.kind === 'single' && asPairs === undefined) {
    const id = uid('value');
    singleValue = secretInput({ id, placeholder: UNCHANGED });
    const problem = new ProblemLine([singleValue.input]);
    singleProblem = problem;
    singleValue.input.addEventListener('input', () => problem.set(undefined));
    valueBlock = h(
      'div',
      { class: 'field' },
      h('label', { for: id }, 'New value'),
      singleValue.root,
      problem.el,
      h('p', { class: 'hint' }, 'Leave empty to keep the current value. The current value is never shown.'),
    );
  } else {
    // The stored marks show as they are; the others follow each key's name (new pairs: their names).
    const marks = draft?.marks ?? (asPairs ? asPairs.map(() => null) : secret.keys.map((k) => secret.keySensitivity?.[k] ?? null));
    rows = new KeyRows({ keys: draft?.keys ?? asPairs ?? secret.keys.map(showInvisible), marks, valuePlaceholder: asPairs ? '' : UNCHANGED, onChange: () => save() });
    valueBlock = h(
      'fieldset',
      { class: 'pairs' },
      h('legend', {}, 'Pairs'),
      h(
        'p',
        { class: 'hint' },
        asPairs
          ? 'The code reads this secret as key/value pairs: saving replaces its single value with these pairs, so type a value for each key. Close the form to keep the single value.'
          : 'Leave every value empty to keep the current pairs. Saving new values replaces all pairs together, so to change, add or remove a key, type a value for each key.',
      ),
      rows.root,
      h('p', { class: 'hint sensitivity-hint' }, SENSITIVITY_HINT),
    );
  }

  // A secret's life: what the vault has now, changed only when the fields are.
  const storedExpires = expiryInputValue(secret.expiresAt);
  const storedRotation = typeof secret.rotationDays === 'number' ? String(secret.rotationDays) : '';
  const life = lifecycleFields({ expires: draft?.expires ?? storedExpires, rotation: draft?.rotation ?? storedRotation, onChange: () => save() });
  const changedAgo = secret.valueUpdatedAt !== undefined ? ago(secret.valueUpdatedAt, Date.now()) : undefined;
  const valueChanged = changedAgo
    ? h(
        'p',
        { class: 'hint value-changed' },
        `Value last changed ${changedAgo}${secret.valueUpdatedBy ? ` by ${secret.valueUpdatedBy}` : ''}${secret.valueVersion !== undefined ? ` (value version ${secret.valueVersion})` : ''}.`,
      )
    : null;
  // One date format, in VS Code's display language (protocol/dates.ts).
  const formatTime = (iso: string) => formatDate(iso, { time: true, ...(data.locale ? { locale: data.locale } : {}) });
  if (valueChanged && secret.valueUpdatedAt) valueChanged.title = formatTime(secret.valueUpdatedAt);

  const shell = renderShell(host, {
    title: TITLE,
    subtitle: h(
      'span',
      {},
      h('code', {}, readExpression(secret.name, data.namingStyle)),
      ` · ${secret.kind === 'kv' ? 'key/value pairs' : 'single value'} · metadata version ${secret.version}, updated ${formatTime(secret.updatedAt)}${secret.updatedBy ? ` by ${secret.updatedBy}` : ''}`,
    ),
    primaryLabel: 'Save',
    sections: [name.root, description.root, valueChanged, valueBlock, life.root],
  });

  function save(): void {
    host.state = {
      form: 'edit',
      name: secret.name,
      version: secret.version,
      description: description.control.value,
      keys: rows?.keys() ?? [],
      marks: rows?.rowMarks() ?? [],
      expires: life.expires.control.value,
      rotation: life.rotation.control.value,
    };
  }
  description.control.addEventListener('input', save);

  const problemFor = (field: string): ProblemLine | undefined => {
    if (field === 'name') return name.problem;
    if (field === 'description') return description.problem;
    if (field === 'value' || field.startsWith('value.')) return rows ? rows.problemFor(field) : singleProblem;
    if (field === 'keySensitivity') return rows?.problem;
    return life.problemFor(field);
  };
  const clearProblems = (): void => {
    for (const p of [name.problem, description.problem, singleProblem, life.expires.problem, life.rotation.problem]) p?.set(undefined);
    rows?.clearProblems();
  };

  shell.form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearProblems();
    let value: SecretValue | undefined;
    if (rows) {
      const changed = rows.anyValueTyped() || !sameKeys(rows.keys(), secret.keys.map(showInvisible));
      if (!rows.validate(changed, 'Type a value for this key: new values replace all pairs together.')) {
        rows.firstProblem()?.focus();
        return;
      }
      if (changed) value = rows.value();
    } else if (singleValue && singleValue.input.value !== '') {
      value = singleValue.input.value;
    }
    if (value !== undefined) {
      const problem = checkSecretValue(value);
      if (problem) {
        const line = problemFor(problem.field);
        line?.set(problem.message);
        line?.focus();
        return;
      }
    }
    // Unchanged fields are not checked (a stored expiry may be past: that is why one edits) nor sent.
    const expiresChanged = life.expires.control.value !== storedExpires;
    const rotationChanged = life.rotation.control.value.trim() !== storedRotation;
    const lifecycle = life.read(Date.now(), { expires: expiresChanged, rotation: rotationChanged });
    if (!lifecycle) {
      (life.expires.problem.message !== undefined ? life.expires.problem : life.rotation.problem).focus();
      return;
    }
    const submission: EditSubmission = { form: 'edit', description: description.control.value };
    if (value !== undefined) submission.value = value;
    if (expiresChanged) submission.expiresAt = lifecycle.expiresAt;
    if (rotationChanged) submission.rotationDays = lifecycle.rotationDays;
    if (rows) {
      // Sent only when they differ from what the vault would keep (its marks on the keys sent).
      const marks = rows.marks();
      const keys = value !== undefined && typeof value !== 'string' ? Object.keys(value) : secret.keys;
      const kept = Object.fromEntries(keys.filter((k) => secret.keySensitivity?.[k] !== undefined).map((k) => [k, secret.keySensitivity![k]!]));
      if (!sameKeyMarks(marks, kept)) submission.keySensitivity = marks;
    }
    void submitForm({ host, shell, problemFor, clearProblems }, submission);
  });

  description.control.focus();
}

