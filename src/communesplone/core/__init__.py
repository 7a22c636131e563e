"""CommunesPlone core: the shared municipal model.

Municipal services and their groups, local roles computed from a content's
service, citizens, the CommunesPlone control panel and the testing layers.
"""
