"""CommunesPlone e-desk: citizens' online requests to municipal services."""
