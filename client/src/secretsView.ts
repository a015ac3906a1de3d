// The Secrets and All Secrets views: TreeItems drawn from the tree model (core/treeModel.ts), which
// holds every decision; this file only speaks vscode. A model is built when the metadata, the agent,
// the role, the filter or a secret's lifecycle mark change, and only while the view shows (a hidden
// one builds when it shows); a usage report redraws only the items
// whose counts changed, and tooltips are built when the editor shows one (resolveTreeItem), not for
// 10,000 items up front. A secret's kept versions are fetched when its "Versions" item is expanded.
// A view lists its secrets a page at a time (core/treeModel.ts pageOf, then "Show more"); the
// filter finds the rest.

import * as vscode from 'vscode';
import type { SecretVersionInfo } from '../../protocol/api';
import { agentLabel } from './core/agentLabels';
import {
  allView,
  grantedView,
  itemDescription,
  pageOf,
  PAGE_SIZE,
  shownThrough,
  regrantAll,
  tooltipOf,
  versionNodes,
  type SecretNode,
  type TreeInput,
  type TreeNode,
  type VersionNode,
  type VersionsNode,
  type ViewModel,
} from './core/treeModel';

/** Fetches a secret's kept versions (metadata only); rejects with a message a person can act on. */
export type VersionsLoader = (name: string) => Promise<readonly SecretVersionInfo[]>;

export type ViewKind = 'granted' | 'all';

/** An item above the secrets that offers a next step (the project's agent is not in the vault). */
export interface ViewNotice {
  type: 'notice';
  id: string;
  label: string;
  tooltip: string;
  icon: string;
  command: vscode.Command;
}

/** The last item of a view that holds more secrets than it shows: a click shows another page. */
export interface MoreNode {
  type: 'more';
  id: string;
  shown: number;
  total: number;
  next: number;
}

export type ViewNode = TreeNode | ViewNotice | MoreNode;

/** The command a "Show more" item runs, with the view's kind. */
export const SHOW_MORE_COMMAND = 'secretsVault.showMoreSecrets';

export const VIEW_IDS: Record<ViewKind, string> = {
  granted: 'secretsVault.secrets',
  all: 'secretsVault.allSecrets',
};

