// `npm start`: build, package the extension, start the demo vault, and open the demo workspace in
// an editor with the extension installed and connected: VS Code's `code` command where it exists,
// otherwise code-server (installed on first use). Ctrl+C stops everything it started.
//   npm start -- [--port 8787] [--editor-port 8080] [--code-server]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { addTerminalPath, cliBinFolder, FIRST_RUN_SETTINGS, freePort, initRepository, packageExtension, prepareWorkspace, root, startCodeServer, startDemoVault, vsixPath } from './editor.mjs';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const log = (s) => console.log(s);
const state = path.join(root, '.secrets-vault');
const stops = [];
let stopping = false;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const stop of stops.reverse()) await stop().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  packageExtension(log);
  const vaultPort = await freePort(Number(flag('--port') ?? 8787));
  const vault = await startDemoVault({ dataDir: path.join(state, 'demo'), port: vaultPort });
  stops.push(vault.stop);
  const workspace = prepareWorkspace(path.join(state, 'demo-workspace'), { vaultUrl: vault.url });
  // Under this repository's ignored .secrets-vault/, the workspace would be ignored by `check`
  // (and by git) unless it is a repository of its own, as a real project is.
  if (!initRepository(workspace)) log(`git is not installed: ${workspace} is inside an ignored folder, so run 'secrets-vault check --no-gitignore' there.`);
  // `secrets-vault` in the editor's terminals, as the demo README uses it.
  const bin = cliBinFolder(state);
  addTerminalPath(workspace, bin);
  log(`Demo vault: ${vault.url}`);
  log(`  admin API key:       ${vault.adminKey}`);
  log(`  Booking agent token: ${vault.agentToken}`);
  const env = { SECRETS_VAULT_URL: vault.url, SECRETS_VAULT_TOKEN: vault.adminKey, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
  const hasCode = !args.includes('--code-server') && spawnSync('sh', ['-c', 'command -v code'], { stdio: 'ignore' }).status === 0;
  if (hasCode) {
    spawnSync('code', ['--install-extension', vsixPath, '--force'], { stdio: 'inherit' });
    // The folder and its README, which says what to try.
    spawnSync('code', ['--new-window', workspace, path.join(workspace, 'README.md')], { stdio: 'inherit', env: { ...process.env, ...env } });
    log(`Opened ${workspace} in VS Code. Press Ctrl+C here to stop the vault.`);
  } else {
    const editorPort = await freePort(Number(flag('--editor-port') ?? 8080));
    const editor = await startCodeServer({
      stateDir: path.join(root, '.cache', 'code-server-profile'),
      port: editorPort,
      folder: workspace,
      env,
      settings: FIRST_RUN_SETTINGS,
      keepHome: true,
      log,
    });
    stops.push(editor.stop);
    log('');
    log(`Open the editor: ${editor.folderUrl}`);
    log('Press Ctrl+C to stop the vault and the editor.');
  }
} catch (e) {
  console.error(`npm start: ${e instanceof Error ? e.message : e}`);
  await stopAll(1);
}
