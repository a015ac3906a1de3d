// The Edit Access form: every agent of the account with a checkbox; saving replaces the access list.

import type { AccessFormData, FormData } from '../../../protocol/webview';
import { AgentList } from '../agentList';
import { h } from '../dom';
import { Host } from '../host';
import { renderLoadFailed, renderShell, submitForm } from '../shell';
import { adoptStylesheet } from '../stylesheet';
import { readExpression } from '../usage';

interface Draft {
  form: 'access';
  name: string;
  version: number;
  agents: string[];
  filter: string;
}

const TITLE = 'Edit Access';

adoptStylesheet();
const host = new Host<Draft>({
  init: (data: FormData) => {
    if (data.form === 'access') render(data);
  },
  loadFailed: (message) => renderLoadFailed(host, TITLE, message),
});
host.ready();

function render(data: AccessFormData): void {
  const { secret } = data;
  const saved = host.state;
  const draft = saved?.form === 'access' && saved.name === secret.name && saved.version === secret.version ? saved : undefined;
  const expression = readExpression(secret.name, data.namingStyle);

  const hint = h('p', { class: 'hint least-privilege', 'aria-live': 'polite' });
  const agents = new AgentList({
    legend: `Agents that can read ${secret.name}`,
    agents: data.agents,
    selected: draft?.agents ?? secret.agents,
    currentAgent: data.currentAgent,
    onChange: () => {
      updateHint();
      save();
    },
  });
  if (draft) agents.setFilter(draft.filter);

  // Least privilege: say plainly what the choice means, and warn at the two extremes.
  function updateHint(): void {
    const n = agents.selected().length;
    const m = agents.total;
    const code = h('code', {}, expression);
    if (n === 0) {
      hint.className = 'hint least-privilege warning';
      hint.replaceChildren('No agent can read this secret: every ', code, ' will fail.');
    } else if (n === m && m > 1) {
      hint.className = 'hint least-privilege warning';
      hint.replaceChildren('Every agent can read this secret. Least privilege: grant only the agents whose functions read ', code, '.');
    } else {
      hint.className = 'hint least-privilege';
      hint.replaceChildren('Least privilege: grant only the agents whose functions read ', code, '. Changes take effect immediately.');
    }
  }
  updateHint();
  agents.root.appendChild(hint);

  const shell = renderShell(host, {
    title: TITLE,
    subtitle: h('span', {}, h('code', {}, secret.name), ` · metadata version ${secret.version}`),
    primaryLabel: 'Save',
    sections: [agents.root],
  });

  function save(): void {
    host.state = { form: 'access', name: secret.name, version: secret.version, agents: agents.selected(), filter: agents.filter.value };
  }

  const problemFor = (field: string) => (field === 'agents' || field.startsWith('agents.') ? agents.problem : undefined);
  shell.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitForm({ host, shell, problemFor, clearProblems: () => agents.problem.set(undefined) }, { form: 'access', agents: agents.selected() });
  });

  agents.filter.focus();
}
