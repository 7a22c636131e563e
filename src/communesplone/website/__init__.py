"""CommunesPlone Website: the municipal public website."""
