"""Refund a payment. Payments belong to billing-agent: this agent has no access to Stripe."""

import requests


def refund_payment(conv, payment_intent: str) -> dict:
    stripe_key = conv.utils.get_secret("stripe_api_key")
    response = requests.post(
        "https://api.stripe.com/v1/refunds",
        auth=(stripe_key, ""),
        data={"payment_intent": payment_intent},
        timeout=10,
    )
    return response.json()
