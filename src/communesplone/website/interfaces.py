"""Interfaces of CommunesPlone Website: browser layer and settings."""

from communesplone import _
from communesplone.core.validation import check_email
from communesplone.website.validation import check_colour
from plone.supermodel import model
from zope import schema
from zope.publisher.interfaces.browser import IDefaultBrowserLayer


PREFIX = "communesplone.website"


class IWebsiteLayer(IDefaultBrowserLayer):
    """Browser layer, active where the website profile is installed."""


class IWebsiteSettings(model.Schema):
    """The public website's settings (Site Setup → Website), in the registry."""

    model.fieldset(
        "appearance",
        label=_("Appearance"),
        fields=["primary_colour", "accent_colour", "banner_title", "banner_text"],
    )
    primary_colour = schema.TextLine(
        title=_("Main colour"),
        description=_(
            "Header, navigation and footer, as #rrggbb. White text must be readable on it."
        ),
        default="#1d4f73",
        required=True,
        constraint=check_colour,
    )
    accent_colour = schema.TextLine(
        title=_("Accent colour"),
        description=_("Links and buttons, as #rrggbb. White text must be readable on it."),
        default="#8a3b12",
        required=True,
        constraint=check_colour,
    )
    banner_title = schema.TextLine(
        title=_("Home page banner: title"),
        required=False,
        default="",
    )
    banner_text = schema.Text(
        title=_("Home page banner: text"),
        required=False,
        default="",
    )
    footer_address = schema.Text(
        title=_("Footer: address"),
        description=_("The town hall's address, one line per line."),
        required=False,
        default="",
    )
    footer_hours = schema.Text(
        title=_("Footer: opening hours"),
        description=_("The town hall's opening hours, one line per line."),
        required=False,
        default="",
    )
    footer_phone = schema.TextLine(title=_("Footer: phone"), required=False, default="")
    footer_email = schema.TextLine(
        title=_("Footer: email"), required=False, default="", constraint=check_email
    )
    directory_categories = schema.List(
        title=_("Directory categories"),
        description=_("One per line: the categories of the directory's entries."),
        value_type=schema.TextLine(),
        required=False,
        default=[],
        missing_value=[],
    )
    contract_types = schema.List(
        title=_("Contract types"),
        description=_("One per line: the contract types of the job vacancies."),
        value_type=schema.TextLine(),
        required=False,
        default=[],
        missing_value=[],
    )
