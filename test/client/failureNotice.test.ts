import { afterEach, describe, expect, it } from 'vitest';
import { FailureNotices, type NoticeStep } from '../../client/src/core/failureNotice';
import { VaultConnection, type ConnectionState } from '../../client/src/vault/connection';
import { startTestVault, type TestVault } from '../helpers/vault';
import { waitFor } from './wait';

const refused = (url: string, retryInMs = 1000): ConnectionState => ({
  state: 'unreachable',
  message: `Cannot reach the vault at ${url}: the connection was refused.`,
  retryInMs,
  reason: { kind: 'refused', detail: 'ECONNREFUSED' },
});
const connected: ConnectionState = { state: 'connected', whoami: {} as never, live: true };
const shows = (s: NoticeStep) => s.show;

describe('the connection’s notification', () => {
  let tv: TestVault | undefined;
  afterEach(async () => {
    await tv?.stop();
    tv = undefined;
  });

  it('says each failure once while it lasts, and again after a recovery', () => {
    const n = new FailureNotices();
    const unreachable = refused('http://127.0.0.1:1');
    expect(n.step({ state: 'connecting' })).toEqual({ close: false });
    expect(n.step(unreachable)).toEqual({ close: false, show: 'unreachable' });
    // Retries: connecting, then the same failure with another wait: nothing new, nothing closed.
    expect(n.step({ state: 'connecting' })).toEqual({ close: false });
    expect(n.step(refused('http://127.0.0.1:1', 2000))).toEqual({ close: false });
    // Another failure replaces it.
    expect(n.step({ state: 'unauthorized', message: 'no' })).toEqual({ close: true, show: 'unauthorized' });
    // Recovered: closed.
    expect(n.step(connected)).toEqual({ close: true });
    expect(n.showing).toBeUndefined();
    expect(shows(n.step(unreachable))).toBe('unreachable');
  });

  it('replaces the notification when the URL (or the reason) changes, though the kind is the same', () => {
    const n = new FailureNotices();
    expect(shows(n.step(refused('http://127.0.0.1:1')))).toBe('unreachable');
    n.reset(); // a new connection: the user changed the URL
    expect(n.step(refused('http://127.0.0.1:2'))).toEqual({ close: true, show: 'unreachable' });
  });

  it('a failure the user closed is not said again until the connection was healthy', () => {
    const n = new FailureNotices();
    expect(shows(n.step(refused('http://127.0.0.1:1')))).toBe('unreachable');
    n.dismissed();
    expect(n.step({ state: 'connecting' })).toEqual({ close: false });
    expect(n.step(refused('http://127.0.0.1:1', 4000))).toEqual({ close: false });
    expect(n.step(connected)).toEqual({ close: false });
    expect(shows(n.step(refused('http://127.0.0.1:1')))).toBe('unreachable');
  });

  it('a command’s "not connected" stays through the retries of the failure it speaks of', () => {
    const n = new FailureNotices();
    expect(shows(n.step(refused('http://127.0.0.1:1')))).toBe('unreachable');
    expect(n.outcome('not-connected', 'Cannot reach the vault at http://127.0.0.1:1')).toEqual({ close: true, show: 'not-connected' });
    expect(n.step({ state: 'connecting' })).toEqual({ close: false });
    expect(n.step(refused('http://127.0.0.1:1', 2000))).toEqual({ close: false });
    expect(n.showing).toBe('not-connected');
    // Another failure replaces it; then the first one again is not repeated, and its notice goes.
    expect(n.step({ state: 'unauthorized', message: 'no' })).toEqual({ close: true, show: 'unauthorized' });
    expect(n.step(refused('http://127.0.0.1:1'))).toEqual({ close: true });
  });

  it('wrong URL, rejected key, good sign-in: each replaces the one before, and the sign-in closes the last', () => {
    const n = new FailureNotices();
    // The wrong URL: unreachable.
    expect(n.step(refused('http://127.0.0.1:1'))).toEqual({ close: false, show: 'unreachable' });
    // Change URL: a new connection, the vault answers, no key yet: the unreachable notice goes.
    n.reset();
    expect(n.step({ state: 'connecting' })).toEqual({ close: false });
    expect(n.step({ state: 'signed-out' })).toEqual({ close: true });
    // Sign In with a key the vault rejects: said, in place of anything on screen.
    expect(n.outcome('rejected-key', 'did not accept this API key')).toEqual({ close: false, show: 'rejected-key' });
    // A command that needs the vault meanwhile: replaces it.
    expect(n.outcome('not-connected', 'Sign in to the vault first.')).toEqual({ close: true, show: 'not-connected' });
    // The good key: a new connection, connecting keeps it a moment, connected closes it.
    n.reset();
    expect(n.step({ state: 'connecting' })).toEqual({ close: false });
    expect(n.step(connected)).toEqual({ close: true });
    expect(n.showing).toBeUndefined();
  });

  it('turn a real unreachable vault with retries into a single notice', async () => {
    tv = await startTestVault();
    const url = tv.url;
    await tv.stop();
    tv = undefined;
    let attempts = 0;
    const log = (m: string) => void (m.includes('Retrying in') && attempts++);
    const conn = new VaultConnection({ url, token: 'svu_x', backoff: { initialMs: 10, maxMs: 40 }, log });
    const n = new FailureNotices();
    const notices: string[] = [];
    conn.onDidChangeState((s) => {
      const k = n.step(s).show;
      if (k) notices.push(k);
    });
    await conn.start();
    await waitFor(() => attempts >= 4, 'several retries');
    await conn.dispose();
    expect(notices).toEqual(['unreachable']);
  });
});
