// Names in the editor's surfaces: names and agent display names are free text, so
// each place the extension shows one must keep it inert. Against a real vault holding hostile
// secret names (markup, links, `$(icon)`, entities, quotes, paths, workflow commands, RTL, 128
// code points; the shared list and generated ones) and an Agent Studio agent whose display name is
// a markdown link to a command: the sidebar's tooltips and descriptions, the pickers' labels and
// the access-request rows show each name as text (every markdown character escaped, `$(` escaped
// where icons render, the id exactly as given), and the Create form's host (PanelController)
// refuses a bidi-control name before the vault, shows the vault's 409 for a case/spacing twin
// naming the existing secret, and creates a hostile name that then reads back exactly; no value
// (a sentinel) reaches any of it.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent, SecretMetadata } from '../../../protocol/api';
import type { HostToWebview } from '../../../protocol/webview';
import { showInvisible } from '../../../protocol/safeText';
import { agentLabel, agentPickItems, noIcons } from '../../../client/src/core/agentLabels';
import { requestTooltip } from '../../../client/src/core/requestsModel';
import { allView, grantedView, itemDescription, tooltipOf, type TreeInput } from '../../../client/src/core/treeModel';
import { PanelController } from '../../../client/src/webviews/panelController';
import { TRICKY_NAMES, secretNameArb } from '../../helpers/names';
import { tally } from '../helpers/ledger';
import { sentinel } from '../helpers/leakwatch';
import { inProcessVault, type InProcessVault } from '../helpers/vaults';

