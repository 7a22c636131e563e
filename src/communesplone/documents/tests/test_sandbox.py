"""Templates may not read files of the server nor fetch URLs (issue 8, point 1).

Each refused form is tried by a small template built here, with a marker file
on disk and a loopback HTTP server that records every request: generation
stops with a message naming the template and the expression, the server is
never asked, and no generated file holds the marker. The allowed forms (an
image field of content the user may view, rich text images of the site, a
template included by UID) work, as the user: what they may not view is
refused or left out.
"""

from communesplone.documents import generation
from communesplone.documents import sandbox
from communesplone.documents.testing import libreoffice  # noqa: F401
from communesplone.documents.tests.podfiles import add_template
from communesplone.documents.tests.podfiles import expression
from communesplone.documents.tests.podfiles import members
from communesplone.documents.tests.podfiles import odt
from communesplone.documents.tests.podfiles import read
from communesplone.documents.tests.podfiles import statement
from communesplone.documents.tests.podfiles import text
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from plone import api
from plone.app.testing import login
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from plone.app.testing import TEST_USER_NAME
from plone.app.textfield.value import RichTextValue
from plone.formwidget.namedfile.converter import b64encode_file
from plone.namedfile.file import NamedBlobFile
from plone.namedfile.file import NamedBlobImage
from types import SimpleNamespace
from zope.i18n import translate

import io
import PIL.Image
import pytest
import threading


MARKER = b"SERVER-SECRET-7f3a9c"
TITLE = "Modèle piégé"


def png(color="red", size=(8, 8), trailer=b""):
    buffer = io.BytesIO()
    PIL.Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue() + trailer