export class SecretsTreeProvider implements vscode.TreeDataProvider<ViewNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ViewNode | ViewNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private model: ViewModel = { nodes: [], empty: undefined };
  /** Shown (as far as ctx.ts knows); a new view counts as shown until told otherwise. */
  private visible = true;
  /** The input changed while hidden: the model is built when the view shows. */
  private unbuilt = false;
  private byName = new Map<string, SecretNode>();
  private input: TreeInput | undefined;
  private notice: ViewNotice | undefined;
  /** The current agent with its display name ("✓ PROJECT-WEVYLLDV (Field Service Template)"), once per build. */
  private agentText: string | null = null;
  /** Called once, the first time the editor asks for the view's secrets and gets some (the opening's log). */
  onFirstListed: ((count: number) => void) | undefined;
  /** Models built, for the log and tests of the extension's behaviour. */
  builds = 0;
  /** Agent changes applied in place (changeAgent), likewise. */
  regrants = 0;

  /** How many of the model's secrets the view lists (whole pages; kept across builds, so a rebuild does not take back what was shown). */
  private shown = PAGE_SIZE;

  /** Versions fetched per "Versions" node id (which names the value version: a new value is a new id). */
  private readonly versionCache = new Map<string, Promise<VersionNode[]>>();

  constructor(
    readonly kind: ViewKind,
    private readonly loadVersions?: VersionsLoader,
    private readonly onError?: (message: string) => void,
  ) {}

  /** Why the view is empty, for its welcome content; undefined while hidden and not built (it shows no welcome then). */
  get emptyReason(): ViewModel['empty'] {
    return this.model.empty;
  }

  get nodes(): readonly SecretNode[] {
    return this.built().nodes;
  }

  private built(): ViewModel {
    if (this.unbuilt) this.build();
    return this.model;
  }

  /**
   * Whether the view shows (ctx.ts follows its TreeView). A hidden view (All Secrets for a developer,
   * or collapsed) builds no model: an update only keeps its input, built when the view shows or
   * something asks for its nodes.
   */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.unbuilt) this.build();
  }

  /** Empty until there is metadata: the welcome content explains why. */
  update(input: TreeInput | undefined): void {
    this.input = input;
    this.agentText = input?.agent != null ? (input.agentText ?? agentLabel(input.agent, input.agents)) : null;
    if (this.visible || !input) this.build();
    else this.unbuilt = true;
  }

  private build(): void {
    this.unbuilt = false;
    const input = this.input;
    this.model = input ? (this.kind === 'granted' ? grantedView(input) : allView(input)) : { nodes: [], empty: undefined };
    this.byName = new Map(this.model.nodes.map((n) => [n.name, n]));
    // Keep the versions of values that are still current; the others' ids are gone anyway.
    const live = new Set(this.model.nodes.map((n) => n.versions.id));
    for (const id of [...this.versionCache.keys()]) if (!live.has(id)) this.versionCache.delete(id);
    this.builds++;
    this.changed.fire(undefined);
  }

  /**
   * Only the agent changed (the same metadata, role, filter and marks; an agent before and after):
   * All Secrets redraws the items granted to either agent, in place (core/treeModel.ts regrantAll);
   * the Secrets view, a different list, is built again.
   */
  changeAgent(input: TreeInput & { agent: string }): void {
    if (this.kind !== 'all' || !this.input || this.input.agent === null || this.unbuilt) return this.update(input);
    this.input = input;
    this.agentText = input.agentText ?? agentLabel(input.agent, input.agents);
    this.regrants++;
    const changed = regrantAll(this.model.nodes, input);
    if (changed.length) this.changed.fire(changed);
  }

  /** Shows (or removes) the item above the secrets; redraws only when it changed. */
  setNotice(notice: ViewNotice | undefined): void {
    if (notice?.id === this.notice?.id && notice?.label === this.notice?.label) return;
    this.notice = notice;
    this.changed.fire(undefined);
  }

  /** The counts of these secrets changed: redraw those items only. */
  updateUsage(names: readonly string[], usage: ReadonlyMap<string, number>): number {
    // Not built: the counts are read from the usage map when it is.
    if (this.unbuilt) return 0;
    const nodes: SecretNode[] = [];
    for (const name of names) {
      const node = this.byName.get(name);
      if (!node) continue;
      node.usage = usage.get(name) ?? 0;
      nodes.push(node);
    }
    if (nodes.length) this.changed.fire(nodes);
    return nodes.length;
  }

  node(name: string): SecretNode | undefined {
    this.built();
    return this.byName.get(name);
  }

  /** Lists another page of secrets ("Show more"). */
  showMore(): void {
    this.shown += PAGE_SIZE;
    this.changed.fire(undefined);
  }

  /** Lists at least as far as this secret, so that it can be revealed; false when the view does not hold it. */
  showThrough(name: string): boolean {
    const node = this.byName.get(name);
    if (!node) return false;
    const shown = shownThrough(this.model.nodes.indexOf(node), this.shown);
    if (shown === this.shown) return true;
    this.shown = shown;
    this.changed.fire(undefined);
    return true;
  }

  /** The secrets the view lists now, and the "Show more" item after them when it holds more. */
  private page(): ViewNode[] {
    const { nodes, more } = pageOf(this.built().nodes, this.shown);
    if (nodes.length > 0 && this.onFirstListed) {
      const first = this.onFirstListed;
      this.onFirstListed = undefined;
      first(nodes.length);
    }
    return more ? [...nodes, { type: 'more', id: `${this.kind}:more@${more.shown}`, ...more }] : (nodes as SecretNode[]);
  }

  /** Whether secrets show their "Versions" child: only with the vault at hand (offline, nothing to fetch). */
  private get showVersions(): boolean {
    return this.loadVersions !== undefined && (this.input?.role ?? null) !== null;
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    if (node.type === 'more') {
      const next = node.next;
      const item = new vscode.TreeItem(`Show ${next.toLocaleString()} more`, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = `${node.shown.toLocaleString()} of ${node.total.toLocaleString()} shown · Filter finds any`;
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.tooltip = `This view lists ${node.shown.toLocaleString()} of its ${node.total.toLocaleString()} secrets. Show more lists ${next.toLocaleString()} more; Filter (the view's title bar) finds a secret by part of its name or description.`;
      item.command = { command: SHOW_MORE_COMMAND, title: 'Show More', arguments: [this.kind] };
      item.contextValue = 'more';
      item.accessibilityInformation = { label: `Show ${next.toLocaleString()} more, ${node.shown.toLocaleString()} of ${node.total.toLocaleString()} secrets shown` };
      return item;
    }
    if (node.type === 'notice') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon(node.icon, new vscode.ThemeColor('list.warningForeground'));
      item.tooltip = node.tooltip;
      item.accessibilityInformation = { label: node.label };
      item.command = node.command;
      item.contextValue = 'notice';
      return item;
    }
    if (node.type === 'versions') {
      const item = new vscode.TreeItem('Versions', vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon('history');
      item.contextValue = node.contextValue;
      item.tooltip = `The values kept of ${node.secret}, newest first (never shown: metadata only)`;
      return item;
    }
    if (node.type === 'version') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = node.description;
      item.iconPath = new vscode.ThemeIcon(node.info.current ? 'pass-filled' : 'circle-outline');
      item.contextValue = node.contextValue;
      item.accessibilityInformation = { label: `${node.label} of ${node.secret}, ${node.description}` };
      return item;
    }
    if (node.type === 'key') {
      const item = new vscode.TreeItem(node.key, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon('symbol-field');
      item.contextValue = node.contextValue;
      // Configuration beside credentials says so; the tooltip says whether by an admin's mark or by its name.
      if (node.description) item.description = node.description;
      item.tooltip = node.tooltip;
      return item;
    }
    const item = new vscode.TreeItem(
      node.name,
      node.keys.length > 0 || this.showVersions ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = node.id;
    item.description = itemDescription(node, this.kind, this.agentText, this.input?.agent ?? null);
    item.iconPath = new vscode.ThemeIcon(node.icon, iconColor(node, this.kind));
    item.contextValue = node.contextValue;
    const life = node.life.short ? `, ${node.life.short}` : '';
    item.accessibilityInformation = { label: `${node.name}, ${node.kind === 'kv' ? 'key/value secret' : 'secret'}${node.granted ? `, granted to ${this.agentText ?? ''}` : ''}${life}` };
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, node: ViewNode): vscode.TreeItem {
    if (node.type !== 'secret') return item;
    const tooltip = new vscode.MarkdownString(tooltipOf(node, { agents: this.input?.agents ?? [], agent: this.input?.agent ?? null, lastReads: this.input?.lastReads, now: Date.now() }));
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    item.tooltip = tooltip;
    return item;
  }

  getChildren(node?: ViewNode): ViewNode[] | Promise<ViewNode[]> {
    if (!node && this.notice) return [this.notice, ...(this.input ? this.page() : [])];
    if (!this.input) return [];
    if (!node) return this.page();
    if (node.type === 'secret') return this.showVersions ? [...node.keys, node.versions] : node.keys;
    if (node.type === 'versions') return this.versions(node);
    return [];
  }

  private versions(node: VersionsNode): Promise<VersionNode[]> {
    let found = this.versionCache.get(node.id);
    if (!found) {
      const role = this.input?.role ?? null;
      found = this.loadVersions!(node.secret).then(
        (list) => versionNodes(node, list, role),
        (e: unknown) => {
          // Not kept: expanding again tries again.
          this.versionCache.delete(node.id);
          this.onError?.(`Could not list the versions of '${node.secret}': ${e instanceof Error ? e.message : String(e)}`);
          return [];
        },
      );
      this.versionCache.set(node.id, found);
    }
    return found;
  }

  getParent(node: ViewNode): ViewNode | undefined {
    if (node.type === 'secret' || node.type === 'notice' || node.type === 'more') return undefined;
    this.built();
    if (node.type === 'version') {
      const secret = this.byName.get(node.secret);
      return secret && node.id.startsWith(`${secret.versions.id}/`) ? secret.versions : undefined;
    }
    return this.byName.get(node.secret);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Greyed when the agent cannot read it (All Secrets); red or yellow when it needs attention. */
function iconColor(node: SecretNode, view: ViewKind): vscode.ThemeColor | undefined {
  if (node.life.expired) return new vscode.ThemeColor('list.errorForeground');
  if (node.life.expiringSoon || node.life.rotationDue) return new vscode.ThemeColor('list.warningForeground');
  return view === 'all' && !node.granted ? new vscode.ThemeColor('disabledForeground') : undefined;
}
