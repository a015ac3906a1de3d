from _gen import *  # <AUTO GENERATED>

import json
from urllib import parse, request

@func_description("Book a hotel room through the partner API.")
@func_parameter("city", "The city the caller stays in")
@func_parameter("nights", "How many nights")
def book_hotel(conv: Conversation, city: str, nights: int) -> dict:
    hotel = conv.utils.get_secret("hotel_api")
    call = request.Request(
        f"{hotel['base_url']}/bookings",
        data=json.dumps({"city": city, "nights": nights}).encode(),
        headers={"X-Api-Key": hotel["api_key"], "Content-Type": "application/json"},
        method="POST",
    )
    with request.urlopen(call, timeout=10) as response:
        return json.load(response)