@pytest.fixture
def server():
    """A loopback HTTP server answering a PNG holding the marker; it notes each request."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            body = png(trailer=MARKER)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{httpd.server_address[1]}", requests=seen)
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def files(tmp_path):
    """Files of "the server" that a template must never reach."""
    image = tmp_path / "secret.png"
    image.write_bytes(png(trailer=MARKER))
    document = tmp_path / "secret.odt"
    document.write_bytes(odt(text(MARKER.decode())))
    return SimpleNamespace(image=str(image), document=str(document))


@pytest.fixture
def site(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    portal.portal_workflow.setChainForPortalTypes(
        ["Document", "Image", "File"], "simple_publication_workflow"
    )
    api.user.create(username="reader", email="reader@example.org", password="secret-password")
    page = api.content.create(container=portal, type="Document", id="page", title="La page")
    public = api.content.create(
        container=portal,
        type="Image",
        id="public-image",
        title="Public",
        image=NamedBlobImage(png("green"), filename="public.png"),
    )
    private = api.content.create(
        container=portal,
        type="Image",
        id="private-image",
        title="Private",
        image=NamedBlobImage(png("blue", trailer=MARKER), filename="private.png"),
    )
    for obj in (page, public):
        api.content.transition(obj=obj, transition="publish")
    return SimpleNamespace(portal=portal, page=page, public=public, private=private)


def render(site, *parts, obj=None, output_format="odt", portal_types=("Document",), **kw):
    template = add_template(
        site.portal, odt(*parts), TITLE, portal_types=portal_types, formats=(output_format,), **kw
    )
    return generation.render(obj or site.page, template, output_format)


def refusal(site, *parts, **kw):
    with pytest.raises(generation.TemplateError) as caught:
        render(site, *parts, **kw)
    error = caught.value
    assert error.status == 500
    message = translate(error.message)
    assert f'"{TITLE}"' in message
    return message


def pictures(data):
    """The images of the package ``data``, each checked to be shown in the text."""
    found = {name: value for name, value in members(data).items() if name.startswith("Pictures/")}
    content = read(data)
    for name in found:
        assert f'xlink:href="{name}"' in content, name
    return found


def assert_nothing_from_the_server(data, server):
    for name, value in members(data).items():
        assert MARKER not in value, name
    assert server.requests == []


# Refused ----------------------------------------------------------------------

REFUSED = {
    "image at a path": (lambda f, s: [expression(f":image(at='{f.image}')")], "image(at=…)"),
    "image at a URL": (lambda f, s: [expression(f":image(at='{s.url}/logo.png')")], "image(at=…)"),
    "image at a file URL": (
        lambda f, s: [expression(f":image(at='file://{f.image}', format='png')")],
        "image(at=…)",
    ),
    "image of a path": (lambda f, s: [expression(f":image('{f.image}')")], "is a path or a URL"),
    "image of a URL": (lambda f, s: [expression(f":image('{s.url}/a.png')")], "is a path or a URL"),
    "image at a path, with a fallback": (
        lambda f, s: [expression(f":image(at='{f.image}') | 'rien'")],
        "image(at=…)",
    ),
    "document at a path": (
        lambda f, s: [statement("do text", f"from document(at='{f.document}')")],
        "document(at=…)",
    ),
    "document of a URL": (
        lambda f, s: [statement("do text", f"from document('{s.url}/a.png')")],
        "is a path or a URL",
    ),
    "pod at a path": (
        lambda f, s: [statement("do text", f"from pod(at='{f.document}')")],
        "pod(at=…)",
    ),
    "pod of a path": (
        lambda f, s: [statement("do text", f"from pod('{f.document}')")],
        "is a path or a URL",
    ),
    "convertOptions": (
        lambda f, s: [expression(":image(context, 'image', convertOptions='-rotate 90')")],
        "convertOptions",
    ),
    "xhtml inject": (
        lambda f, s: [expression(f"xhtml('<p><a href=\"{s.url}/x.py\">x</a></p>', inject=True)")],
        "inject",
    ),
    "the loop's buffer": (
        lambda f, s: [statement("do text for x in [1, 2]", field="loop.x.buffer")],
        '"buffer"',
    ),
    "the renderer through the loop": (
        lambda f, s: [statement("do text for x in [1]", field="dict(loop.x)['buffer'].env")],
        '"env"',
    ),
    "the loop's buffer through getattr": (
        lambda f, s: [statement("do text for x in [1]", field="getattr(loop.x, 'buffer')")],
        '"buffer"',
    ),
    "the loop's methods": (
        lambda f, s: [statement("do text for x in [1]", field="loop.x.items()")],
        '"items"',
    ),
    "changing a loop": (
        lambda f, s: [statement("do text for x in [1]", field="setattr(loop.x, 'nb', 5)")],
        "change",
    ),
    "a section linked to a file": (
        lambda f, s: [
            '<text:section text:name="Lien"><text:section-source '
            f'xlink:href="file://{f.document}" text:filter-name="writer8"/></text:section>'
        ],
        "links to",
    ),
    "an image linked to a URL": (
        lambda f, s: [
            '<text:p><draw:frame draw:name="Logo"><draw:image '
            f'xlink:href="{s.url}/logo.png" xlink:type="simple"/></draw:frame></text:p>'
        ],
        "links to",
    ),
    "a linked section written by an expression": (
        lambda f, s: [
            expression(
                ':\'<text:section text:name="S"><text:section-source '
                f'xlink:href="{f.document}"/></text:section>\''
            )
        ],
        "links to",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_forms(site, files, server, case):
    build, reason = REFUSED[case]
    parts = build(files, server)
    message = refusal(site, *parts)
    assert reason in message, message
    assert "may not" in message or "no option" in message, message
    assert server.requests == []


@pytest.mark.parametrize(
    "case", ["image at a path", "document at a path", "the loop's buffer", "image of a path"]
)
def test_the_message_names_the_expression(site, files, server, case):
    build, _reason = REFUSED[case]
    parts = build(files, server)
    message = refusal(site, *parts)
    shown = {
        "image at a path": f"image(at='{files.image}')",
        "document at a path": f"document(at='{files.document}')",
        "the loop's buffer": "loop.x.buffer",
        "image of a path": f"image('{files.image}')",
    }[case]
    assert f'at "{shown}"' in message, message


def test_refusal_is_translatable(site, files):
    """Both the message and its reason are messages of the catalogue, fully mapped."""
    with pytest.raises(generation.TemplateError) as caught:
        render(site, expression(f":image(at='{files.image}')"))
    message = caught.value.message
    reason = message.mapping["reason"]
    assert (message.domain, reason.domain) == ("communesplone", "communesplone")
    assert reason.mapping == {"function": "image"}
    for language in ("fr", "nl", "en"):
        text = translate(message, target_language=language)
        assert "${" not in text, text
        assert TITLE in text and f"image(at='{files.image}')" in text


def test_unknown_option_and_wrong_source(site):
    assert 'no option "style"' in refusal(site, expression(":image(context, style=1)"))
    assert "none of these" in refusal(site, expression(":image(42)"))
    assert "none of these" in refusal(site, expression(":image('not-a-uid')"))


# Allowed ----------------------------------------------------------------------


def test_loop_attributes_stay_available(site):
    field = (
        "'%s:%s:%s:%s:%s:%s' % (x, loop.x.nb, loop.x.first, loop.x.last, loop.x.length, loop.x.odd)"
    )
    content = read(
        render(site, statement("do text for x in ['a', 'b']", body="", field=field)).data
    )
    assert "a:0:True:False:2:False" in content
    assert "b:1:False:True:2:True" in content


def test_image_of_content_the_user_may_view(site, server):
    uid = site.public.UID()
    login(site.portal, "reader")
    generated = render(site, expression(f":image('{uid}')"))
    assert list(pictures(generated.data).values()) == [site.public.image.data]
    assert_nothing_from_the_server(generated.data, server)


def test_document_of_content_the_user_may_view(site):
    uid = site.public.UID()
    login(site.portal, "reader")
    generated = render(site, statement("do text", f"from document('{uid}')"))
    assert list(pictures(generated.data).values()) == [site.public.image.data]


def test_image_field_of_the_object_itself(site):
    """On an Image: the object (its primary field), the object and field name, the value."""
    login(site.portal, "reader")
    for expr in (
        ":image(context)",
        ":image(context, 'image')",
        ":image(helper.raw(context, 'image'))",
    ):
        generated = render(site, expression(expr), obj=site.public, portal_types=("Image",))
        assert list(pictures(generated.data).values()) == [site.public.image.data], expr


def test_image_of_content_the_user_may_not_view_is_refused(site):
    uid = site.private.UID()
    as_manager = render(site, expression(f":image('{uid}')"))  # the template itself works
    assert list(pictures(as_manager.data).values()) == [site.private.image.data]
    login(site.portal, "reader")
    message = refusal(site, expression(f":image('{uid}')"))
    assert f'No content that you may view has the UID "{uid}"' in message


def test_field_that_holds_no_image(site):
    message = refusal(site, expression(":image(context, 'text')"))
    assert 'The field "text" holds no image or file' in message
    folder = api.content.create(container=site.portal, type="Folder", id="dossier")
    message = refusal(site, expression(":image(context)"), obj=folder, portal_types=("Folder",))
    assert "needs the name of the image or file field" in message


def test_a_file_that_is_not_an_image_is_refused(site):
    """An SVG (which may link to other files) or any file under a .png name."""
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>'
    fake = api.content.create(
        container=site.portal,
        type="Image",
        id="fake",
        image=NamedBlobImage(svg, filename="fake.png", contentType="image/png"),
    )
    message = refusal(site, expression(f":image('{fake.UID()}')"))
    assert '"fake.png" is not one' in message


def test_commune_logo(site):
    logo = png("yellow")
    api.portal.set_registry_record("communesplone.logo", b64encode_file("logo.png", logo))
    generated = render(site, expression(":image(helper.commune['logo'])"))
    assert list(pictures(generated.data).values()) == [logo]


def test_rich_text_images_read_as_the_user(site, files, server):
    """Images of the site the user may view come in; nothing else is read nor fetched."""
    portal_url = site.portal.absolute_url()
    stored_scale = site.public.restrictedTraverse("@@images").scale("image", scale="thumb").url
    assert "-" in stored_scale.rsplit("/", 1)[1]  # @@images/<scale uid>.png
    site.page.text = RichTextValue(
        "<p>Images</p>"
        f'<p><img src="{portal_url}/public-image/@@images/image/thumb"/></p>'
        f'<p><img src="resolveuid/{site.public.UID()}/@@images/image/preview"/></p>'
        f'<p><img src="{stored_scale}"/></p>'
        f'<p><img src="{portal_url}/private-image/@@images/image"/></p>'
        f'<p><img src="resolveuid/{site.private.UID()}"/></p>'
        f'<p><img src="{files.image}"/></p>'
        f'<p><img src="file://{files.image}"/></p>'
        f'<p><img src="{server.url}/logo.png"/></p>',
        "text/html",
        "text/html",
    )
    login(site.portal, "reader")
    generated = render(
        site, statement("do text", "from xhtml(helper.xhtml(context, 'text'), html=True)")
    )
    images = list(pictures(generated.data).values())
    with open(sandbox.ImageImporter.imageNotFound, "rb") as stream:
        not_found = stream.read()
    assert len(images) == 8
    assert images.count(not_found) == 5
    assert all(image.startswith(b"\x89PNG") for image in images if image != not_found)
    assert_nothing_from_the_server(generated.data, server)


def test_hyperlinks_stay(site):
    generated = render(
        site, '<text:p><text:a xlink:href="https://example.org/">lien</text:a></text:p>'
    )
    assert 'xlink:href="https://example.org/"' in read(generated.data)


def test_meta_link_to_a_template_file_is_dropped(site):
    meta = '<meta:template xlink:href="../../modeles/lettre.ott" xlink:title="Lettre"/>'
    template = add_template(site.portal, odt(text("Bonjour"), meta=meta), TITLE)
    generated = generation.render(site.page, template, "odt")
    assert "meta:template" not in read(generated.data, "meta.xml")


def test_style_file_with_a_link_is_refused(site, files):
    template = add_template(
        site.portal,
        odt(text("Bonjour")),
        TITLE,
        style_file=NamedBlobFile(
            odt(
                '<text:section text:name="L"><text:section-source '
                f'xlink:href="file://{files.document}"/></text:section>'
            ),
            filename="styles.odt",
        ),
    )
    with pytest.raises(generation.TemplateError) as caught:
        generation.render(site.page, template, "odt")
    assert "links to" in translate(caught.value.message)


def test_document_of_an_odt_linking_to_a_file_is_refused(site, files):
    linking = api.content.create(
        container=site.portal,
        type="File",
        id="linking",
        file=NamedBlobFile(
            odt(
                '<text:section text:name="L"><text:section-source '
                f'xlink:href="file://{files.document}"/></text:section>'
            ),
            filename="lettre.odt",
        ),
    )
    message = refusal(site, statement("do text", f"from document('{linking.UID()}')"))
    assert "links to" in message


def test_pod_refuses_itself_and_templates_not_offered_here(site):
    template = add_template(site.portal, odt(text("vide")), "Sous-modèle désactivé", enabled=False)
    message = refusal(site, statement("do text", f"from pod('{template.UID()}')"))
    assert "may be included here" in message
    for names in ("{'_eval_': 1}", "[1]"):
        expr = f"from pod('{template.UID()}', context={names})"
        assert "takes a dict of names" in refusal(site, statement("do text", expr))
    looping = add_template(site.portal, odt(text("x")), TITLE)
    looping.odt_file = NamedBlobFile(
        odt(statement("do text", f"from pod('{looping.UID()}')")), filename="t.odt"
    )
    with pytest.raises(generation.TemplateError) as caught:
        generation.render(site.page, looping, "odt")
    assert "may not include itself" in translate(caught.value.message)


def test_pod_refuses_a_template_of_another_place(site):
    """A body's own templates apply within the body only: not to a page of the site."""
    from plone.dexterity.utils import addContentToContainer
    from plone.dexterity.utils import createContent

    body = api.content.create(container=site.portal, type="Folder", id="college")
    folder = addContentToContainer(
        body, createContent("pod_template_folder", id="templates"), checkConstraints=False
    )
    elsewhere = api.content.create(
        container=folder,
        type="pod_template",
        title="En-tête du collège",
        odt_file=NamedBlobFile(odt(text("Collège")), filename="t.odt"),
        portal_types=["Document"],
        output_formats=["odt"],
    )
    assert generation.includable_template(site.page, elsewhere.UID()) is None
    inside = api.content.create(container=body, type="Document", id="note")
    assert generation.includable_template(inside, elsewhere.UID()) == elsewhere
    message = refusal(site, statement("do text", f"from pod('{elsewhere.UID()}')"))
    assert f'No text template with UID "{elsewhere.UID()}" may be included here' in message


