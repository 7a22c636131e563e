"""Demo content of the website (filled below)."""


def install(context):
    pass
