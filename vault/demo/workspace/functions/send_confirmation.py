from _gen import *  # <AUTO GENERATED>

import requests


@func_description("Email the booking confirmation.")
@func_parameter("email", "The caller's email address")
@func_parameter("summary", "What was booked")
def send_confirmation(conv: Conversation, email: str, summary: str) -> None:
    api_key = conv.utils.get_secret("sendgird_api_key")  # misspelt on purpose
    requests.post(
        "https://api.sendgrid.com/v3/mail/send",
        headers={"Authorization": f"Bearer {api_key}"},
        json={
            "personalizations": [{"to": [{"email": email}]}],
            "from": {"email": "bookings@acme.example"},
            "subject": "Your booking",
            "content": [{"type": "text/plain", "value": summary}],
        },
        timeout=10,
    )
