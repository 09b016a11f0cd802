"""A plausibility check of imported geocodes against their US ZIP code.

A location geocoded far from the centre of its own address's ZIP code is usually a
geocoding error (the Miami 211 export has dozens). The point is kept (it may still be
right for a large rural ZIP) and reported as a warning for a curator to check.
"""

from __future__ import annotations

from functools import cache

import zipcodes

from referral.directory.geo import haversine_km
from referral.directory.hsds_import.records import Package
from referral.directory.hsds_import.summary import ImportSummary

# Urban ZIP areas span a few km and rural ones rarely more than ~25 km from their
# centre; beyond this the geocode more likely belongs to another place.
FAR_FROM_ZIP_KM = 30.0


@cache
def zip_centre(code: str) -> tuple[float, float] | None:
    try:
        found = zipcodes.matching(code)
    except (TypeError, ValueError):
        return None
    if not found:
        return None
    return float(found[0]["lat"]), float(found[0]["long"])


def warn_far_from_zip(package: Package, summary: ImportSummary) -> None:
    locations = {r.id: r for r in package.records.get("location", [])}
    for address in package.records.get("address", []):
        location = locations.get(address.values.get("location_id"))
        code = str(address.values.get("postal_code") or "")
        if location is None or (address.values.get("country") or "").upper() != "US":
            continue
        lat, lon = location.values.get("latitude"), location.values.get("longitude")
        centre = zip_centre(code[:5]) if len(code) >= 5 and code[:5].isdigit() else None
        if lat is None or lon is None or centre is None:
            continue
        km = haversine_km(lat, lon, *centre)
        if km > FAR_FROM_ZIP_KM:
            reason = f"{km:.0f} km from the centre of its ZIP {code[:5]}; kept, check the geocode"
            summary.warn(location, "latitude,longitude", reason, f"{lat},{lon}")
