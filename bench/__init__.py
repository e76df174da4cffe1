"""Benchmarks of ESS Territoires; run ``make bench`` (``python -m bench``)."""
