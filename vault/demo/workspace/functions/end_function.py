from _gen import *  # <AUTO GENERATED>


def end_function(conv: Conversation):
    """Runs when the call ends: note whether it ended with a booking."""
    conv.log.info("call ended", booked=conv.state.booking_reference is not None)
