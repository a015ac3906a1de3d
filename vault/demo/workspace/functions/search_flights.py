from _gen import *  # <AUTO GENERATED>

import json
from urllib import parse, request

@func_description("Search flights for the caller with the Amadeus self-service API.")
@func_parameter("origin", "IATA code of the airport the caller leaves from")
@func_parameter("destination", "IATA code of the airport the caller flies to")
@func_parameter("date", "Departure date, YYYY-MM-DD")
def search_flights(conv: Conversation, origin: str, destination: str, date: str) -> list[dict]:
    # Key/value secret: the client credentials travel together.
    amadeus = conv.utils.get_secret("amadeus_flights")
    form = {
        "grant_type": "client_credentials",
        "client_id": amadeus["client_id"],
        "client_secret": amadeus["client_secret"],
    }
    call = request.Request("https://test.api.amadeus.com/v1/security/oauth2/token", data=parse.urlencode(form).encode(), method="POST")
    with request.urlopen(call, timeout=10) as response:
        token = json.load(response)["access_token"]

    query = parse.urlencode({"originLocationCode": origin, "destinationLocationCode": destination, "departureDate": date, "adults": 1})
    call = request.Request(f"https://test.api.amadeus.com/v2/shopping/flight-offers?{query}", headers={"Authorization": f"Bearer {token}"})
    with request.urlopen(call, timeout=10) as response:
        return json.load(response)["data"][:3]
