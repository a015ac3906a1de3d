// The connection's notification: at most one on screen, about the state that holds now. A new
// failure replaces the notification of the one before; a recovery (connected, or a vault that
// answers and asks for a sign-in) closes it. Each failure is notified once while it lasts, until
// the connection has been healthy again: retries that fail the same way stay in the status item
// and the log. Outcomes of the user's own actions about the connection (a key the vault rejected,
// a command that needs the vault) are that notification too, so that they go when the state does.
// VS Code cannot close a showErrorMessage toast, so notices.ts shows it as a progress notification
// that ends when this model says so.

import type { ConnectionState } from '../vault/connection';

export type FailureKind = 'unreachable' | 'unauthorized' | 'forbidden';
/** Outcomes of the user's actions: a key the vault rejected at Sign In, a command that needs the vault. */
export type OutcomeKind = 'rejected-key' | 'not-connected';
export type NoticeKind = FailureKind | OutcomeKind;

/** What to do with the connection's notification: close the one shown, and/or show another. */
export interface NoticeStep {
  close: boolean;
  show?: NoticeKind;
}

const NOTHING: NoticeStep = { close: false };

export class FailureNotices {
  private shown = new Set<FailureKind>();
  /** The notification on screen, if any, and what it says (a new URL or reason is news). */
  private open: { kind: NoticeKind; text: string } | undefined;

  /** The step for a new connection state. */
  step(state: ConnectionState): NoticeStep {
    switch (state.state) {
      case 'connected':
      case 'signed-out':
      case 'disposed':
        // The state the notification spoke of no longer holds.
        this.shown.clear();
        return this.closeOpen();
      case 'unreachable':
      case 'unauthorized':
      case 'forbidden': {
        const kind = state.state;
        if (this.open?.kind === kind && this.open.text === state.message) return NOTHING;
        if (this.shown.has(kind) && this.open?.kind !== kind) {
          // Said before in this episode (the user closed it): not again. Another failure's notice
          // no longer holds; an outcome of the user's action (said since) stays.
          return this.open && (this.open.kind === 'rejected-key' || this.open.kind === 'not-connected') ? NOTHING : this.closeOpen();
        }
        this.shown.add(kind);
        const close = this.open !== undefined;
        this.open = { kind, text: state.message };
        return { close, show: kind };
      }
      case 'connecting':
        // A retry in progress: what was said still holds until it ends one way or the other.
        return NOTHING;
    }
  }

  /** The step for an outcome of the user's action: always said, in place of what was on screen. */
  outcome(kind: OutcomeKind, text: string): NoticeStep {
    const close = this.open !== undefined;
    this.open = { kind, text };
    return { close, show: kind };
  }

  /** The user closed the notification: nothing is on screen until the next step shows one. */
  dismissed(): void {
    this.open = undefined;
  }

  /** Whether a notification is on screen (for tests and the log). */
  get showing(): NoticeKind | undefined {
    return this.open?.kind;
  }

  /** The user changed something (signed in, edited the URL): a new failure is news again. */
  reset(): void {
    this.shown.clear();
  }

  private closeOpen(): NoticeStep {
    if (this.open === undefined) return NOTHING;
    this.open = undefined;
    return { close: true };
  }
}
