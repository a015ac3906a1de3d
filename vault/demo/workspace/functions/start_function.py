from _gen import *  # <AUTO GENERATED>


def start_function(conv: Conversation):
    """Runs when a call starts: nothing booked yet."""
    conv.state.booking_reference = None
    conv.state.held_room = None
