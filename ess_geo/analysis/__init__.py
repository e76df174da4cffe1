"""Analyses.

Weight of the ESS, coverage and prospect score, budget, directory, filters, classes.
"""
