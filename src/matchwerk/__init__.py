"""Matchwerk: cross-innovation matchmaking programmes for regional innovation networks."""

__version__ = "0.1.0"
