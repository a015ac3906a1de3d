from _gen import *  # <AUTO GENERATED>

# Checks of the agent's credentials that show none of them: run these locally with the CodeLens
# above each function ("Run as" the project's agent). They read the secrets through the vault,
# exactly as the agent may, and return fingerprints: the first 8 hex digits of a SHA-256, never a
# key itself.

import hashlib


def fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:8]


def check_hotel_api(conv: Conversation) -> dict:
    hotel = conv.utils.get_secret("hotel_api")
    return {"base_url": hotel["base_url"], "api_key": fingerprint(hotel["api_key"])}


def check_sendgrid(conv: Conversation, sender: str) -> str:
    return f"{sender}: sendgrid key {fingerprint(conv.utils.get_secret('sendgrid_api_key'))}"
