// The webview's side of the host connection: the typed `acquireVsCodeApi` wrapper and the
// correlation of `submit` requests with their replies by request id.

import type { FormData, HostToWebview, Submission, WebviewToHost } from '../../protocol/webview';
import { isHostMessage } from '../../protocol/webview';

/** The API VS Code gives a webview; callable once per page. */
interface VsCodeApi<S> {
  postMessage(message: WebviewToHost): void;
  getState(): S | undefined;
  setState(state: S | undefined): S | undefined;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

export type SubmitReply = Extract<HostToWebview, { type: 'result' | 'conflict' }>;

export interface HostEvents {
  init(data: FormData): void;
  loadFailed(message: string): void;
}

export class Host<S> {
  private readonly api = acquireVsCodeApi<S>();
  private nextRequestId = 1;
  private readonly pending = new Map<number, (reply: SubmitReply) => void>();

  constructor(private readonly events: HostEvents) {
    // Lives as long as the page: a webview's page is discarded with its panel.
    window.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
  }

  /** Say the script listens; the host answers with `init`. */
  ready(): void {
    this.api.postMessage({ type: 'ready' });
  }

  /** Ask for the form's data again; the draft goes, since reloading means starting from the vault's version. */
  reload(): void {
    this.api.setState(undefined);
    this.api.postMessage({ type: 'reload' });
  }

  cancel(): void {
    this.api.postMessage({ type: 'cancel' });
  }

  /** Send the form; resolves with the host's reply to this request id. */
  submit(submission: Submission): Promise<SubmitReply> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      this.api.postMessage({ type: 'submit', requestId, submission });
    });
  }

  /** Draft state for when the panel is hidden and shown again. Callers pass only non-secret fields. */
  get state(): S | undefined {
    return this.api.getState();
  }

  set state(value: S | undefined) {
    this.api.setState(value);
  }

  private receive(data: unknown): void {
    if (!isHostMessage(data)) return;
    switch (data.type) {
      case 'init':
        this.events.init(data.data);
        return;
      case 'loadFailed':
        this.events.loadFailed(data.message);
        return;
      case 'result':
      case 'conflict': {
        const resolve = this.pending.get(data.requestId);
        if (!resolve) return;
        this.pending.delete(data.requestId);
        resolve(data);
        return;
      }
    }
  }
}
