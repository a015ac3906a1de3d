from _gen import *  # <AUTO GENERATED>

import json
from urllib import parse, request

def check_availability(conv: Conversation, flow: Flow):
    """Asks the hotel partner which rooms are free in the caller's city for their dates."""
    hotel = conv.utils.get_secret("hotel_api")
    query = parse.urlencode({"city": conv.state.city, "check_in": conv.state.check_in, "nights": conv.state.nights})
    call = request.Request(f"{hotel['base_url']}/availability?{query}", headers={"X-Api-Key": hotel["api_key"]})
    with request.urlopen(call, timeout=10) as response:
        rooms = json.load(response)["rooms"]
    if not rooms:
        conv.exit_flow()
        return "No rooms are free on those dates."
    conv.state.room_types = sorted({room["type"] for room in rooms})
    flow.goto_step("Choose room")
