// LSP sync: tells the language server the metadata (protocol/lsp.ts): a full snapshot once per
// connection of the language client and when the server asks (resync), deltas after that, nothing
// when nothing changed (core/sync.ts decides). Bursts (a grant changes the state, then its event
// arrives) are coalesced into one message per turn of the event loop.

import type * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { DeltaNotification, ResyncNotification, SnapshotNotification } from '../../protocol/lsp';
import type { SnapshotInput } from './core/snapshot';
import { MetadataSync } from './core/sync';

export class LspSync implements vscode.Disposable {
  private readonly sync = new MetadataSync();
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: { dispose(): void }[] = [];
  private firstLogged = false;
  private connectedLogged = false;

  constructor(
    private readonly client: LanguageClient,
    private readonly input: () => SnapshotInput,
    private readonly log: vscode.LogOutputChannel,
    private readonly activatedAt: number,
    private readonly background: (what: string, p: Thenable<unknown>) => void,
  ) {
    this.disposables.push(
      client.onNotification(ResyncNotification.type, (params) => {
        this.log.info(`The language server asked for the full metadata (its revision: ${params.revision ?? 'none'}).`);
        this.sync.reset();
        this.schedule();
      }),
      client.onDidChangeState((e) => {
        // A restarted server knows nothing: the next message is a full snapshot.
        if (e.newState === State.Running) {
          this.sync.reset();
          this.schedule();
        }
      }),
    );
  }

  get stats(): MetadataSync['stats'] {
    return this.sync.stats;
  }

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.push();
    }, 0);
  }

  /** Sends what the server is missing, if anything. */
  push(): void {
    if (!this.client.isRunning()) return;
    const input = this.input();
    const out = this.sync.next(input);
    if (!out) return;
    const sent =
      out.kind === 'snapshot'
        ? this.client.sendNotification(SnapshotNotification.type, out.snapshot)
        : this.client.sendNotification(DeltaNotification.type, out.delta);
    this.background(
      `sending the ${out.kind}`,
      sent.then(
        () => {
          if (out.kind === 'snapshot') {
            this.log.info(`Sent the full metadata (revision ${out.snapshot.revision}, ${out.snapshot.secrets.length} secrets, ${out.snapshot.connection}).`);
            this.logActivation(out.snapshot.connection, out.snapshot.secrets.length);
          } else {
            this.log.debug(`Sent changes ${out.delta.baseRevision} → ${out.delta.revision} (${out.delta.changes.length}).`);
            const connection = out.delta.changes.find((c) => c.kind === 'context' && c.connection !== undefined);
            if (connection?.kind === 'context' && connection.connection) this.logActivation(connection.connection, input.secrets.length);
          }
        },
        (e: unknown) => {
          // The server may not have it: start over with a snapshot.
          this.sync.reset();
          throw e;
        },
      ),
    );
  }

  private logActivation(connection: string, secrets: number): void {
    // Read by the real-editor tests and bench: activation to the first metadata the server has,
    // and to the first with the vault's (connected) metadata.
    const ms = Math.round(performance.now() - this.activatedAt);
    if (!this.firstLogged) {
      this.firstLogged = true;
      this.log.info(`Activation: first snapshot pushed ${ms} ms after activate (connection: ${connection}).`);
    }
    if (!this.connectedLogged && connection === 'connected') {
      this.connectedLogged = true;
      this.log.info(`Activation: first connected snapshot pushed ${ms} ms after activate (${secrets} secrets).`);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
