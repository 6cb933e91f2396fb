"""Regions with centroid coordinates: Saxony's 10 districts and 3 district-free cities,
plus neighbours in the Central German metropolitan region. Plain data; the platform
seeds its Region table from it and the engine uses it for distances."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class RegionInfo:
    name: str
    slug: str
    kind: str  # "district", "city" or "other"
    state: str
    latitude: float
    longitude: float


SAXONY = "Sachsen"

REGIONS: tuple[RegionInfo, ...] = (
    RegionInfo("Bautzen", "bautzen", "district", SAXONY, 51.247, 14.290),
    RegionInfo("Erzgebirgskreis", "erzgebirgskreis", "district", SAXONY, 50.620, 12.930),
    RegionInfo("Görlitz", "goerlitz", "district", SAXONY, 51.190, 14.780),
    RegionInfo("Landkreis Leipzig", "landkreis-leipzig", "district", SAXONY, 51.190, 12.620),
    RegionInfo("Meißen", "meissen", "district", SAXONY, 51.260, 13.540),
    RegionInfo("Mittelsachsen", "mittelsachsen", "district", SAXONY, 50.960, 13.190),
    RegionInfo("Nordsachsen", "nordsachsen", "district", SAXONY, 51.510, 12.690),
    RegionInfo("Sächsische Schweiz-Osterzgebirge", "saechsische-schweiz-osterzgebirge", "district", SAXONY,
               50.870, 13.860),
    RegionInfo("Vogtlandkreis", "vogtlandkreis", "district", SAXONY, 50.450, 12.200),
    RegionInfo("Zwickau", "zwickau", "district", SAXONY, 50.760, 12.560),
    RegionInfo("Chemnitz", "chemnitz", "city", SAXONY, 50.833, 12.921),
    RegionInfo("Dresden", "dresden", "city", SAXONY, 51.050, 13.738),
    RegionInfo("Leipzig", "leipzig", "city", SAXONY, 51.340, 12.375),
    # Central German metropolitan region beyond Saxony (extensible).
    RegionInfo("Halle (Saale)", "halle-saale", "city", "Sachsen-Anhalt", 51.483, 11.970),
    RegionInfo("Saalekreis", "saalekreis", "district", "Sachsen-Anhalt", 51.420, 11.900),
    RegionInfo("Burgenlandkreis", "burgenlandkreis", "district", "Sachsen-Anhalt", 51.120, 11.950),
    RegionInfo("Jena", "jena", "city", "Thüringen", 50.927, 11.586),
    RegionInfo("Gera", "gera", "city", "Thüringen", 50.880, 12.080),
    RegionInfo("Altenburger Land", "altenburger-land", "district", "Thüringen", 50.950, 12.400),
)

BY_NAME = {region.name.casefold(): region for region in REGIONS}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def find(name: str | None) -> RegionInfo | None:
    """A region by name (case-insensitive), or None."""
    return BY_NAME.get(name.strip().casefold()) if name else None
