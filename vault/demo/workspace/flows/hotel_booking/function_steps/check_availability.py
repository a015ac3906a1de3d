from _gen import *  # <AUTO GENERATED>

import requests


def check_availability(conv: Conversation, flow: Flow):
    """Asks the hotel partner which rooms are free in the caller's city for their dates."""
    hotel = conv.utils.get_secret("hotel_api")
    response = requests.get(
        f"{hotel['base_url']}/availability",
        headers={"X-Api-Key": hotel["api_key"]},
        params={"city": conv.state.city, "check_in": conv.state.check_in, "nights": conv.state.nights},
        timeout=10,
    )
    response.raise_for_status()
    rooms = response.json()["rooms"]
    if not rooms:
        conv.exit_flow()
        return "No rooms are free on those dates."
    conv.state.room_types = sorted({room["type"] for room in rooms})
    flow.goto_step("Choose room")
