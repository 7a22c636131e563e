"""CommunesPlone Documents: official documents generated from appy.pod templates."""
