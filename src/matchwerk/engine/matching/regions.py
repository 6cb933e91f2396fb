"""Region proximity: distances between region centroids (data in ``engine/regions.py``:
Saxony's 10 districts and 3 district-free cities plus Central German neighbours)."""

from __future__ import annotations

import numpy as np

from matchwerk.engine.regions import REGIONS, distance_km, find

UNKNOWN = -1


class RegionTable:
    """Region names → indices, and a precomputed centroid distance matrix (km)."""

    def __init__(self) -> None:
        self.names = [region.name for region in REGIONS]
        n = len(REGIONS)
        self.km = np.zeros((n + 1, n + 1), np.float32)
        self.km[:, n] = np.nan  # the last row/column stands for "unknown region"
        self.km[n, :] = np.nan
        for i, a in enumerate(REGIONS):
            for j, b in enumerate(REGIONS):
                self.km[i, j] = distance_km(a.latitude, a.longitude, b.latitude, b.longitude)

    def index(self, name: str | None) -> int:
        region = find(name)
        return self.names.index(region.name) if region else UNKNOWN

    def distances(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Distances (km, NaN when a region is unknown) for every a × every b."""
        return self.km[np.asarray(a)[:, None], np.asarray(b)[None, :]]
