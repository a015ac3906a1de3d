// Which connection failures deserve a notification: each kind once, until the connection has been
// healthy again. Retries that fail the same way stay in the status item and the log.

import type { ConnectionState } from '../vault/connection';

export type FailureKind = 'unreachable' | 'unauthorized' | 'forbidden';

export class FailureNotices {
  private shown = new Set<FailureKind>();

  /** The failure to notify about for this state, or undefined when there is nothing new to say. */
  next(state: ConnectionState): FailureKind | undefined {
    switch (state.state) {
      case 'connected':
      case 'signed-out':
        this.shown.clear();
        return undefined;
      case 'unreachable':
      case 'unauthorized':
      case 'forbidden':
        if (this.shown.has(state.state)) return undefined;
        this.shown.add(state.state);
        return state.state;
      default:
        return undefined;
    }
  }

  /** The user changed something (signed in, edited the URL): a new failure is news again. */
  reset(): void {
    this.shown.clear();
  }
}
