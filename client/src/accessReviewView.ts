// The Access review view: TreeItems drawn from core/accessReview.ts. What each agent's code reads
// comes from the language server (AgentNeedsRequest), the grants from the vault's metadata, the last
// reads from GET /v1/agents/{id}/reads through the hovers' cache (core/lastReads.ts: one request per
// metadata version and agent, whichever asks first; an older vault keeps none). Rebuilt, debounced, when the metadata, the role, the followed project or the workspace's
// reads change, and only while the view is visible; a place opens the code at the read.

import * as vscode from 'vscode';
import type { AgentNeeds } from '../../protocol/lsp';
import { environmentsText } from './core/secretReads';
import { reviewModel, reviewedNeeds, type AgentLastReads, type ReviewInput, type ReviewModel, type ReviewNode, type ReviewPlace } from './core/accessReview';

export const ACCESS_REVIEW_VIEW = 'secretsVault.accessReview';
/** A place's command: opens the file at the read. */
export const OPEN_PLACE_COMMAND = 'secretsVault.reviewOpenPlace';
const REFRESH_DELAY_MS = 300;

/** What the view is built from; the context supplies it. */
export interface ReviewSource {
  /** The workspace's needs, or undefined while the language server is not running. */
  needs(): Promise<AgentNeeds[] | undefined>;
  /** The metadata part, or undefined before any metadata (signed out, loading). */
  input(): Omit<ReviewInput, 'needs' | 'lastReads' | 'now'> | undefined;
  /** The metadata's version: last reads are asked again when it moves. */
  version(): number | undefined;
  /** The agent's last reads; null when this vault keeps none (or cannot say now). */
  lastReads(agent: string): Promise<AgentLastReads>;
  /** `functions/pay.py` as the workspace shows it. */
  pathOf(uri: string): string;
  log(message: string): void;
}

export class AccessReviewProvider implements vscode.TreeDataProvider<ReviewNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ReviewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private model: ReviewModel = { agents: [], empty: undefined };
  private timer: NodeJS.Timeout | undefined;
  /** A refresh was asked for while the view was hidden: done when it shows. */
  private dirty = true;
  private running: Promise<void> = Promise.resolve();
  private readsFor: { version: number | undefined; reads: Map<string, AgentLastReads> } = { version: undefined, reads: new Map() };
  private visible = false;

  constructor(private readonly source: ReviewSource) {}

  /** Why the view is empty, once it has been built. */
  get empty(): ReviewModel['empty'] {
    return this.model.empty;
  }

  get agents(): ReviewModel['agents'] {
    return this.model.agents;
  }

  /** The agent's unresolved reads as last reviewed (0 when it is not in the view). */
  unresolvedOf(agent: string): number {
    return this.model.agents.find((a) => a.agent === agent)?.unresolved ?? 0;
  }

  /** The view became visible or hidden. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.dirty) this.schedule();
  }

  /** Something the review rests on changed: rebuild soon (several changes, one rebuild). */
  schedule(): void {
    this.dirty = true;
    if (!this.visible || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.running.then(() => this.refresh()).catch((e: unknown) => this.source.log(`Access review: ${e instanceof Error ? e.message : String(e)}`));
    }, REFRESH_DELAY_MS);
  }

  /** Rebuilds now (the view's Refresh, and the tests' wait); resolves when the tree has the result. */
  async refresh(): Promise<void> {
    this.dirty = false;
    const input = this.source.input();
    const needs = input ? await this.source.needs() : undefined;
    if (!input || !needs) {
      this.model = { agents: [], empty: undefined };
      this.changed.fire(undefined);
      return;
    }
    const version = this.source.version();
    if (this.readsFor.version !== version) this.readsFor = { version, reads: new Map() };
    const lastReads = this.readsFor.reads;
    await Promise.all(
      reviewedNeeds({ needs, role: input.role, current: input.current })
        .filter((n) => !lastReads.has(n.agent))
        .map(async (n) => lastReads.set(n.agent, await this.source.lastReads(n.agent))),
    );
    this.model = reviewModel({ ...input, needs, lastReads, now: Date.now() });
    this.changed.fire(undefined);
  }

  getTreeItem(node: ReviewNode): vscode.TreeItem {
    const Collapsed = vscode.TreeItemCollapsibleState;
    switch (node.type) {
      case 'reviewAgent': {
        const item = new vscode.TreeItem(node.label, Collapsed.Expanded);
        item.description = node.description;
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon('account');
        item.contextValue = 'reviewAgent';
        item.accessibilityInformation = { label: `${node.label}, ${node.description}` };
        return withId(item, node.id);
      }
      case 'reviewGroup': {
        const item = new vscode.TreeItem(node.label, node.group === 'missing' || node.group === 'unused' || node.group === 'unknown' ? Collapsed.Expanded : Collapsed.Collapsed);
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon(GROUP_ICONS[node.group]);
        item.contextValue = `reviewGroup ${node.group}`;
        item.accessibilityInformation = { label: node.label };
        return withId(item, node.id);
      }
      case 'reviewItem': {
        const item = new vscode.TreeItem(node.label, node.places.length ? Collapsed.Collapsed : Collapsed.None);
        item.description = node.description;
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon('key');
        item.contextValue = node.contextValue;
        item.accessibilityInformation = { label: `${node.name}, ${node.group}, ${node.description}` };
        return withId(item, node.id);
      }
      case 'reviewPlace': {
        const item = new vscode.TreeItem(this.placeLabel(node.place), Collapsed.None);
        if (node.place.environments !== null) item.description = environmentsText(node.place.environments);
        item.iconPath = new vscode.ThemeIcon('go-to-file');
        item.contextValue = 'reviewPlace';
        item.command = { command: OPEN_PLACE_COMMAND, title: 'Open', arguments: [node.place] };
        return withId(item, node.id);
      }
    }
  }

  getChildren(node?: ReviewNode): ReviewNode[] {
    if (!node) return this.model.agents;
    switch (node.type) {
      case 'reviewAgent':
      case 'reviewGroup':
        return node.children;
      case 'reviewItem':
        return node.places.map((place, i) => ({ type: 'reviewPlace', id: `${node.id}\u0000${i}`, place }));
      case 'reviewPlace':
        return [];
    }
  }

  private placeLabel(place: ReviewPlace): string {
    return `${this.source.pathOf(place.uri)}:${place.range.start.line + 1}`;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }
}

const GROUP_ICONS = { missing: 'warning', unused: 'circle-slash', partly: 'filter', unknown: 'question', unresolved: 'symbol-variable' } as const;

function withId(item: vscode.TreeItem, id: string): vscode.TreeItem {
  item.id = id;
  return item;
}
