from _gen import *  # <AUTO GENERATED>

import requests


@func_description("Book a hotel room through the partner API.")
@func_parameter("city", "The city the caller stays in")
@func_parameter("nights", "How many nights")
def book_hotel(conv: Conversation, city: str, nights: int) -> dict:
    hotel = conv.utils.get_secret("hotel_api")
    response = requests.post(
        f"{hotel['base_url']}/bookings",
        headers={"X-Api-Key": hotel["api_key"]},
        json={"city": city, "nights": nights},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()
