// Finds the files that decide agents in the workspace, at any depth, and keeps the list current:
// Agent Development Kit projects (folders with `project.yaml`) and `secrets-vault.json` files (whose
// `agent` wins over the projects below them, as `secrets-vault check` decides). A search per
// workspace folder at start (and when folders change), the nearest of each above a folder (one
// opened inside a project), and watchers for these files created, changed or deleted and for
// folders moved or deleted with some in them. Bursts (a pull, a checkout) are debounced into one
// update; what each file says is decided by core/projects.ts. Only the agent of a secrets-vault.json
// is read here: its vault URL counts only at a workspace folder's root (folders.ts).

import * as vscode from 'vscode';
import { PROJECT_FILE } from '../../protocol/adkProject';
import { WORKSPACE_CONFIG_FILE } from '../../protocol/api';
import { safeText } from '../../protocol/safeText';
import { readConfigAgent, readManifest, type ConfigEntry, type ProjectEntry, type SourceInput } from './core/projects';

/** Never searched: dependencies, generated stubs, git's own files. */
const EXCLUDE = '{**/node_modules/**,**/_gen/**,**/.git/**}';
/** Both kinds of file, as a glob. */
const FILES = `**/{${PROJECT_FILE},${WORKSPACE_CONFIG_FILE}}`;
/** A file larger than this is not read (each holds a handful of fields; `check` has the same limit). */
const MAX_MANIFEST_BYTES = 64 * 1024;
/** Quiet time that ends a burst of file events. */
const DEBOUNCE_MS = 150;
/** Paths created or deleted in one burst beyond which a full search is cheaper than looking at each. */
const MAX_LOOKUPS = 32;
const MAX_FILES = 20_000;
/** Manifests read at once. */
const READ_AT_ONCE = 32;

const SKIPPED_SEGMENTS = new Set(['node_modules', '_gen', '.git']);

function skipped(uri: vscode.Uri): boolean {
  return uri.path.split('/').some((s) => SKIPPED_SEGMENTS.has(s));
}

function kindOf(uri: vscode.Uri): 'project' | 'config' | null {
  return uri.path.endsWith(`/${PROJECT_FILE}`) ? 'project' : uri.path.endsWith(`/${WORKSPACE_CONFIG_FILE}`) ? 'config' : null;
}

/** What one file found says: a project (null: its project.yaml cannot be used), or a secrets-vault.json's agent (null: none). */
type Found = { kind: 'project'; rootUri: string; project: ProjectEntry | null } | { kind: 'config'; entry: ConfigEntry };

/** What discovery found: the projects, the secrets-vault.json files and the project.yaml files that cannot be used. */
export interface Discovered extends Required<SourceInput> {
  projects: readonly ProjectEntry[];
}

/** The folder of a manifest, as a URI string without a trailing '/'. */
function rootOf(manifest: vscode.Uri): string {
  return vscode.Uri.joinPath(manifest, '..').toString();
}

export class ProjectDiscovery implements vscode.Disposable {
  /** File URI → what it says (a problem logged once). */
  private readonly manifests = new Map<string, Found>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** The list changed. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pending = { manifests: new Set<string>(), created: new Set<string>(), deleted: new Set<string>() };
  private timer: NodeJS.Timeout | undefined;
  /** Updates run one at a time, in order. */
  private queue: Promise<void> = Promise.resolve();
  private list: Discovered = { projects: [], configs: [], unusableProjects: [] };
  private listKey = '';
  private readonly logged = new Set<string>();
  private disposed = false;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** The projects found, by root. */
  get projects(): readonly ProjectEntry[] {
    return this.list.projects;
  }

  /** Everything found that decides agents. */
  get found(): Discovered {
    return this.list;
  }

  /** Searches every folder and starts watching; resolves when the first list is known. */
  async start(): Promise<void> {
    const manifests = vscode.workspace.createFileSystemWatcher(FILES);
    // Folders moved or deleted report only the folder, never the manifests inside.
    const anything = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    this.disposables.push(
      manifests,
      anything,
      manifests.onDidCreate((u) => this.queueEvent('manifests', u)),
      manifests.onDidChange((u) => this.queueEvent('manifests', u)),
      manifests.onDidDelete((u) => this.queueEvent('manifests', u)),
      anything.onDidCreate((u) => !kindOf(u) && this.queueEvent('created', u)),
      anything.onDidDelete((u) => !kindOf(u) && this.queueEvent('deleted', u)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rescan()),
    );
    await this.rescan();
  }

