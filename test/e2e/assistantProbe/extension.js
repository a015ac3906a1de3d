// Test-only extension, installed beside Secrets Vault in the MCP end-to-end test: it stands in for
// an assistant (Copilot's chat is not there offline) and uses only VS Code's public API. Its one
// command waits until VS Code's MCP client lists a tool named like `mcp_…_list_secrets` among the
// language-model tools, records every MCP tool VS Code has (name, description, input schema), then
// calls list_secrets through `vscode.lm.invokeTool`, as an assistant's tool call goes, and records
// what came back. Records are JSON lines in the file named by SV_ASSISTANT_PROBE_OUT.
const { appendFileSync } = require('node:fs');
const vscode = require('vscode');

const TIMEOUT_MS = 60_000;

function record(entry) {
  const out = process.env.SV_ASSISTANT_PROBE_OUT;
  if (out) appendFileSync(out, `${JSON.stringify(entry)}\n`);
}

/** Resolves with the tool once VS Code lists it (polled: the API has no event for it), or undefined after the timeout. */
async function waitForTool(suffix) {
  const find = () => vscode.lm.tools.find((t) => t.name.startsWith('mcp_') && t.name.endsWith(suffix));
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const tool = find();
    if (tool || Date.now() > deadline) return tool;
    await new Promise((r) => setTimeout(r, 250));
  }
}

exports.activate = (context) => {
  context.subscriptions.push(
    vscode.commands.registerCommand('secretsVaultTests.callListSecrets', () =>
      callListSecrets().catch((e) => record({ event: 'error', message: e instanceof Error ? e.message : String(e) })),
    ),
    vscode.commands.registerCommand('secretsVaultTests.propose', () =>
      propose().catch((e) => record({ event: 'error', message: e instanceof Error ? e.message : String(e) })),
    ),
  );
};

async function callListSecrets() {
  const tool = await waitForTool('_list_secrets');
  const mcpTools = vscode.lm.tools
    .filter((t) => t.name.startsWith('mcp_'))
    .map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));
  record({ event: 'tools', tools: mcpTools });
  if (!tool) return record({ event: 'error', message: `no list_secrets tool within ${TIMEOUT_MS} ms` });
  const source = new vscode.CancellationTokenSource();
  const result = await vscode.lm.invokeTool(tool.name, { input: {}, toolInvocationToken: undefined }, source.token);
  const text = result.content.filter((p) => p instanceof vscode.LanguageModelTextPart).map((p) => p.value);
  record({ event: 'result', tool: tool.name, text });
}

/** Calls propose_secret as an assistant would and records its answer (the test opens its link). */
async function propose() {
  const tool = await waitForTool('_propose_secret');
  if (!tool) return record({ event: 'error', message: `no propose_secret tool within ${TIMEOUT_MS} ms` });
  const source = new vscode.CancellationTokenSource();
  const input = { name: 'twilio_auth', kind: 'kv', keys: ['sid', 'token'], agents: ['PROJECT-BK7QF2MA'] };
  const result = await vscode.lm.invokeTool(tool.name, { input, toolInvocationToken: undefined }, source.token);
  const text = result.content.filter((p) => p instanceof vscode.LanguageModelTextPart).map((p) => p.value).join('');
  record({ event: 'proposal', answer: JSON.parse(text) });
}
