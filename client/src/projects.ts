// Finds the workspace's Agent Development Kit projects (folders with `project.yaml`) and keeps the
// list current: a search per workspace folder at start (and when folders change), `project.yaml`
// files above a folder opened inside a project, and watchers for manifests created, changed or
// deleted and for folders moved or deleted with a project in them. Bursts (a pull, a checkout) are
// debounced into one update; what each manifest says is decided by core/projects.ts.

import * as vscode from 'vscode';
import { PROJECT_FILE } from '../../protocol/adkProject';
import { safeText } from '../../protocol/safeText';
import { readManifest, type ProjectEntry } from './core/projects';

/** Never searched: dependencies, generated stubs, git's own files. */
const EXCLUDE = '{**/node_modules/**,**/_gen/**,**/.git/**}';
/** A manifest larger than this is not one (project.yaml holds a handful of fields). */
const MAX_MANIFEST_BYTES = 64 * 1024;
/** Quiet time that ends a burst of file events. */
const DEBOUNCE_MS = 150;
/** Paths created or deleted in one burst beyond which a full search is cheaper than looking at each. */
const MAX_LOOKUPS = 32;
const MAX_PROJECTS = 10_000;

const SKIPPED_SEGMENTS = new Set(['node_modules', '_gen', '.git']);

function skipped(uri: vscode.Uri): boolean {
  return uri.path.split('/').some((s) => SKIPPED_SEGMENTS.has(s));
}

function isManifest(uri: vscode.Uri): boolean {
  return uri.path.endsWith(`/${PROJECT_FILE}`);
}

/** The folder of a manifest, as a URI string without a trailing '/'. */
function rootOf(manifest: vscode.Uri): string {
  return vscode.Uri.joinPath(manifest, '..').toString();
}

export class ProjectDiscovery implements vscode.Disposable {
  /** Manifest URI → the project it describes (null: not a project, its problem logged). */
  private readonly manifests = new Map<string, ProjectEntry | null>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** The list changed. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pending = { manifests: new Set<string>(), created: new Set<string>(), deleted: new Set<string>() };
  private timer: NodeJS.Timeout | undefined;
  /** Updates run one at a time, in order. */
  private queue: Promise<void> = Promise.resolve();
  private list: ProjectEntry[] = [];
  private listKey = '';
  private readonly logged = new Set<string>();
  private disposed = false;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** The projects found, by root. */
  get projects(): readonly ProjectEntry[] {
    return this.list;
  }

  /** Searches every folder and starts watching; resolves when the first list is known. */
  async start(): Promise<void> {
    const manifests = vscode.workspace.createFileSystemWatcher(`**/${PROJECT_FILE}`);
    // Folders moved or deleted report only the folder, never the manifests inside.
    const anything = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    this.disposables.push(
      manifests,
      anything,
      manifests.onDidCreate((u) => this.queueEvent('manifests', u)),
      manifests.onDidChange((u) => this.queueEvent('manifests', u)),
      manifests.onDidDelete((u) => this.queueEvent('manifests', u)),
      anything.onDidCreate((u) => !isManifest(u) && this.queueEvent('created', u)),
      anything.onDidDelete((u) => !isManifest(u) && this.queueEvent('deleted', u)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rescan()),
    );
    await this.rescan();
  }

  /** Searches every workspace folder again (folders changed, or a burst too large to follow). */
  rescan(): Promise<void> {
    return this.enqueue(async () => {
      const found = new Set<string>();
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, `**/${PROJECT_FILE}`), EXCLUDE, MAX_PROJECTS);
        for (const u of uris) found.add(u.toString());
        // A folder opened inside a project: its project.yaml is above the folder, as `poly` finds it.
        const above = await this.manifestAbove(folder.uri);
        if (above) found.add(above.toString());
      }
      for (const key of [...this.manifests.keys()]) if (!found.has(key)) this.manifests.delete(key);
      for (const key of found) await this.read(vscode.Uri.parse(key));
    });
  }

  private async manifestAbove(folder: vscode.Uri): Promise<vscode.Uri | undefined> {
    if (folder.scheme !== 'file') return undefined;
    let dir = folder;
    for (let depth = 0; depth < 64; depth++) {
      const up = vscode.Uri.joinPath(dir, '..');
      if (up.path === dir.path) break;
      dir = up;
      const candidate = vscode.Uri.joinPath(dir, PROJECT_FILE);
      if (await exists(candidate)) return candidate;
    }
    return undefined;
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
      for (const key of manifests) await this.read(vscode.Uri.parse(key));
      // A folder created (or moved here) may hold projects.
      for (const key of created) {
        const uri = vscode.Uri.parse(key);
        const stat = await statOf(uri);
        if (stat?.type !== vscode.FileType.Directory) continue;
        for (const m of await vscode.workspace.findFiles(new vscode.RelativePattern(uri, `**/${PROJECT_FILE}`), EXCLUDE, MAX_PROJECTS)) await this.read(m);
      }
    });
  }

  /** Reads one manifest into the map: its project, null when it is not one, gone when it is gone. */
  private async read(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const stat = await statOf(uri);
    if (!stat || stat.type !== vscode.FileType.File) {
      this.manifests.delete(key);
      return;
    }
    if (stat.size > MAX_MANIFEST_BYTES) {
      this.problem(key, `${uri.fsPath}: too large for a project.yaml (${stat.size} bytes); not read as a project.`);
      this.manifests.set(key, null);
      return;
    }
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      this.manifests.delete(key);
      return;
    }
    const read = readManifest(text);
    if ('problem' in read) {
      this.problem(key, `${uri.fsPath}: ${read.problem} The folder is not read as a project.`);
      this.manifests.set(key, null);
      return;
    }
    this.manifests.set(key, { rootUri: rootOf(uri), project: read.project });
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
    const list = [...this.manifests.values()].filter((p): p is ProjectEntry => p !== null).sort((a, b) => (a.rootUri < b.rootUri ? -1 : a.rootUri > b.rootUri ? 1 : 0));
    const key = JSON.stringify(list.map((p) => [p.rootUri, p.project.id, p.project.name]));
    if (key === this.listKey) return;
    this.list = list;
    this.listKey = key;
    const shown = list.slice(0, 10).map((p) => `${p.project.id} at ${safeText(vscode.workspace.asRelativePath(vscode.Uri.parse(p.rootUri)))}`);
    if (list.length > shown.length) shown.push(`${list.length - shown.length} more`);
    this.log.info(`Projects (${list.length}): ${shown.length ? shown.join(', ') : 'none'}.`);
    this.changed.fire();
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