  /** Searches every workspace folder again (folders changed, or a burst too large to follow). */
  rescan(): Promise<void> {
    return this.enqueue(async () => {
      const found = new Set<string>();
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, FILES), EXCLUDE, MAX_FILES);
        for (const u of uris) found.add(u.toString());
        // A folder opened inside a project: its project.yaml is above the folder, as `poly` finds it
        // (and `check` reads the secrets-vault.json files above the folder it runs in).
        for (const above of await this.filesAbove(folder.uri)) found.add(above.toString());
      }
      for (const key of [...this.manifests.keys()]) if (!found.has(key)) this.manifests.delete(key);
      await this.readAll([...found].map((key) => vscode.Uri.parse(key)));
    });
  }

  /** The nearest project.yaml and the nearest secrets-vault.json above a folder (only the nearest of each can decide). */
  private async filesAbove(folder: vscode.Uri): Promise<vscode.Uri[]> {
    if (folder.scheme !== 'file') return [];
    const found: vscode.Uri[] = [];
    const wanted = new Set([PROJECT_FILE, WORKSPACE_CONFIG_FILE]);
    let dir = folder;
    for (let depth = 0; depth < 64 && wanted.size > 0; depth++) {
      const up = vscode.Uri.joinPath(dir, '..');
      if (up.path === dir.path) break;
      dir = up;
      for (const name of [...wanted]) {
        const candidate = vscode.Uri.joinPath(dir, name);
        if (await exists(candidate)) {
          found.push(candidate);
          wanted.delete(name);
        }
      }
    }
    return found;
  }

  private queueEvent(kind: 'manifests' | 'created' | 'deleted', uri: vscode.Uri): void {
    if (this.disposed || skipped(uri)) return;
    this.pending[kind].add(uri.toString());
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, DEBOUNCE_MS);
  }

  private flush(): Promise<void> {
    const manifests = [...this.pending.manifests];
    const created = [...this.pending.created];
    const deleted = [...this.pending.deleted];
    this.pending.manifests.clear();
    this.pending.created.clear();
    this.pending.deleted.clear();
    if (created.length > MAX_LOOKUPS || deleted.length > MAX_LOOKUPS) return this.rescan();
    return this.enqueue(async () => {
      // A deleted folder takes every project under it.
      for (const gone of deleted) {
        const prefix = gone.endsWith('/') ? gone : `${gone}/`;
        for (const key of [...this.manifests.keys()]) if (key.startsWith(prefix)) this.manifests.delete(key);
      }
      await this.readAll(manifests.map((key) => vscode.Uri.parse(key)));
      // A folder created (or moved here) may hold projects.
      for (const key of created) {
        const uri = vscode.Uri.parse(key);
        const stat = await statOf(uri);
        if (stat?.type !== vscode.FileType.Directory) continue;
        await this.readAll(await vscode.workspace.findFiles(new vscode.RelativePattern(uri, FILES), EXCLUDE, MAX_FILES));
      }
    });
  }

  /**
   * Reads files into the map, READ_AT_ONCE at a time: each read is a stat and a read through the
   * editor, and 200 projects read one after the other held up the first Secrets view of a monorepo.
   * The list is published once all are read, so the order they finish in does not matter.
   */
  private async readAll(uris: readonly vscode.Uri[]): Promise<void> {
    for (let i = 0; i < uris.length; i += READ_AT_ONCE) await Promise.all(uris.slice(i, i + READ_AT_ONCE).map((u) => this.read(u)));
  }

  /**
   * Reads one file into the map: what it says, or gone when it is gone. As for `check`, a file that
   * is there but cannot be used (too large, unreadable, malformed) still counts: a project.yaml then
   * gives its files no agent, and a secrets-vault.json none while hiding those above it.
   */
  private async read(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const kind = kindOf(uri);
    const stat = kind === null ? undefined : await statOf(uri);
    if (!kind || !stat || stat.type !== vscode.FileType.File) {
      this.manifests.delete(key);
      return;
    }
    const rootUri = rootOf(uri);
    const unusable = (why: string): void => {
      this.problem(key, `${uri.fsPath}: ${why} ${kind === 'project' ? 'The folder is not read as a project; its files have no agent.' : 'It gives no agent.'}`);
      this.manifests.set(key, kind === 'project' ? { kind, rootUri, project: null } : { kind, entry: { rootUri, agent: null } });
    };
    if (stat.size > MAX_MANIFEST_BYTES) return unusable(`too large (${stat.size} bytes); not read.`);
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (e) {
      if (!(await statOf(uri))) {
        this.manifests.delete(key);
        return;
      }
      return unusable(`cannot be read (${e instanceof vscode.FileSystemError ? e.code : 'error'}).`);
    }
    if (kind === 'config') {
      const read = readConfigAgent(text);
      if (read.problem !== undefined) this.problem(key, `${uri.fsPath}: ${read.problem}`);
      this.manifests.set(key, { kind, entry: { rootUri, agent: read.agent } });
      return;
    }
    const read = readManifest(text);
    if ('problem' in read) return unusable(read.problem);
    this.manifests.set(key, { kind, rootUri, project: { rootUri, project: read.project } });
  }

  private problem(key: string, message: string): void {
    const once = `${key}\u0000${message}`;
    if (this.logged.has(once)) return;
    this.logged.add(once);
    this.log.warn(message);
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(async () => {
      if (this.disposed) return;
      await work();
      this.publish();
    });
    this.queue = next.catch((e: unknown) => this.log.error(`Finding projects failed: ${e instanceof Error ? e.message : String(e)}`));
    return this.queue;
  }

  /** Fires when the list differs from the last one published. */
  private publish(): void {
    const byRoot = (a: { rootUri: string }, b: { rootUri: string }) => (a.rootUri < b.rootUri ? -1 : a.rootUri > b.rootUri ? 1 : 0);
    const found = [...this.manifests.values()];
    const projects = found.flatMap((f) => (f.kind === 'project' && f.project ? [f.project] : [])).sort(byRoot);
    const unusableProjects = found.flatMap((f) => (f.kind === 'project' && !f.project ? [f.rootUri] : [])).sort();
    const configs = found.flatMap((f) => (f.kind === 'config' ? [f.entry] : [])).sort(byRoot);
    const key = JSON.stringify([projects.map((p) => [p.rootUri, p.project.id, p.project.name]), unusableProjects, configs.map((c) => [c.rootUri, c.agent])]);
    if (key === this.listKey) return;
    const before = this.list;
    this.list = { projects, configs, unusableProjects };
    this.listKey = key;
    const shown = projects.slice(0, 10).map((p) => `${p.project.id} at ${this.relative(p.rootUri)}`);
    if (projects.length > shown.length) shown.push(`${projects.length - shown.length} more`);
    this.log.info(`Projects (${projects.length}): ${shown.length ? shown.join(', ') : 'none'}.`);
    const choosing = configs.filter((c) => c.agent !== null);
    if (choosing.length > 0 || before.configs.some((c) => c.agent !== null)) {
      const named = choosing.slice(0, 10).map((c) => `${c.agent} at ${this.relative(c.rootUri)}`);
      if (choosing.length > named.length) named.push(`${choosing.length - named.length} more`);
      this.log.info(`Agents chosen by ${WORKSPACE_CONFIG_FILE} (${choosing.length}): ${named.length ? named.join(', ') : 'none'}.`);
    }
    this.changed.fire();
  }

  private relative(rootUri: string): string {
    return safeText(vscode.workspace.asRelativePath(vscode.Uri.parse(rootUri)));
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.changed.dispose();
  }
}

async function statOf(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
  try {
    return await vscode.workspace.fs.stat(uri);
  } catch {
    return undefined;
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return (await statOf(uri))?.type === vscode.FileType.File;
}
