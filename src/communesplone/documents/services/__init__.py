"""REST endpoints of CommunesPlone Documents."""
