from _gen import *  # <AUTO GENERATED>

import requests


@func_description("Hold the room type the caller chose for ten minutes, while they confirm.")
@func_parameter("room_type", "One of the room types read to the caller")
def hold_room(conv: Conversation, flow: Flow, room_type: str):
    hotel = conv.utils.get_secret("hotel_api")
    response = requests.post(
        f"{hotel['base_url']}/holds",
        headers={"X-Api-Key": hotel["api_key"]},
        json={"city": conv.state.city, "room_type": room_type, "minutes": 10},
        timeout=10,
    )
    if response.status_code == 409:
        flow.goto_step("Check availability")
        return "That room has just gone; check again."
    response.raise_for_status()
    conv.state.held_room = response.json()["hold_id"]
    return f"Holding a {room_type} room: ask the caller to confirm."
