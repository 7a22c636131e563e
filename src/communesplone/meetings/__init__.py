"""CommunesPlone Meetings: college and council meetings: items, agendas, decisions and minutes."""
