// The Access Requests view: TreeItems drawn from core/requestsModel.ts. Rebuilt when the
// pending requests, the role or the agents change (the connection's store moves with every
// access.requested / access.decided event, so the view is live); Approve and Deny are item actions.

import * as vscode from 'vscode';
import { requestTooltip, requestsView, type RequestNode, type RequestsInput, type RequestsModel } from './core/requestsModel';

export const ACCESS_REQUESTS_VIEW = 'secretsVault.accessRequests';

export class AccessRequestsProvider implements vscode.TreeDataProvider<RequestNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RequestNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private model: RequestsModel = { nodes: [], empty: undefined };
  private input: RequestsInput | undefined;

  get nodes(): readonly RequestNode[] {
    return this.model.nodes;
  }

  get emptyReason(): RequestsModel['empty'] {
    return this.input ? this.model.empty : undefined;
  }

  update(input: RequestsInput | undefined): void {
    this.input = input;
    this.model = input ? requestsView(input) : { nodes: [], empty: undefined };
    this.changed.fire(undefined);
  }

  getTreeItem(node: RequestNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.description;
    item.iconPath = new vscode.ThemeIcon(node.request.newSecret ? 'add' : 'unlock');
    item.contextValue = node.contextValue;
    item.accessibilityInformation = { label: node.accessibilityLabel };
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, node: RequestNode): vscode.TreeItem {
    const tooltip = new vscode.MarkdownString(requestTooltip(node.request, this.input?.agents ?? []));
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    item.tooltip = tooltip;
    return item;
  }

  getChildren(node?: RequestNode): RequestNode[] {
    return node ? [] : this.model.nodes;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
