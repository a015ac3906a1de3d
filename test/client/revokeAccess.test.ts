import { describe, expect, it } from 'vitest';
import { revokeAccessConfirmation } from '../../client/src/core/revokeAccess';

describe('the question before revoking an agent from a secret that open files read', () => {
  it('names the open files that read it, counts the rest, and asks nothing when none does', () => {
    expect(revokeAccessConfirmation('stripe_api_key', 'billing-bot', [])).toBeUndefined();
    expect(revokeAccessConfirmation('stripe_api_key', 'billing-bot', ['functions/refund_payment.py', 'functions/refund_payment.py'])).toEqual({
      message: "Revoke 'billing-bot' from 'stripe_api_key'? functions/refund_payment.py reads it.",
      detail: "When this code runs as 'billing-bot', reading 'stripe_api_key' fails with MissingAccess.",
    });
    expect(revokeAccessConfirmation('zendesk', 'support-bot', ['a.py', 'b.py'])!.message).toBe("Revoke 'support-bot' from 'zendesk'? a.py, b.py read it.");
    expect(revokeAccessConfirmation('zendesk', 'support-bot', ['a.py', 'b.py', 'c.py', 'd.py'])!.message).toBe(
      "Revoke 'support-bot' from 'zendesk'? a.py, b.py, c.py and 1 more open file read it.",
    );
    expect(revokeAccessConfirmation('zendesk', 'support-bot', ['a.py', 'b.py', 'c.py', 'd.py', 'e.ts'])!.message).toBe(
      "Revoke 'support-bot' from 'zendesk'? a.py, b.py, c.py and 2 more open files read it.",
    );
  });
});
