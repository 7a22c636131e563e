"""Browser views of the CommunesPlone core."""
