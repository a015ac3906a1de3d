from _gen import *  # <AUTO GENERATED>

import requests


@func_description("Search flights for the caller with the Amadeus self-service API.")
@func_parameter("origin", "IATA code of the airport the caller leaves from")
@func_parameter("destination", "IATA code of the airport the caller flies to")
@func_parameter("date", "Departure date, YYYY-MM-DD")
def search_flights(conv: Conversation, origin: str, destination: str, date: str) -> list[dict]:
    # Key/value secret: the client credentials travel together.
    amadeus = conv.utils.get_secret("amadeus_flights")
    token = requests.post(
        "https://test.api.amadeus.com/v1/security/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": amadeus["client_id"],
            "client_secret": amadeus["client_secret"],
        },
        timeout=10,
    ).json()["access_token"]

    response = requests.get(
        "https://test.api.amadeus.com/v2/shopping/flight-offers",
        headers={"Authorization": f"Bearer {token}"},
        params={"originLocationCode": origin, "destinationLocationCode": destination, "departureDate": date, "adults": 1},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["data"][:3]
