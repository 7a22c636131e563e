"""Test helpers of the documents: LibreOffice servers, templates made to order, and
documents generated as a user, read back as text (ODT, PDF).

Import it into a test module or a ``conftest.py``::

    from communesplone.documents.testing import libreoffice  # noqa: F401

and mark with ``# noqa: F811`` the functions taking ``libreoffice`` as argument
(ruff sees the argument as redefining the import).
"""

from communesplone.core.testing import as_user
from communesplone.documents import generation
from communesplone.documents import libreoffice as lo
from html import unescape
from plone import api
from plone.namedfile.file import NamedBlobFile

import io
import os
import pytest
import re
import shutil
import subprocess
import zipfile


SERVERS = 2


def _missing():
    """What is missing to run LibreOffice, or an empty string."""
    if shutil.which("soffice") is None:
        return "no soffice on PATH"
    uno_python = lo.settings().uno_python
    try:
        has_uno = subprocess.run([uno_python, "-c", "import uno"], capture_output=True).returncode
    except OSError:
        has_uno = 1
    if has_uno != 0:
        return f"{uno_python} cannot import uno"
    return ""


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory):
    """Two LibreOffice servers on free ports for the session; settings() points at them.

    Skip the test where LibreOffice or python3-uno is not installed.
    """
    missing = _missing()
    if missing:
        pytest.skip(
            f"LibreOffice is not installed: {missing}; it needs the Debian packages "
            "libreoffice-writer-nogui, libreoffice-calc-nogui and python3-uno "
            "(make test installs it)"
        )
    workdir = tmp_path_factory.mktemp("libreoffice")
    names = (lo.ENV_HOST, lo.ENV_PORTS)
    saved = {name: os.environ.get(name) for name in names}
    with lo.start(lo.free_ports(SERVERS), workdir) as servers:
        os.environ[lo.ENV_HOST] = servers.host
        os.environ[lo.ENV_PORTS] = ",".join(str(port) for port in servers.ports)
        try:
            yield servers
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def template_with_expression(source, expression, title):
    """A copy of the POD template ``source`` whose first text field holds ``expression``.

    Added beside ``source``, for the Documents type; for tests of what an
    expression may do.
    """
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source.odt_file.data)) as original,
        zipfile.ZipFile(buffer, "w") as copy,
    ):
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "content.xml":
                data = re.sub(
                    rb"(<text:text-input[^>]*>)[^<]*(</text:text-input>)",
                    lambda m: m.group(1) + expression.encode() + m.group(2),
                    data,
                    count=1,
                )
            copy.writestr(item, data)
    return api.content.create(
        container=source.aq_parent,
        type="pod_template",
        title=title,
        odt_file=NamedBlobFile(buffer.getvalue(), filename=f"{source.getId()}-copy.odt"),
        portal_types=["Document"],
        output_formats=["odt"],
    )


def generate(obj, template, fmt="odt", user=None):
    """The document ``template`` makes of ``obj`` in ``fmt``, generated as ``user``
    (None: the current user)."""
    if user is None:
        return generation.render(obj, template, fmt)
    with as_user(user):
        return generation.render(obj, template, fmt)


def odt_text(generated):
    """The text of a generated ODT's content.xml, one line per paragraph or heading.

    Fails if a statement was left in it (appy writes its errors as annotations).
    """
    with zipfile.ZipFile(io.BytesIO(generated.data)) as archive:
        xml = archive.read("content.xml").decode("utf-8")
    assert "office:annotation" not in xml, "a statement was left (or appy wrote an error)"
    assert "text:text-input" not in xml
    xml = re.sub(r"</text:(p|h)>", "\n", xml)
    # <text:s/> is a space (LibreOffice writes one after a field), c="3" three
    xml = re.sub(
        r'<text:s(?: text:c="(\d+)")?(?:/>|></text:s>)',
        lambda m: " " * int(m.group(1) or 1),
        xml,
    )
    # appy leaves spaces between the paragraphs it repeats: not text, in ODF
    lines = unescape(re.sub(r"<[^>]+>", "", xml)).split("\n")
    return "\n".join(line.strip() for line in lines if line.strip())


def pdf_text(generated, tmp_path):
    """The words of a generated PDF (pdftotext), separated by single spaces."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is missing: install poppler-utils (make test does)")
    path = tmp_path / "document.pdf"
    path.write_bytes(generated.data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())
