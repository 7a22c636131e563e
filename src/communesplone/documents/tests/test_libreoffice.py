"""LibreOffice servers and appy's conversions through them; no Plone layer needed.

The input is one of appy's own test templates, ``SimpleTest.odt``, with its context.
"""

from appy.pod.lo_pool import LO
from appy.pod.renderer import Renderer
from communesplone.documents import libreoffice as lo
from communesplone.documents.testing import libreoffice  # noqa: F401
from pathlib import Path
from plone.registry import field
from plone.registry import Record
from plone.registry import Registry
from plone.registry.interfaces import IRegistry
from zope.component import getGlobalSiteManager
from zope.component.hooks import setSite

import appy
import os
import pytest
import shutil
import subprocess
import threading


TEMPLATE = Path(appy.__file__).parent / "pod" / "test" / "templates" / "SimpleTest.odt"
CONTEXT = {"IWillTellYouWhatInAMoment": "return", "beingPaidForIt": True}
EXPECTED = "A pure creative act does not expect any return."


@pytest.fixture
def servers(libreoffice):  # noqa: F811 (the fixture imported above)
    """The session's LibreOffice servers; settings() points at them."""
    return libreoffice


@pytest.fixture
def no_env(monkeypatch):
    """No COMMUNESPLONE_* variable (the ``libreoffice`` fixture sets some)."""
    for name in (lo.ENV_HOST, lo.ENV_PORTS, lo.ENV_UNO_PYTHON):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def render(result, **options):
    """Render the template to ``result``, converting through LibreOffice."""
    Renderer(str(TEMPLATE), CONTEXT, str(result), **options).run()
    return result


def pdf_text(path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (poppler-utils; make test installs it)")
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_settings_defaults(no_env):
    assert lo.settings() == lo.Settings("127.0.0.1", (2002,), "/usr/bin/python3")


def test_settings_from_environment(no_env):
    no_env.setenv(lo.ENV_HOST, "lo.example.org")
    no_env.setenv(lo.ENV_PORTS, "2002, 2003")
    no_env.setenv(lo.ENV_UNO_PYTHON, "/opt/libreoffice/program/python")
    assert lo.settings() == lo.Settings(
        "lo.example.org", (2002, 2003), "/opt/libreoffice/program/python"
    )


def test_settings_from_registry(no_env):
    """With a site and a registry, its records win over the defaults, not over the environment."""
    registry = Registry()
    records = registry.records
    records["communesplone.documents.lo_host"] = Record(field.TextLine(), "lo.internal")
    records["communesplone.documents.lo_ports"] = Record(
        field.List(value_type=field.Int()), [2010, 2011]
    )
    site_manager = getGlobalSiteManager()

    class Site:
        def getSiteManager(self):
            return site_manager

    site_manager.registerUtility(registry, IRegistry)
    setSite(Site())
    try:
        assert lo.settings() == lo.Settings("lo.internal", (2010, 2011), "/usr/bin/python3")
        no_env.setenv(lo.ENV_PORTS, "3000")
        assert lo.settings().ports == (3000,)
    finally:
        setSite(None)
        site_manager.unregisterUtility(registry, IRegistry)


def test_unavailable_without_server(no_env):
    no_env.setenv(lo.ENV_PORTS, str(lo.free_ports(1)[0]))
    assert not lo.available()
    with pytest.raises(lo.LibreOfficeUnavailable) as raised:
        lo.renderer_options()
    assert raised.value.message == lo.MESSAGE_MISSING
    assert raised.value.message.domain == "communesplone"
    assert "python3-uno" in str(raised.value)


def test_unavailable_without_uno_python(servers):
    settings = lo.Settings(servers.host, servers.ports, "/nonexistent/python3")
    assert not lo.available(settings)


def test_start_without_soffice(no_env, tmp_path):
    no_env.setenv("PATH", str(tmp_path))
    with pytest.raises(lo.LibreOfficeUnavailable):
        lo.start(lo.free_ports(1), tmp_path)


def test_start_reports_a_crashing_soffice(no_env, tmp_path):
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho broken\nexit 3\n")
    fake.chmod(0o755)
    no_env.setenv("PATH", str(fake.parent))
    port = lo.free_ports(1)[0]
    with pytest.raises(RuntimeError, match="exited with code 3"):
        lo.start([port], tmp_path / "work")
    assert (tmp_path / "work" / f"{port}.log").read_text() == "broken\nbroken\n"  # retried once


def test_uno_python_wrapper(servers):
    uno_python = lo.settings().uno_python
    wrapper = lo.uno_python_wrapper(uno_python)
    assert lo.uno_python_wrapper(uno_python) == wrapper
    assert os.access(wrapper, os.X_OK)
    # What appy/bin/convert.py needs: uno, and appy with its dependencies.
    subprocess.run([wrapper, "-c", "import uno, appy.utils, persistent"], check=True)


def test_renderer_options(servers):
    options = lo.renderer_options()
    assert options == {
        "pythonWithUnoPath": lo.uno_python_wrapper(lo.settings().uno_python),
        "ooServer": "127.0.0.1",
        "ooPort": list(servers.ports),
        "stream": False,
    }
    one = lo.Settings("127.0.0.1", servers.ports[:1], lo.settings().uno_python)
    assert lo.renderer_options(one)["ooPort"] == servers.ports[0]


def test_odt_to_pdf(servers, tmp_path):
    result = render(tmp_path / "result.pdf", **lo.renderer_options())
    assert result.read_bytes().startswith(b"%PDF")
    assert EXPECTED in pdf_text(result)


def test_odt_to_docx(servers, tmp_path):
    result = render(tmp_path / "result.docx", **lo.renderer_options())
    assert result.read_bytes().startswith(b"PK")


def test_two_conversions_in_parallel(servers, tmp_path, monkeypatch):
    """Two threads converting at once: appy's pool gives each its own server.

    The second thread starts once the first one is converting (appy has marked
    its server busy), and both convert together (a barrier inside the conversion).
    """
    convert = LO.__call__
    used = []
    converting = threading.Event()
    together = threading.Barrier(2, timeout=30)
    errors = []

    def spy(self, *args):
        used.append(self.port)
        converting.set()
        together.wait()
        return convert(self, *args)

    def work(name):
        try:
            render(tmp_path / name, **lo.renderer_options())
        except Exception as error:  # reported below
            errors.append(error)

    monkeypatch.setattr(LO, "__call__", spy)
    first = threading.Thread(target=work, args=("first.pdf",))
    second = threading.Thread(target=work, args=("second.pdf",))
    first.start()
    assert converting.wait(30)
    second.start()
    first.join()
    second.join()
    assert errors == []
    assert sorted(used) == sorted(servers.ports)
    for name in ("first.pdf", "second.pdf"):
        assert EXPECTED in pdf_text(tmp_path / name)


def test_start_and_stop(servers, tmp_path):
    port = lo.free_ports(1)[0]
    with lo.start([port], tmp_path) as started:
        assert started.ports == (port,)
        assert started.host == "127.0.0.1"
        assert lo.available(lo.Settings("127.0.0.1", (port,), lo.settings().uno_python))
        groups = [process.pid for process in started.processes]
    started.stop()  # again: nothing happens
    assert not lo.available(lo.Settings("127.0.0.1", (port,), lo.settings().uno_python))
    for group in groups:  # soffice.bin included
        with pytest.raises(ProcessLookupError):
            os.killpg(group, 0)
