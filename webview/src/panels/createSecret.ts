// The Create Secret form: name (checked as you type), description, kind, masked value(s), agent access.

import type { KeySensitivity } from '../../../protocol/keySensitivity';
import { MAX_DESCRIPTION_LENGTH, checkSecretName, checkSecretValue, conventionalName, followsConvention, NAME_TWIN_RULE, nameTwinOf, type SecretValue } from '../../../protocol/names';
import { injectionNotice } from '../../../protocol/processEnv';
import type { CreateFormData, CreateSubmission, FormData } from '../../../protocol/webview';
import { AgentList } from '../agentList';
import { h, show, uid } from '../dom';
import { ProblemLine, secretInput, textArea, textField } from '../fields';
import { Host } from '../host';
import { KeyRows, SENSITIVITY_HINT } from '../keyRows';
import { lifecycleFields } from '../lifecycleFields';
import { renderLoadFailed, renderShell, submitForm } from '../shell';
import { adoptStylesheet } from '../stylesheet';
import { readExpression, styleRule } from '../usage';

/** Kept across hide/show of the panel. Never a value: only what the vault would list anyway. */
interface Draft {
  form: 'create';
  name: string;
  description: string;
  kind: 'single' | 'kv';
  keys: string[];
  /** Each key row's mark (null: the default its name implies); metadata, like the keys. */
  marks?: (KeySensitivity | null)[];
  agents: string[];
  filter: string;
  /** The Expires and Rotation reminder fields as typed (dates and day counts, not values). */
  expires?: string;
  rotation?: string;
}

const TITLE = 'Create Secret';

adoptStylesheet();
const host = new Host<Draft>({
  init: (data: FormData) => {
    if (data.form === 'create') render(data);
  },
  loadFailed: (message) => renderLoadFailed(host, TITLE, message),
});
host.ready();

