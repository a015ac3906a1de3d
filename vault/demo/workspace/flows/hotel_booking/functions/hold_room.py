from _gen import *  # <AUTO GENERATED>

import json
from urllib import error, request

@func_description("Hold the room type the caller chose for ten minutes, while they confirm.")
@func_parameter("room_type", "One of the room types read to the caller")
def hold_room(conv: Conversation, flow: Flow, room_type: str):
    hotel = conv.utils.get_secret("hotel_api")
    call = request.Request(
        f"{hotel['base_url']}/holds",
        data=json.dumps({"city": conv.state.city, "room_type": room_type, "minutes": 10}).encode(),
        headers={"X-Api-Key": hotel["api_key"], "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with request.urlopen(call, timeout=10) as response:
            conv.state.held_room = json.load(response)["hold_id"]
    except error.HTTPError as e:
        if e.code != 409:
            raise
        flow.goto_step("Check availability")
        return "That room has just gone; check again."
    return f"Holding a {room_type} room: ask the caller to confirm."