const S = 'editor-names';
const AGENT = 'PROJECT-WEVYLLDV';
/** A display name that would be a command link, an icon, HTML and an entity if rendered as written. */
const HOSTILE_AGENT_NAME = '[Sign out](command:secretsVault.signOut) $(alert) <img src=x> **x** &lt;';
const MD = /[\\`*_{}[\]()#+\-.!|<>~&$]/;

/** What is left of escaped markdown once every escape pair is removed: must hold no markdown character. */
const bare = (escaped: string) => escaped.replace(/\\[\s\S]/g, '');
const unescape = (escaped: string) => escaped.replace(/\\([\s\S])/g, '$1');
/** Whether `$(` occurs without the backslash that keeps it text. */
const liveIcon = (label: string) => /(^|[^\\])\$\(/.test(label);

function guarded(check: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await check();
    } catch (e) {
      tally(S, 1, 1);
      throw e;
    }
  };
}

export function registerEditorNames(): void {
  describe('editor-names: hostile secret names and agent display names in the extension', () => {
    let v: InProcessVault;
    const values: string[] = [];
    let names: string[] = [];
    let secrets: SecretMetadata[] = [];
    let agents: Agent[] = [];

    beforeAll(async () => {
      v = await inProcessVault();
      const api = v.api();
      await api.createAgent({ id: AGENT, name: HOSTILE_AGENT_NAME });
      await api.createAgent({ id: 'booking-agent', name: 'Booking agent' });
      // The shared tricky names, and generated ones (a fixed seed: the same names every run).
      const generated = fc.sample(secretNameArb, { numRuns: 40, seed: 33 });
      const taken = new Set<string>();
      for (const name of [...TRICKY_NAMES, '$(check) approved', '[x](command:secretsVault.signOut)', 'a &lt; b', ...generated]) {
        if (taken.has(name)) continue;
        const value = sentinel();
        // A generated name may be a case/spacing twin of one made before: the vault says 409, skip it.
        try {
          await api.createSecret({ name, value, agents: [AGENT] });
        } catch {
          continue;
        }
        taken.add(name);
        values.push(value);
      }
      names = [...taken];
      secrets = await api.listSecrets();
      agents = await api.listAgents();
    });
    afterAll(async () => {
      await v?.finish();
    });

    it('tooltips, descriptions and picks show every name and the display name as text, the id exactly', guarded(async () => {
      expect(names.length).toBeGreaterThan(TRICKY_NAMES.length);
      const input: TreeInput = { secrets, agents, agent: AGENT, role: 'admin', usage: new Map() };
      const shown = agentLabel(AGENT, agents);
      const nodes = grantedView(input).nodes;
      let cases = 0;
      let failed = 0;
      const check = (ok: boolean, what: string) => {
        cases++;
        if (!ok) failed++;
        expect(ok, what).toBe(true);
      };
      check(nodes.length === names.length, 'every secret granted to the agent is listed');
      for (const node of nodes) {
        const tip = tooltipOf(node, input);
        const first = tip.split('\n\n')[0]!;
        const m = /^\*\*([\s\S]*)\*\* · (single value|key\/value secret)$/.exec(first);
        check(m !== null, `tooltip title of ${JSON.stringify(node.name)}`);
        // The title decodes to exactly the name (invisible characters as escapes), and holds no live markdown.
        check(unescape(m![1]!) === showInvisible(node.name) && !MD.test(bare(m![1]!)), `tooltip name of ${JSON.stringify(node.name)}`);
        const access = tip.split('\n\n').find((l) => l.startsWith('Access: '))!;
        const agentPart = access.slice('Access: '.length, -' ← current'.length);
        check(unescape(agentPart) === `${AGENT} (${HOSTILE_AGENT_NAME})` && !MD.test(bare(agentPart)), 'the agent in the tooltip');
        check(values.every((x) => !tip.includes(x)), 'no value in a tooltip');
        const description = itemDescription(allView(input).nodes.find((n) => n.name === node.name)!, 'all', shown, AGENT);
        check(description === `✓ ${AGENT} (${HOSTILE_AGENT_NAME}) · no other agent`, 'the ✓ row names the id as given, with the display name, and who else has access');
        check(!liveIcon(noIcons(node.name)) && noIcons(node.name).replace(/\\\$\(/g, '$(') === node.name, 'a pick label shows the name, icons inert');
        const request = requestTooltip(
          { id: 'req_x', secret: node.name, agent: AGENT, requestedBy: 'Dana', requestedById: 'key_dana', reason: node.name, newSecret: false, createdAt: '2026-11-23T10:00:00.000Z', status: 'pending' } as never,
          agents,
        );
        check(!/(?<!\\)\]\(/.test(request) && !/(?<!\\)</.test(request) && !/(?<!\\)\$\(/.test(request), 'an access request tooltip holds no live link, HTML or icon');
      }
      // Ids are case-sensitive: the id in another case reads nothing, and picks carry the id as given.
      check(grantedView({ ...input, agent: AGENT.toLowerCase() }).empty === 'no-secrets', 'a lower-cased id is another agent');
      const picks = agentPickItems(agents, AGENT);
      check(picks.some((p) => p.agent === AGENT && p.label === AGENT), 'the pick carries the id exactly');
      check(picks.every((p) => !liveIcon(p.label) && !liveIcon(p.description)), 'no live icon in an agent pick');
      tally(S, cases, failed);
    }));

    it("the Create form's host: bidi names refused before the vault, the vault's 409 for a twin names the existing secret, hostile names created exactly", guarded(async () => {
      let cases = 0;
      let failed = 0;
      const logs: string[] = [];
      const submit = async (name: string, value: string): Promise<HostToWebview[]> => {
        const posted: HostToWebview[] = [];
        const c = new PanelController({ form: 'create' }, { post: (m) => posted.push(m), close: () => undefined }, {
          session: async () => ({ api: v.api(), namingStyle: 'snake_case', currentAgent: AGENT }),
          log: (l) => logs.push(l),
        });
        await c.receive({ type: 'submit', requestId: 1, submission: { form: 'create', name, description: '', value, agents: [AGENT] } });
        return posted;
      };
      const before = (await v.api().listSecrets()).length;
      for (const bidi of ['pay\u202Eyek', 'a\u2066b\u2069', 'x\u200Fy', 'line\u2028break']) {
        const value = sentinel();
        const posted = await submit(bidi, value);
        const ok = posted.length === 1 && posted[0]!.type === 'result' && !posted[0]!.ok && posted[0]!.problem.field === 'name' && posted[0]!.problem.code === 'invalid';
        cases++;
        if (!ok) failed++;
        expect(posted, JSON.stringify(bidi)).toMatchObject([{ type: 'result', ok: false, problem: { code: 'invalid', field: 'name' } }]);
        expect(JSON.stringify(posted)).not.toContain(value);
      }
      expect((await v.api().listSecrets()).length).toBe(before);

      await v.api().createSecret({ name: 'Prod API Credentials (ops)', value: sentinel(), agents: [] });
      for (const twin of ['prod api credentials (OPS)', 'Prod  API Credentials (ops)', 'ＰＲＯＤ API Credentials (ops)']) {
        const value = sentinel();
        const posted = await submit(twin, value);
        const r = posted[0];
        const ok = r?.type === 'result' && !r.ok && r.problem.field === 'name' && r.problem.message.includes('Prod API Credentials (ops)') && !r.problem.message.includes(value);
        cases++;
        if (!ok) failed++;
        expect({ twin, r }).toMatchObject({ r: { type: 'result', ok: false, problem: { code: 'conflict', field: 'name' } } });
        expect(r?.type === 'result' && !r.ok ? r.problem.message : '').toContain('Prod API Credentials (ops)');
      }

      const token = (await v.api().createAgentToken(AGENT)).token;
      for (const name of ['Bob\'s "key" \\ %2F ../x', '::error file=a::b', '$(alert) [x](command:y) <b>', 'مفتاح 🔑 e\u0301']) {
        const value = sentinel();
        const posted = await submit(name, value);
        const read = await v.api(token).runtimeSecret(name).then((s) => s.value).catch(() => undefined);
        const ok = posted.length === 1 && posted[0]!.type === 'result' && posted[0]!.ok && read === value;
        cases++;
        if (!ok) failed++;
        expect({ name, posted, same: read === value }).toMatchObject({ posted: [{ type: 'result', ok: true }], same: true });
      }
      expect(logs.join('\n')).not.toMatch(/SVLEAK/);
      tally(S, cases, failed);
    }));
  });
}
