"""Search flights for the caller with the Amadeus self-service API."""

import requests


def search_flights(conv, origin: str, destination: str, date: str) -> list[dict]:
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
