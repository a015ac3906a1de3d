from _gen import *  # <AUTO GENERATED>

import requests


@func_description("Refund a payment. Payments belong to the Billing agent: this agent has no access to Stripe.")
@func_parameter("payment_intent", "The Stripe payment to refund")
def refund_payment(conv: Conversation, payment_intent: str) -> dict:
    stripe_key = conv.utils.get_secret("stripe_api_key")
    response = requests.post(
        "https://api.stripe.com/v1/refunds",
        auth=(stripe_key, ""),
        data={"payment_intent": payment_intent},
        timeout=10,
    )
    return response.json()
