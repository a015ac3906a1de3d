// The Secrets and All Secrets views: TreeItems drawn from the tree model (core/treeModel.ts), which
// holds every decision; this file only speaks vscode. A model is built when the metadata, the agent,
// the role or the filter change; a usage report redraws only the items whose counts changed, and
// tooltips are built when the editor shows one (resolveTreeItem), not for 10,000 items up front.

import * as vscode from 'vscode';
import { allView, grantedView, itemDescription, tooltipOf, type SecretNode, type TreeInput, type TreeNode, type ViewModel } from './core/treeModel';

export type ViewKind = 'granted' | 'all';

export const VIEW_IDS: Record<ViewKind, string> = {
  granted: 'secretsVault.secrets',
  all: 'secretsVault.allSecrets',
};

export class SecretsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private model: ViewModel = { nodes: [], empty: undefined };
  private byName = new Map<string, SecretNode>();
  private input: TreeInput | undefined;
  /** Models built, for the log and tests of the extension's behaviour. */
  builds = 0;

  constructor(readonly kind: ViewKind) {}

  get emptyReason(): ViewModel['empty'] {
    return this.model.empty;
  }

  get nodes(): readonly SecretNode[] {
    return this.model.nodes;
  }

  /** Empty until there is metadata: the welcome content explains why. */
  update(input: TreeInput | undefined): void {
    this.input = input;
    this.model = input ? (this.kind === 'granted' ? grantedView(input) : allView(input)) : { nodes: [], empty: undefined };
    this.byName = new Map(this.model.nodes.map((n) => [n.name, n]));
    this.builds++;
    this.changed.fire(undefined);
  }

  /** The counts of these secrets changed: redraw those items only. */
  updateUsage(names: readonly string[], usage: ReadonlyMap<string, number>): number {
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
    return this.byName.get(name);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.type === 'key') {
      const item = new vscode.TreeItem(node.key, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon('symbol-field');
      item.contextValue = node.contextValue;
      item.tooltip = `Key '${node.key}' of ${node.secret}`;
      return item;
    }
    const agent = this.input?.agent ?? null;
    const item = new vscode.TreeItem(
      node.name,
      node.keys.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = node.id;
    item.description = itemDescription(node, this.kind, agent);
    item.iconPath = new vscode.ThemeIcon(node.icon, this.kind === 'all' && !node.granted ? new vscode.ThemeColor('disabledForeground') : undefined);
    item.contextValue = node.contextValue;
    item.accessibilityInformation = { label: `${node.name}, ${node.kind === 'kv' ? 'key/value secret' : 'secret'}${node.granted ? ', granted' : ''}` };
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.type !== 'secret') return item;
    const tooltip = new vscode.MarkdownString(tooltipOf(node, { agents: this.input?.agents ?? [], agent: this.input?.agent ?? null }));
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    item.tooltip = tooltip;
    return item;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!this.input) return [];
    if (!node) return this.model.nodes;
    return node.type === 'secret' ? node.keys : [];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.type === 'secret') return undefined;
    return this.byName.get(node.secret);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
