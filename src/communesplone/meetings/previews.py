"""The preview of an annex: a PDF kept beside its file.

- an office file (ODT, DOCX, XLSX, RTF... every format appy's converter
  takes) is converted to PDF by the LibreOffice servers of the documents
  application (:mod:`communesplone.documents.libreoffice`: the same settings,
  the same UNO Python, appy's own converter);
- a PDF is its own preview (checked readable);
- an image is shown as an image on the item page; its PDF (for the
  councillor's file) is made with Pillow;
- any other file has no preview, and is not printed.

:func:`update` runs when an annex is added or its file changed, in the same
transaction as the file (never on a GET): the preview and the file are
committed together. A file that cannot be converted gets a message
(``preview_error``) and no preview, never a partial one; a later save of a
new file tries again.
"""

from communesplone import _
from communesplone.documents import libreoffice
from plone.namedfile.file import NamedBlobFile

import appy
import hashlib
import io
import logging
import os
import pypdf
import subprocess
import tempfile
import zipfile


logger = logging.getLogger(__name__)

CONVERT_TIMEOUT = 120  # seconds for LibreOffice to convert one file
CONVERTER = os.path.join(os.path.dirname(appy.__file__), "bin", "convert.py")


def _office_formats():
    """The extensions appy's converter turns into PDF (its own table)."""
    from appy.pod.converter import FILE_TYPES

    return frozenset(FILE_TYPES["pdf"]) - {"swf"}


OFFICE = _office_formats()
# Zip packages: what a readable one holds (checked before LibreOffice, which
# would otherwise print random bytes named .docx as text).
PACKAGES = {
    "odt": "mimetype",
    "ods": "mimetype",
    "odp": "mimetype",
    "docx": "[Content_Types].xml",
    "xlsx": "[Content_Types].xml",
}
IMAGES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/tiff", "image/bmp")


class ConversionError(Exception):
    """The file could not be made into a PDF; ``message`` is translatable."""

    def __init__(self, message, retry=False):
        super().__init__(message)
        self.message = message
        self.retry = retry  # worth trying again with the same file (LibreOffice was down)


def kind(file):
    """ "pdf", "image", "office" or None: how a file is previewed."""
    if file is None:
        return None
    name = (file.filename or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    content_type = (file.contentType or "").split(";")[0]
    if extension == "pdf" or content_type == "application/pdf":
        return "pdf"
    if content_type in IMAGES:
        return "image"
    if extension in OFFICE:
        return "office"
    return None


def _extension(file):
    return (file.filename or "").lower().rsplit(".", 1)[-1]


def checksum(file):
    return hashlib.sha256(file.data).hexdigest() if file is not None else None


def read_pdf(data):
    """A :class:`pypdf.PdfReader` of ``data``, with at least one page, or ConversionError."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ConversionError(_("The PDF is protected by a password: it cannot be printed."))
        if not len(reader.pages):
            raise ConversionError(_("The PDF has no page."))
    except ConversionError:
        raise
    except Exception as error:
        logger.info("Unreadable PDF: %s", error)
        raise ConversionError(_("The file is not a readable PDF.")) from error
    return reader


def image_to_pdf(data):
    """A one-page PDF of an image (Pillow's PDF writer)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "PDF", resolution=150)
    except Exception as error:
        logger.info("Unreadable image: %s", error)
        raise ConversionError(_("The image cannot be read.")) from error
    return buffer.getvalue()


def _check_package(data, extension):
    member = PACKAGES.get(extension)
    if member is None:
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            package.getinfo(member)
    except (zipfile.BadZipFile, KeyError) as error:
        raise ConversionError(
            _(
                "The file is not a readable ${format} document.",
                mapping={"format": extension.upper()},
            )
        ) from error


def convert(data, extension, timeout=CONVERT_TIMEOUT):
    """``data`` (a file of ``extension``) as PDF bytes, through LibreOffice.

    Raise :class:`ConversionError` when LibreOffice is unavailable, fails, or
    writes no readable PDF.
    """
    _check_package(data, extension)
    try:
        options = libreoffice.renderer_options()
    except libreoffice.LibreOfficeUnavailable as error:
        raise ConversionError(
            _("No preview: LibreOffice is not available. Save the annex again later."),
            retry=True,
        ) from error
    ports = options["ooPort"] if isinstance(options["ooPort"], list) else [options["ooPort"]]
    port = ports[os.getpid() % len(ports)] if len(ports) > 1 else ports[0]
    with tempfile.TemporaryDirectory(prefix="communesplone-preview-") as folder:
        source = os.path.join(folder, f"annex.{extension}")
        result = os.path.join(folder, "preview.pdf")
        with open(source, "wb") as stream:
            stream.write(data)
        command = [
            options["pythonWithUnoPath"],
            CONVERTER,
            source,
            result,
            "-e",
            options["ooServer"],
            "-p",
            str(port),
            "-a",
            str(options.get("stream", "auto")),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout)
        except subprocess.TimeoutExpired as error:
            raise ConversionError(
                _("LibreOffice took too long to convert the file: no preview.")
            ) from error
        if done.returncode != 0 or not os.path.exists(result):
            logger.info(
                "LibreOffice could not convert a .%s: %s",
                extension,
                done.stderr.decode(errors="replace")[-500:],
            )
            raise ConversionError(
                _("LibreOffice could not convert this file: it may be damaged. No preview.")
            )
        with open(result, "rb") as stream:
            pdf = stream.read()
    read_pdf(pdf)
    return pdf


def printable(annex):
    """Has ``annex`` a PDF (its file or its preview), without reading it?"""
    if kind(annex.file) == "pdf":
        return annex.preview_error is None
    return annex.preview is not None


def pdf_of(annex):
    """The PDF bytes of ``annex`` (its file, or its preview), or None if it has none."""
    file = annex.file
    if kind(file) == "pdf":
        return file.data if annex.preview_error is None else None
    preview = annex.preview
    return preview.data if preview is not None else None


def update(annex, force=False):
    """Make the preview of ``annex`` if its file changed (or ``force``)."""
    file = annex.file
    source = checksum(file)
    if not force and source == annex.preview_source:
        return
    preview = error = None
    retry = False
    try:
        how = kind(file)
        if how == "pdf":
            read_pdf(file.data)
        elif how == "image":
            preview = image_to_pdf(file.data)
        elif how == "office":
            preview = convert(file.data, _extension(file))
    except ConversionError as failure:
        error, retry = failure.message, failure.retry
    base = (file.filename or "annex").rsplit(".", 1)[0] if file is not None else "annex"
    annex.preview = (
        NamedBlobFile(preview, contentType="application/pdf", filename=f"{base}.pdf")
        if preview is not None
        else None
    )
    annex.preview_error = error
    annex.preview_source = None if retry else source