# The names a template gets ------------------------------------------------------


def test_context_holds_only_the_listed_appy_names(tmp_path):
    source = tmp_path / "t.odt"
    source.write_bytes(odt(text("x")))
    renderer = sandbox.Renderer(str(source), {"context": 1}, str(tmp_path / "r.odt"), ooPort=None)
    names = renderer.contentParser.env.context
    guards = set(sandbox.guards())  # Zope's Python Script globals (and "sequence")
    public = {name for name in names if not name.startswith("_")} - {"context"} - guards
    assert public == set(sandbox.APPY_NAMES)
    assert names["image"] == renderer.guarded_image
    assert names["document"] == renderer.guarded_document
    assert names["pod"] == renderer.guarded_pod
    assert names["xhtml"] == renderer.guarded_xhtml
    assert names["_getattr_"] is sandbox.guarded_getattr


# With LibreOffice -------------------------------------------------------------


def test_pdf_of_a_template_linking_to_a_file_is_refused_before_libreoffice(
    site,
    files,
    server,
    libreoffice,  # noqa: F811
):
    parts = [
        '<text:section text:name="Lien"><text:section-source '
        f'xlink:href="file://{files.document}" text:filter-name="writer8"/></text:section>',
        '<text:p><draw:frame draw:name="Logo"><draw:image '
        f'xlink:href="{server.url}/logo.png"/></draw:frame></text:p>',
    ]
    message = refusal(site, *parts, output_format="pdf")
    assert "links to" in message
    assert server.requests == []


