"""REST endpoints of the cadastre and the map (see each module)."""
