"""Municipal services: read them, and keep their Plone groups in step.

The services are rows of the ``communesplone.services`` registry record, edited
in the CommunesPlone control panel. Each service owns one group per function
(editors, reviewers, observers, advisers), named ``<service id>_<function>``.
The groups are created, renamed and deleted with the service, by the
subscriber :func:`on_settings_modified`, in the same transaction as the edit.
"""

from communesplone import _
from communesplone.core.i18n import translate_for_site
from communesplone.core.validation import Refusal
from plone import api


RECORD = "communesplone.services"

# function -> (label, roles its group gets on content of its service)
FUNCTIONS = {
    "editors": (_("Editors"), ("Contributor", "Editor", "Reader")),
    "reviewers": (_("Reviewers"), ("Reviewer", "Reader")),
    "observers": (_("Observers"), ("Reader",)),
    "advisers": (_("Advisers"), ()),
}


def get_all():
    """Return the services, in their order, as a list of dicts (id, title, email)."""
    rows = api.portal.get_registry_record(RECORD, default=None) or []
    return [dict(row) for row in rows]


def get(service_id):
    """Return the service ``service_id`` as a dict, or None."""
    for row in get_all():
        if row["id"] == service_id:
            return row
    return None


def title(service_id, unknown=None):
    """The title of the service ``service_id``; for an id that is not (or no longer) a
    service: ``unknown``, by default the id itself ("" for no id)."""
    row = get(service_id) if service_id else None
    if row is not None:
        return row["title"]
    return (service_id or "") if unknown is None else unknown


def group_id(service_id, function):
    """Return the id of the group of ``service_id`` for ``function``."""
    if function not in FUNCTIONS:
        raise ValueError(f"Unknown function {function!r}: one of {', '.join(FUNCTIONS)}")
    return f"{service_id}_{function}"


def local_roles(service_id):
    """Return {group id: roles} that content of ``service_id`` grants."""
    return {
        group_id(service_id, function): roles
        for function, (_label, roles) in FUNCTIONS.items()
        if roles
    }


def count_content(service_id):
    """Return how many catalogued objects say they belong to ``service_id``."""
    catalog = api.portal.get_tool("portal_catalog")
    return len(catalog.unrestrictedSearchResults(service=service_id))


def check_removable(service_id):
    """Raise Refusal if content still belongs to ``service_id``."""
    count = count_content(service_id)
    if count:
        service = get(service_id) or {"title": service_id}
        raise Refusal(
            _(
                'The service "${title}" cannot be removed: ${count} objects '
                "still belong to it. Move them to another service first.",
                mapping={"title": service["title"], "count": count},
            )
        )


def _group_title(service_title, function):
    return f"{service_title} – {translate_for_site(FUNCTIONS[function][0])}"


def sync_groups(old_rows, new_rows):
    """Create, rename and delete the services' groups from ``old_rows`` to ``new_rows``."""
    old = {row["id"]: row for row in old_rows or ()}
    new = {row["id"]: row for row in new_rows or ()}
    for service_id in old.keys() - new.keys():
        check_removable(service_id)
    for service_id in old.keys() - new.keys():
        for function in FUNCTIONS:
            if api.group.get(groupname=group_id(service_id, function)) is not None:
                api.group.delete(groupname=group_id(service_id, function))
    for service_id, row in new.items():
        for function in FUNCTIONS:
            name = group_id(service_id, function)
            title = _group_title(row["title"], function)
            group = api.group.get(groupname=name)
            if group is None:
                api.group.create(groupname=name, title=title)
            elif group.getProperty("title") != title:
                group.setGroupProperties({"title": title})


def on_settings_modified(event):
    """Registry subscriber: keep the groups in step with the services record."""
    if event.record.__name__ == RECORD:
        sync_groups(event.oldValue, event.newValue)
