"""CommunesPlone Urban: urbanism and environment permit files."""
