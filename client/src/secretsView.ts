// The Secrets and All Secrets views: TreeItems drawn from the tree model (core/treeModel.ts), which
// holds every decision; this file only speaks vscode.

import * as vscode from 'vscode';
import { allView, grantedView, itemDescription, type SecretNode, type TreeInput, type TreeNode, type ViewModel } from './core/treeModel';

export type ViewKind = 'granted' | 'all';

export const VIEW_IDS: Record<ViewKind, string> = {
  granted: 'secretsVault.secrets',
  all: 'secretsVault.allSecrets',
};

export class SecretsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private model: ViewModel = { nodes: [], empty: undefined };
  private agent: string | null = null;
  /** Empty until connected: the welcome content explains why. */
  private visible = false;

  constructor(readonly kind: ViewKind) {}

  get emptyReason(): ViewModel['empty'] {
    return this.model.empty;
  }

  get nodes(): readonly SecretNode[] {
    return this.model.nodes;
  }

  update(input: TreeInput | undefined): void {
    this.visible = input !== undefined;
    this.agent = input?.agent ?? null;
    this.model = input ? (this.kind === 'granted' ? grantedView(input) : allView(input)) : { nodes: [], empty: undefined };
    this.changed.fire(undefined);
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
    const item = new vscode.TreeItem(
      node.name,
      node.keys.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = node.id;
    item.description = itemDescription(node, this.kind, this.agent);
    item.iconPath = new vscode.ThemeIcon(node.icon, this.kind === 'all' && !node.granted ? new vscode.ThemeColor('disabledForeground') : undefined);
    const tooltip = new vscode.MarkdownString(node.tooltip);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    item.tooltip = tooltip;
    item.contextValue = node.contextValue;
    item.accessibilityInformation = { label: `${node.name}, ${node.kind === 'kv' ? 'key/value secret' : 'secret'}${node.granted ? ', granted' : ''}` };
    return item;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!this.visible) return [];
    if (!node) return this.model.nodes;
    return node.type === 'secret' ? node.keys : [];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.type === 'secret') return undefined;
    return this.model.nodes.find((n) => n.name === node.secret);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
