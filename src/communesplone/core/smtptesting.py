"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1, a free port).

``smtp`` is a pytest fixture (import it into a test module or a conftest):
it starts the server, points the functional site's MailHost at it (Plone's
MailHost sends through the registry's mail settings) and yields the
:class:`Inbox`, whose ``messages`` are ``(recipients, email.message.Message)``.
"""

from aiosmtpd.controller import Controller
from email import message_from_bytes
from email.header import decode_header
from email.header import make_header
from plone import api
from Products.MailHost.MailHost import MailHost

import pytest
import socket
import transaction


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def subject(message):
    return str(make_header(decode_header(message["Subject"])))


def text(message, subtype="plain"):
    """The decoded text of ``message`` (its ``text/<subtype>`` part when multipart)."""
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return None


@pytest.fixture
def smtp(functional_portal):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    # Plone's MailHost (a real one here, not the test double) sends through the
    # server of the registry's mail settings (Products.CMFPlone.patches.sendmail)
    assert isinstance(api.portal.get_tool("MailHost"), MailHost)
    previous = [api.portal.get_registry_record(f"plone.smtp_{key}") for key in ("host", "port")]
    api.portal.set_registry_record("plone.smtp_host", "127.0.0.1")
    api.portal.set_registry_record("plone.smtp_port", controller.port)
    transaction.commit()
    yield inbox
    transaction.abort()
    api.portal.set_registry_record("plone.smtp_host", previous[0])
    api.portal.set_registry_record("plone.smtp_port", previous[1])
    transaction.commit()
    controller.stop()
