"""Content types of CommunesPlone Documents."""
