"""Annex types and flags: the body's types, the defaults an annex takes from its
type, and what happens when an annex is saved.

A body lists its annex types (``annex_types``: id, name, an icon of Plone's
Bootstrap set, default flags). An annex's ``annex_type`` must be one of them:
the field's vocabulary is the body's types, so that the forms and REST refuse
any other id with the same message. When an annex is added, each flag that
its creator did not set takes its type's default; then its preview is made
(:mod:`communesplone.meetings.previews`) and its permissions set (a
confidential annex is hidden by :func:`communesplone.meetings.visibility.update_annex`).
"""

from communesplone.meetings import previews
from communesplone.meetings import visibility
from communesplone.meetings.bodies import body_of
from communesplone.meetings.constants import ANNEX
from communesplone.meetings.content.meeting_annex import default_annex_types
from communesplone.meetings.content.meeting_annex import DEFAULT_FLAGS
from communesplone.meetings.content.meeting_annex import FLAGS
from communesplone.meetings.content.meeting_annex import GENERIC_TYPE
from communesplone.meetings.content.meeting_annex import IMeetingAnnex
from communesplone.meetings.interfaces import IMeetingsLayer
from plone import api
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.dxcontent import SerializeToJson
from zope.component import adapter
from zope.interface import implementer
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


# The icons an annex type may have: names of Plone's Bootstrap icons
# (registry records plone.icon.<name>, shown through @@iconresolver).
ICONS = (
    "file-earmark",
    "file-earmark-text",
    "file-earmark-pdf",
    "file-earmark-spreadsheet",
    "file-earmark-image",
    "file-earmark-check",
    "map",
    "calculator",
    "cash-coin",
    "pen",
    "pencil-square",
    "lock",
    "shield-lock",
    "envelope",
    "journal-text",
    "clipboard-check",
    "people",
    "building",
    "images",
    "paperclip",
)


def types_of(body):
    """The body's annex types (rows), or the default ones if it has none set."""
    if body is None:
        return []
    return list(getattr(body, "annex_types", None) or ()) or default_annex_types()


def type_of(annex):
    """The row of the annex's type in its body, or None (a type since removed)."""
    for row in types_of(body_of(annex)):
        if row["id"] == annex.annex_type:
            return row
    return None


@provider(IVocabularyFactory)
def annex_types(context):
    """The annex types of the body that ``context`` is in."""
    return SimpleVocabulary(
        [SimpleTerm(row["id"], row["id"], row["title"]) for row in types_of(body_of(context))]
    )


@provider(IVocabularyFactory)
def annex_icons(context):
    return SimpleVocabulary([SimpleTerm(name, name, name) for name in ICONS])


def apply_type_defaults(annex):
    """Each flag not set on ``annex`` (its creator left it out) takes its type's
    default; an annex without a type gets the body's first one."""
    if not getattr(annex, "annex_type", None):
        types = types_of(body_of(annex))
        ids = [row["id"] for row in types]
        annex.annex_type = GENERIC_TYPE if GENERIC_TYPE in ids else (ids[0] if ids else None)
    row = type_of(annex) or {}
    for flag in FLAGS:
        if flag not in annex.__dict__:
            setattr(annex, flag, bool(row.get(flag)) if flag in DEFAULT_FLAGS else False)


def annex_added(annex, event):
    apply_type_defaults(annex)
    previews.update(annex)
    visibility.update_annex(annex, reindex=False)
    annex.reindexObject()


def annex_modified(annex, event):
    previews.update(annex)  # only if its file changed
    visibility.update_annex(annex)


def migrate_1002(context=None):
    """Annexes made before annex types: the generic type (or the decision annex
    type for decision annexes), the type's flags where unset, and a preview.

    Bodies keep the default types stored, so that their names stay as they were.
    """
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="meeting_body"):
        body = brain._unrestrictedGetObject()
        if not body.__dict__.get("annex_types"):
            body.annex_types = default_annex_types()
    for brain in catalog.unrestrictedSearchResults(portal_type=ANNEX):
        annex = brain._unrestrictedGetObject()
        if annex.__dict__.get("annex_type"):
            continue
        ids = {row["id"] for row in types_of(body_of(annex))}
        if annex.__dict__.get("decision_annex") and "decision" in ids:
            annex.annex_type = "decision"
        apply_type_defaults(annex)
        previews.update(annex, force=True)
        visibility.update_annex(annex, reindex=False)
        annex.reindexObject()


@implementer(ISerializeToJson)
@adapter(IMeetingAnnex, IMeetingsLayer)
class AnnexSerializer(SerializeToJson):
    """An annex's JSON, with its preview: its URL, or why it has none."""

    def __call__(self, *args, **kwargs):
        from zope.i18n import translate

        result = super().__call__(*args, **kwargs)
        annex = self.context
        has_preview = previews.printable(annex)
        result["preview"] = {
            "url": f"{annex.absolute_url()}/@@preview" if has_preview else None,
            "error": translate(annex.preview_error, context=self.request)
            if annex.preview_error
            else None,
        }
        return result