function render(data: CreateFormData): void {
  const saved = host.state;
  const draft: Draft | undefined = saved?.form === 'create' ? saved : undefined;
  // By fold (case, spacing, `_`/`-`, NFKC): the vault refuses a new name that a person would take
  // for an existing one (409), so the form says so as you type, naming the one that exists.
  const existing = data.existingNames;
  const prefillKeys = data.prefill.keys ?? [];

  // ---- name ----
  const exampleCode = h('code', {});
  const name = textField({
    label: 'Name',
    value: draft?.name ?? data.prefill.name ?? '',
    code: true,
    required: true,
    hint: h('span', {}, `${styleRule(data.namingStyle)} Agents read it with `, exampleCode, '.'),
  });
  // Environment-style accounts: local runs inject credential-shaped names only, others when a run
  // opts in (protocol/processEnv.ts); said before saving. A name that controls a process is refused (checkName).
  const controlWarning = h('p', { id: uid('warning'), class: 'name-warning warning', hidden: true, 'aria-live': 'polite' });
  name.root.insertBefore(controlWarning, name.hint ?? null);
  name.control.setAttribute('aria-describedby', `${name.control.getAttribute('aria-describedby') ?? ''} ${controlWarning.id}`.trim());
  // get_secret accounts: a valid name off the convention gets advice, never an error: the
  // conforming name, why, and a button that puts it in the field.
  const adviceText = h('span', {});
  const useConventional = h('button', { type: 'button', class: 'secondary use-name' });
  const advice = h('p', { id: uid('advice'), class: 'name-advice', hidden: true, 'aria-live': 'polite' }, adviceText, ' ', useConventional);
  name.root.insertBefore(advice, name.hint ?? null);
  name.control.setAttribute('aria-describedby', `${name.control.getAttribute('aria-describedby') ?? ''} ${advice.id}`.trim());
  let suggested: string | undefined;
  useConventional.addEventListener('click', () => {
    if (suggested === undefined) return;
    name.control.value = suggested;
    nameTouched = true;
    updateName();
    save();
    name.control.focus();
  });
  let nameTouched = name.control.value !== '';
  const checkName = (final: boolean): string | undefined => {
    const value = name.control.value;
    if (value === '' && !final && !nameTouched) return undefined;
    const problem = checkSecretName(value, data.namingStyle);
    if (problem !== undefined) return problem;
    const notice = data.namingStyle === 'UPPER_CASE' ? injectionNotice(value) : undefined;
    if (notice?.refused) return notice.message;
    const twin = nameTwinOf(value, existing);
    if (twin === undefined) return undefined;
    return twin === value
      ? `A secret named '${value}' already exists.`
      : `A secret named '${twin}' already exists: ${NAME_TWIN_RULE} to a person. Use '${twin}' or choose another name.`;
  };
  const updateAdvice = (problem: string | undefined): void => {
    const value = name.control.value;
    suggested = undefined;
    if (data.namingStyle === 'snake_case' && problem === undefined && value !== '' && !followsConvention(value, data.namingStyle)) {
      const conforming = conventionalName(value, data.namingStyle);
      // A suggestion that is itself taken would only trade advice for an error.
      suggested = conforming !== undefined && nameTwinOf(conforming, existing) === undefined ? conforming : undefined;
    }
    const show = data.namingStyle === 'snake_case' && problem === undefined && value !== '' && !followsConvention(value, data.namingStyle);
    advice.hidden = !show;
    if (!show) return;
    adviceText.textContent =
      suggested !== undefined
        ? `snake_case is advised: code reads ${readExpression(suggested, data.namingStyle)} more easily. This name is accepted as it is.`
        : 'snake_case (lower-case letters, digits and underscores) is advised, so code reads the name easily. This name is accepted as it is.';
    useConventional.hidden = suggested === undefined;
    useConventional.textContent = suggested !== undefined ? `Use ${suggested}` : '';
  };
  const updateName = (): void => {
    exampleCode.textContent = readExpression(name.control.value || (data.namingStyle === 'UPPER_CASE' ? 'NAME' : 'name'), data.namingStyle);
    const problem = checkName(false);
    name.problem.set(problem);
    updateAdvice(problem);
    const notice = data.namingStyle === 'UPPER_CASE' && problem === undefined && name.control.value !== '' ? injectionNotice(name.control.value) : undefined;
    controlWarning.hidden = notice === undefined;
    controlWarning.textContent = notice?.message ?? '';
  };
  name.control.addEventListener('input', () => {
    nameTouched = true;
    updateName();
  });
  name.control.addEventListener('blur', () => {
    if (nameTouched) updateName();
  });

  // ---- description ----
  const description = textArea({
    label: 'Description (optional)',
    value: draft?.description ?? data.prefill.description ?? '',
    maxLength: MAX_DESCRIPTION_LENGTH,
    hint: 'What the credential is for, so reviewers know why an agent needs it.',
  });

  // ---- kind and value ----
  const kindName = uid('kind');
  const single = h('input', { type: 'radio', name: kindName, id: uid('kind'), value: 'single' });
  const kv = h('input', { type: 'radio', name: kindName, id: uid('kind'), value: 'kv' });
  const initialKind = data.prefill.value !== undefined ? 'single' : (draft?.kind ?? (prefillKeys.length > 0 ? 'kv' : 'single'));
  (initialKind === 'kv' ? kv : single).checked = true;
  const kindSet = h(
    'fieldset',
    { class: 'kind' },
    h('legend', {}, 'Kind'),
    h('label', { for: single.id }, single, 'Single value', h('span', { class: 'hint-inline' }, '(read as a str)')),
    h('label', { for: kv.id }, kv, 'Key/value pairs', h('span', { class: 'hint-inline' }, '(read as a dict)')),
  );

  const valueId = uid('value');
  const singleValue = secretInput({ id: valueId });
  // Move to vault: the literal from the editor, masked like a typed value (and, like one, never saved in the draft).
  const moveFrom = data.prefill.moveFrom;
  if (data.prefill.value !== undefined) singleValue.input.value = data.prefill.value;
  const singleProblem = new ProblemLine([singleValue.input]);
  singleValue.input.addEventListener('input', () => singleProblem.set(undefined));
  const singleBlock = h(
    'div',
    { class: 'field' },
    h('label', { for: valueId }, 'Value'),
    singleValue.root,
    singleProblem.el,
    moveFrom
      ? h('p', { class: 'hint move-from' }, `From ${moveFrom.location}. On Create, the literal there is replaced with `, h('code', {}, moveFrom.replacement), '.')
      : h('p', { class: 'hint' }, 'Shown only while you type: after creation the value is never displayed again.'),
  );
  if (moveFrom?.note !== undefined) singleBlock.append(h('p', { class: 'move-note warning' }, moveFrom.note));
  const rows = new KeyRows({ keys: draft?.keys ?? prefillKeys, ...(draft?.marks ? { marks: draft.marks } : {}), onChange: () => save() });
  const kvBlock = h(
    'fieldset',
    { class: 'pairs' },
    h('legend', {}, 'Pairs'),
    rows.root,
    h('p', { class: 'hint' }, 'Values are shown only while you type: after creation they are never displayed again.'),
    h('p', { class: 'hint sensitivity-hint' }, SENSITIVITY_HINT),
  );
  const applyKind = (): void => {
    show(singleBlock, single.checked);
    show(kvBlock, kv.checked);
  };
  for (const r of [single, kv]) r.addEventListener('change', () => (applyKind(), save()));
  applyKind();

  // ---- a secret's life: expiry and rotation reminder (optional) ----
  const life = lifecycleFields({ expires: draft?.expires ?? '', rotation: draft?.rotation ?? '', onChange: () => save() });

  // ---- access ----
  const agentIds = new Set(data.agents.map((a) => a.id));
  const agents = new AgentList({
    legend: 'Agent access',
    agents: data.agents,
    selected: draft?.agents ?? (data.currentAgent !== null && agentIds.has(data.currentAgent) ? [data.currentAgent] : []),
    currentAgent: data.currentAgent,
    onChange: () => save(),
  });
  agents.root.appendChild(h('p', { class: 'hint' }, 'Only the agents ticked here can read the secret at run time. Grant only those that need it.'));
  if (draft) agents.setFilter(draft.filter);

  const shell = renderShell(host, {
    title: TITLE,
    primaryLabel: 'Create',
    sections: [...linkOrigin(data.origin), name.root, description.root, kindSet, singleBlock, kvBlock, life.root, agents.root],
  });

  function save(): void {
    host.state = {
      form: 'create',
      name: name.control.value,
      description: description.control.value,
      kind: kv.checked ? 'kv' : 'single',
      keys: rows.keys(),
      marks: rows.rowMarks(),
      agents: agents.selected(),
      filter: agents.filter.value,
      expires: life.expires.control.value,
      rotation: life.rotation.control.value,
    };
  }
  name.control.addEventListener('input', save);
  description.control.addEventListener('input', save);

  const problemFor = (field: string): ProblemLine | undefined => {
    if (field === 'name') return name.problem;
    if (field === 'description') return description.problem;
    if (field === 'agents' || field.startsWith('agents.')) return agents.problem;
    if (field === 'value' || field.startsWith('value.')) return kv.checked ? rows.problemFor(field) : singleProblem;
    if (field === 'keySensitivity') return kv.checked ? rows.problem : singleProblem;
    return life.problemFor(field);
  };
  const clearProblems = (): void => {
    for (const p of [name.problem, description.problem, singleProblem, agents.problem, life.expires.problem, life.rotation.problem]) p.set(undefined);
    rows.clearProblems();
  };

  shell.form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearProblems();
    nameTouched = true;
    const nameProblem = checkName(true);
    name.problem.set(nameProblem);
    let firstBad: ProblemLine | undefined = nameProblem !== undefined ? name.problem : undefined;

    // Every problem at once, so that one submit tells the whole story.
    let value: SecretValue;
    let rowsOk = true;
    if (kv.checked) {
      rowsOk = rows.validate(true, 'Type a value for this key.');
      if (!rowsOk) firstBad ??= rows.firstProblem();
      value = rows.value();
    } else {
      value = singleValue.input.value;
    }
    const valueProblem = rowsOk ? checkSecretValue(value) : undefined;
    if (valueProblem) {
      const line = problemFor(valueProblem.field);
      line?.set(valueProblem.message);
      firstBad ??= line;
    }
    const lifecycle = life.read(Date.now());
    if (!lifecycle) firstBad ??= life.expires.problem.message !== undefined ? life.expires.problem : life.rotation.problem;
    if (firstBad !== undefined || !lifecycle) {
      firstBad?.focus();
      return;
    }
    const submission: CreateSubmission = { form: 'create', name: name.control.value, description: description.control.value, value, agents: agents.selected() };
    // Only what was set: absent is "never expires" and "no reminder".
    if (lifecycle.expiresAt !== null) submission.expiresAt = lifecycle.expiresAt;
    if (lifecycle.rotationDays !== null) submission.rotationDays = lifecycle.rotationDays;
    // Only the keys set away from their default; none for a single value.
    const marks = kv.checked ? rows.marks() : {};
    if (Object.keys(marks).length > 0) submission.keySensitivity = marks;
    void submitForm({ host, shell, problemFor, clearProblems }, submission);
  });

  updateName();
  // From the quick fix the name is known: start where typing is still needed.
  const firstValue = kv.checked ? kvBlock.querySelector<HTMLInputElement>('input[type=password]') : singleValue.input;
  (data.prefill.name !== undefined && !draft && name.problem.message === undefined ? (firstValue ?? name.control) : name.control).focus();
}

/** Where a Create Secret link's fields came from, or why they were left out (CreateFormData.origin). */
function linkOrigin(origin: CreateFormData['origin']): HTMLElement[] {
  if (!origin) return [];
  if (origin.kind === 'refused') return [h('p', { class: 'link-origin refused', role: 'status' }, origin.message)];
  const time = new Date(origin.at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return [h('p', { class: 'link-origin hint' }, `Proposed by the assistant (MCP ${origin.tool}) at ${time}. Check the name, the keys and the agents before you create it.`)];
}
