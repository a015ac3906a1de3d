from _gen import *  # <AUTO GENERATED>

import json
from urllib import parse, request

@func_description("Refund a payment. Payments belong to the Billing agent: this agent has no access to Stripe.")
@func_parameter("payment_intent", "The Stripe payment to refund")
def refund_payment(conv: Conversation, payment_intent: str) -> dict:
    stripe_key = conv.utils.get_secret("stripe_api_key")
    call = request.Request(
        "https://api.stripe.com/v1/refunds",
        data=parse.urlencode({"payment_intent": payment_intent}).encode(),
        headers={"Authorization": f"Bearer {stripe_key}"},
        method="POST",
    )
    with request.urlopen(call, timeout=10) as response:
        return json.load(response)
