"""Behaviors of the CommunesPlone core."""