def test_pod_includes_a_template_by_uid(site, libreoffice):  # noqa: F811
    part = add_template(
        site.portal,
        odt(text("Texte du sous-modèle"), expression("context.Title()")),
        "En-tête",
        portal_types=("Folder",),  # included anywhere its place applies, whatever its types
    )
    generated = render(site, text("Début"), statement("do text", f"from pod('{part.UID()}')"))
    content = read(generated.data)
    assert "Texte du sous-modèle" in content
    assert "La page" in content


def test_document_includes_an_odt_file(site, libreoffice):  # noqa: F811
    letter = api.content.create(
        container=site.portal,
        type="File",
        id="lettre",
        file=NamedBlobFile(odt(text("Corps de la lettre")), filename="lettre.odt"),
    )
    generated = render(site, statement("do text", f"from document('{letter.UID()}')"))
    assert "Corps de la lettre" in read(generated.data)


def test_refusal_over_http_for_a_template_manager(site, files):
    """The refusal takes the TemplateError path: details for template managers only."""
    from communesplone.documents.browser.generate import error_message

    template = add_template(site.portal, odt(expression(f":image(at='{files.image}')")), TITLE)
    with pytest.raises(generation.TemplateError) as caught:
        generation.render(site.page, template, "odt")
    error = caught.value
    error.template = template
    request = site.portal.REQUEST
    assert "image(at=…)" in error_message(error, request)
    login(site.portal, "reader")
    assert "image(at=" not in error_message(error, request)
    login(site.portal, TEST_USER_NAME)
