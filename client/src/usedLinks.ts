// The nonces of the Create Secret links (propose_secret's) this editor has opened, kept in the
// extension's global state so that a link opens the form once, across windows and restarts.

/** The part of a VS Code Memento this needs (globalState), so that tests can give a plain one. */
export interface LinkStore {
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): Thenable<void>;
}

const KEY = 'secretsVault.usedCreateSecretLinks';
/** The most recent nonces kept: far more than anyone opens, few enough to keep state small. */
export const MAX_REMEMBERED = 1000;

export class UsedLinks {
  private readonly used: string[];

  constructor(private readonly store: LinkStore) {
    const saved = store.get<unknown>(KEY, []);
    this.used = Array.isArray(saved) ? saved.filter((x): x is string => typeof x === 'string') : [];
  }

  /**
   * True the first time a nonce is claimed, false after: decided at once (a second opening in the
   * same moment is refused), then written to the store.
   */
  claim(once: string): { first: boolean; saved: Thenable<void> } {
    if (this.used.includes(once)) return { first: false, saved: Promise.resolve() };
    this.used.push(once);
    if (this.used.length > MAX_REMEMBERED) this.used.splice(0, this.used.length - MAX_REMEMBERED);
    return { first: true, saved: this.store.update(KEY, [...this.used]) };
  }
}
