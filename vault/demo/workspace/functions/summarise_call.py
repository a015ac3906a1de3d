from _gen import *  # <AUTO GENERATED>

import json
from urllib import request

@func_description("Summarise the call for the booking record.")
@func_parameter("transcript", "The call so far")
def summarise_call(conv: Conversation, transcript: str) -> str:
    call = request.Request(
        "https://api.openai.com/v1/chat/completions",
        headers={"Authorization": f"Bearer {conv.utils.get_secret('openai_api_key')}", "Content-Type": "application/json"},
        data=json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"Summarise: {transcript}"}]}).encode(),
        method="POST",
    )
    with request.urlopen(call, timeout=30) as response:
        return json.load(response)["choices"][0]["message"]["content"]
