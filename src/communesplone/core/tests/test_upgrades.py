"""The upgrade-step discipline, for every profile of the bundle.

- each profile has a version (``metadata.xml``), numbered from 1000;
- upgrade steps lead from 1000 to that version, one after the other, and no
  further: a site of any earlier version reaches the current one;
- a change to a profile (its files) or to the templates its application
  ships comes with a new version, hence with an upgrade step: the files of
  each default profile and its application's shipped templates are recorded
  here with their version (:data:`RECORDED`).

The steps themselves are tested by each application on a site built from
the previous version (documents and meetings: ``tests/test_upgrades.py``).
"""

from packaging.version import parse
from pathlib import Path
from Products.GenericSetup.upgrade import _upgrade_registry
from Products.GenericSetup.upgrade import UpgradeEntity

import hashlib
import importlib
import pytest


FIRST = "1000"
# profile: (version, fingerprint of its files and of its application's templates).
# A test below fails when they change while the version stays: then bump the
# version in metadata.xml, add the upgrade step to it (upgrades/, see
# docs/deploy.rst), and record the new pair here.
RECORDED = {
    "communesplone.core:default": (
        "1002",
        "2fe86ae27b8252be28726d6148f3626e2fb3fe6f4c218d701b2e53d03f4bc565",
    ),
    "communesplone.documents:default": (
        "1001",
        "48c9cdcb47e6aeae5f8014b0c9cdf039d997e8eced2cbfed94080cd7cd2763be",
    ),
    "communesplone.edesk:default": (
        "1010",
        "c93ab2bb01b47acd51b9021b8016b8cfdbcd56a960d78697799a6a359c8b7c59",
    ),
    "communesplone.meetings:default": (
        "1003",
        "bb7392814c36e8fb85d6968e5cd38214fa8184be357fd3841446606d8147f482",
    ),
    "communesplone.urban:default": (
        "1003",
        "cf5648f73abd3944c1bdbc3dae011397fbefd5a6d8fcd31bea94ae06fa42bac7",
    ),
    "communesplone.website:default": (
        "1006",
        "65824d4fc532f7c11eaa158ba57043d70777c3be01a31779e97e61dffa8ad10d",
    ),
    "communesplone:default": (
        "1000",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ),
}


def profiles(portal):
    """The bundle's profiles that have a version: {id: info}."""
    return {
        info["id"]: info
        for info in portal.portal_setup.listProfileInfo()
        if info["id"].split(":")[0].split(".")[0] == "communesplone" and info.get("version")
    }


def steps(profile_id):
    """(source, destination) of every upgrade step registered for ``profile_id``."""
    found = []
    for step in _upgrade_registry.getUpgradeStepsForProfile(profile_id).values():
        for each in [step] if isinstance(step, UpgradeEntity) else [s for _id, s in step]:
            found.append((_version(each.source), _version(each.dest)))
    return found


def _version(version):
    return ".".join(version) if isinstance(version, tuple) else version


def fingerprint(info):
    """sha256 of a profile's files (but metadata.xml) and of its application's templates."""
    folder = Path(info["path"])
    files = [(f"profile/{p.relative_to(folder)}", p) for p in folder.rglob("*") if p.is_file()]
    files = [(name, path) for name, path in files if path.name != "metadata.xml"]
    templates = Path(importlib.import_module(info["product"]).__file__).parent / "templates"
    if templates.is_dir():
        files += [
            (f"templates/{p.relative_to(templates)}", p)
            for p in templates.rglob("*")
            if p.suffix in (".fodt", ".fods")
        ]
    digest = hashlib.sha256()
    for name, path in sorted(files):
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def test_every_profile_has_a_version_from_1000(portal):
    found = profiles(portal)
    assert set(RECORDED) <= set(found)
    for profile_id, info in found.items():
        assert parse(info["version"]) >= parse(FIRST), profile_id


@pytest.mark.parametrize("profile_id", sorted(RECORDED))
def test_upgrade_steps_lead_from_1000_to_the_profiles_version(portal, profile_id):
    version = profiles(portal)[profile_id]["version"]
    registered = steps(profile_id)
    for source, dest in registered:
        assert parse(source) < parse(dest) <= parse(version), (
            f"{profile_id}: a step from {source} to {dest}, the profile is at {version}"
        )
    # Walk the steps from the first version: every version is reached in turn
    reached = {FIRST}
    while True:
        more = {dest for source, dest in registered if source in reached} - reached
        if not more:
            break
        reached |= more
    assert version in reached, (
        f"{profile_id} is at version {version}, but its upgrade steps only reach "
        f"{sorted(reached, key=parse)}: add the step to {version} (see docs/deploy.rst)"
    )


def test_the_upgrade_steps_reach_sites_through_portal_setup(portal):
    """What Site Setup lists for a site of version 1000."""
    setup = portal.portal_setup
    for profile_id, info in profiles(portal).items():
        version = info["version"]
        if version == FIRST:
            continue
        before = setup.getLastVersionForProfile(profile_id)
        setup.setLastVersionForProfile(profile_id, FIRST)
        try:
            listed = setup.listUpgrades(profile_id)
            infos = [i for entry in listed for i in (entry if isinstance(entry, list) else [entry])]
            assert infos, profile_id
            assert _version(infos[0]["source"]) == FIRST
            assert _version(infos[-1]["dest"]) == version
        finally:
            setup.setLastVersionForProfile(profile_id, before)


@pytest.mark.parametrize("profile_id", sorted(RECORDED))
def test_a_changed_profile_or_template_has_a_new_version(portal, profile_id):
    info = profiles(portal)[profile_id]
    current = (info["version"], fingerprint(info))
    assert current == RECORDED[profile_id], (
        f"The files of {profile_id} or of its shipped templates changed, or its version: "
        "a change reaches existing sites only through an upgrade step. Bump the version "
        "in metadata.xml, add the step (upgrades/configure.zcml), test it on a site of the "
        f"previous version, then record here: {profile_id!r}: {current!r}"
    )
