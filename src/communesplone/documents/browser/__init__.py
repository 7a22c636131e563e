"""Browser views of CommunesPlone Documents."""
