"""Email the booking confirmation."""

import requests


def send_confirmation(conv, email: str, summary: str) -> None:
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
