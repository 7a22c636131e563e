"""pytest set-up shared by every application's tests."""

import os


os.environ.setdefault("zope_i18n_compile_mo_files", "true")

pytest_plugins = ["pytest_plone", "communesplone.core.browsertesting"]


def _layers():
    from communesplone.core.testing import session_fixtures

    return session_fixtures()


globals().update(_layers())
