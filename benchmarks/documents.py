"""Benchmark of document generation (issue 3).

Prints, each beside a baseline measured in the same run, with the ratio:

- a 250-row list (``liste.odt``) generated as ODT by CommunesPlone (catalog,
  security-checked helper, restricted evaluator) vs appy rendering the same
  template on plain Python data;
- the same as PDF vs LibreOffice converting the already-rendered ODT alone;
- PDF throughput (documents per second, 8 conversions) with 1, 2 and 4
  LibreOffice ports, vs 1 port.

Goals: the 250-row ODT under 2 s, the PDF under 6 s, on a 2-core machine.
Run: ``.venv/bin/python benchmarks/documents.py [--runs 5]``.
"""

from appy.pod.renderer import Renderer
from benchlib import HEADER
from benchlib import measure
from benchlib import row
from communesplone.core.testing import DOCUMENTS
from communesplone.core.testing import throwaway_site
from communesplone.documents import generation
from communesplone.documents import libreoffice
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from plone import api

import argparse
import os
import shutil
import subprocess
import tempfile
import time


ROWS = 250


class PlainChild:
    def __init__(self, number):
        self.title = f"Élément {number}"
        self.description = ""

    def modified(self):
        return datetime(2026, 11, 23)

    def created(self):
        return datetime(2026, 11, 23)


class PlainHelper:
    """The helper's interface on plain data: no catalog, no security."""

    def __init__(self, children):
        self._children = children
        self.commune = {"name": "Plonéville", "address": "", "signatories": []}

    def value(self, obj, name):
        return "Page" if name == "type_title" else str(getattr(obj, name, "") or "")

    def xhtml(self, obj, name):
        return ""

    def date(self, value, fmt="long"):
        return value.strftime("%d/%m/%Y") if value else ""

    def today(self, fmt="long"):
        return self.date(datetime.now())

    def children(self, obj, portal_type=None):
        return self._children


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    portal, teardown = throwaway_site(DOCUMENTS)
    servers = None
    try:
        folder = api.content.create(container=portal, type="Folder", id="big", title="Dossier")
        for number in range(1, ROWS + 1):
            api.content.create(
                container=folder, type="Document", id=f"element-{number}", title=f"Élément {number}"
            )
        template = portal["templates"]["documents"]["liste-odt"]
        work = tempfile.mkdtemp(prefix="bench-documents-")
        source = os.path.join(work, "liste.odt")
        with open(source, "wb") as stream:
            stream.write(template.odt_file.data)
        plain = {
            "context": PlainChild(0),
            "helper": PlainHelper([PlainChild(n) for n in range(1, ROWS + 1)]),
        }

        def plain_render(result="plain.odt", **options):
            target = os.path.join(work, result)
            Renderer(source, plain, target, overwriteExisting=True, **options).run()

        print(HEADER)
        row(
            f"{ROWS}-row list as ODT (vs appy, plain data)",
            measure(lambda: generation.render(folder, template, "odt"), args.runs),
            measure(plain_render, args.runs),
        )
        if not shutil.which("soffice"):
            print("LibreOffice is not installed: PDF figures skipped")
            return
        ports = libreoffice.free_ports(4)
        servers = libreoffice.start(ports, os.path.join(work, "lo"))
        os.environ["COMMUNESPLONE_LO_PORTS"] = str(ports[0])
        plain_render("rendered.odt")
        rendered = os.path.join(work, "rendered.odt")
        wrapper = libreoffice.uno_python_wrapper(libreoffice.settings().uno_python)
        convert = os.path.join(os.path.dirname(__import__("appy").__file__), "bin", "convert.py")

        copies = []
        for index in range(8):  # one input per parallel conversion: outputs must not collide
            copies.append(os.path.join(work, f"rendered-{index}.odt"))
            shutil.copy(rendered, copies[-1])

        def convert_once(port, index=0):
            subprocess.run(
                [wrapper, convert, copies[index], "pdf"]
                + ["-e", "127.0.0.1", "-p", str(port), "-a", "False"],
                check=True,
                capture_output=True,
            )

        row(
            f"{ROWS}-row list as PDF (vs LibreOffice alone)",
            measure(lambda: generation.render(folder, template, "pdf"), args.runs),
            measure(lambda: convert_once(ports[0]), args.runs),
        )

        def throughput(count_ports, documents=8):
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=count_ports) as pool:
                list(pool.map(lambda i: convert_once(ports[i % count_ports], i), range(documents)))
            return documents / (time.perf_counter() - started)

        one = throughput(1)
        title = "PDF throughput (documents/s, 8 conversions)"
        print(f"\n{title:<44} {'docs/s':>8}   {'vs 1 port':>9}")
        for count in (1, 2, 4):
            value = one if count == 1 else throughput(count)
            print(f"{f'{count} LibreOffice port(s)':<44} {value:8.2f}   {value / one:8.2f}x")
    finally:
        if servers is not None:
            servers.stop()
        teardown()


if __name__ == "__main__":
    main()
