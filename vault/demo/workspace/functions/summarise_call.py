from _gen import *  # <AUTO GENERATED>

import requests


@func_description("Summarise the call for the booking record.")
@func_parameter("transcript", "The call so far")
def summarise_call(conv: Conversation, transcript: str) -> str:
    response = requests.post(
        "https://api.openai.com/v1/chat/completions",
        headers={"Authorization": f"Bearer {conv.utils.get_secret('openai_api_key')}"},
        json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"Summarise: {transcript}"}]},
        timeout=30,
    )
    return response.json()["choices"][0]["message"]["content"]
