"""Upgrade steps of the core profile, numbered from 1000."""
