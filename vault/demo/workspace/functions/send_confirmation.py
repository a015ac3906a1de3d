from _gen import *  # <AUTO GENERATED>

import json
from urllib import request

@func_description("Email the booking confirmation.")
@func_parameter("email", "The caller's email address")
@func_parameter("summary", "What was booked")
def send_confirmation(conv: Conversation, email: str, summary: str) -> None:
    api_key = conv.utils.get_secret("sendgird_api_key")  # misspelt on purpose
    message = {
        "personalizations": [{"to": [{"email": email}]}],
        "from": {"email": "bookings@acme.example"},
        "subject": "Your booking",
        "content": [{"type": "text/plain", "value": summary}],
    }
    call = request.Request(
        "https://api.sendgrid.com/v3/mail/send",
        data=json.dumps(message).encode(),
        headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
        method="POST",
    )
    request.urlopen(call, timeout=10).close()
