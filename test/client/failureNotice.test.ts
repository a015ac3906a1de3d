import { afterEach, describe, expect, it } from 'vitest';
import { FailureNotices } from '../../client/src/core/failureNotice';
import { VaultConnection, type ConnectionState } from '../../client/src/vault/connection';
import { startTestVault, type TestVault } from '../helpers/vault';
import { waitFor } from './wait';

describe('failure notifications', () => {
  let tv: TestVault | undefined;
  afterEach(async () => {
    await tv?.stop();
    tv = undefined;
  });

  it('notify each failure once while it lasts, and again after a recovery', () => {
    const n = new FailureNotices();
    const unreachable: ConnectionState = { state: 'unreachable', message: 'down', retryInMs: 1000 };
    expect(n.next({ state: 'connecting' })).toBeUndefined();
    expect(n.next(unreachable)).toBe('unreachable');
    expect(n.next({ state: 'connecting' })).toBeUndefined();
    expect(n.next({ ...unreachable, retryInMs: 2000 })).toBeUndefined();
    expect(n.next({ state: 'unauthorized', message: 'no' })).toBe('unauthorized');
    expect(n.next({ state: 'connected', whoami: {} as never, live: true })).toBeUndefined();
    expect(n.next(unreachable)).toBe('unreachable');
    n.reset();
    expect(n.next(unreachable)).toBe('unreachable');
  });

  it('turn a real unreachable vault with retries into a single notice', async () => {
    tv = await startTestVault();
    const url = tv.url;
    await tv.stop();
    tv = undefined;
    const conn = new VaultConnection({ url, token: 'svu_x', backoff: { initialMs: 10, maxMs: 40 } });
    const n = new FailureNotices();
    const notices: string[] = [];
    let attempts = 0;
    conn.onDidChangeState((s) => {
      if (s.state === 'connecting') attempts++;
      const k = n.next(s);
      if (k) notices.push(k);
    });
    await conn.start();
    await waitFor(() => attempts >= 4, 'several retries');
    await conn.dispose();
    expect(notices).toEqual(['unreachable']);
  });
});
