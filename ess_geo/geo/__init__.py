"""Territories: levels, commune membership, neighbours, search."""
