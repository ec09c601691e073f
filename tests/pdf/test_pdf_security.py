"""Untrusted text stays text; themes and text reach no network and no stray file.

A local HTTP server records every request it gets: rendering hostile résumés and a
hostile theme must leave its log empty, embed no attachment and read nothing outside
the résumé's and the theme's folders.
"""

from __future__ import annotations

import http.server
import io
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from jinja2.sandbox import SandboxedEnvironment
from pdf_helpers import normalise, pdf_uris, render

from resumec.backends.htmlkit import (
    DATA_URI_CAP,
    MEMORY_SCHEME,
    Resource,
    ResourceDenied,
    ResourcePolicy,
    environment,
    template_dirs,
)
from resumec.errors import ResumecError
from resumec.themes import load_theme

pytestmark = pytest.mark.slow


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[int, list[str]]]:
    hits: list[str] = []
    handler = type("Handler", (_Recorder,), {"hits": hits})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], hits
    httpd.shutdown()
    httpd.server_close()


def _pdf_info(data: bytes) -> tuple[pypdf.PdfReader, int]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    images = sum(len(page.images) for page in reader.pages)
    return reader, images


def _assert_no_attachments(reader: pypdf.PdfReader) -> None:
    root = reader.trailer["/Root"]
    assert "/EmbeddedFiles" not in root.get("/Names", {})
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            assert ref.get_object().get("/Subtype") != "/FileAttachment"


def test_server_records_requests(server: tuple[int, list[str]]) -> None:
    """The recorder works, so an empty log below means something."""
    import urllib.request

    port, hits = server
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/probe", timeout=5) as response:
        assert response.status == 200
    assert "/probe" in hits
    hits.clear()


def test_hostile_text_stays_literal(tmp_path: Path, server: tuple[int, list[str]]) -> None:
    port, hits = server
    url = f"http://127.0.0.1:{port}"
    (tmp_path / "resume.yaml").write_text(f"""\
name: "{{{{ 7*7 }}}} <script>alert(1)</script>"
headline: "{{% raw %}}x{{% endraw %}} ${{{{7*7}}}}"
contact:
  email: hostile@example.com
summary: |
  <img src="{url}/img.png"> <link rel="attachment" href="file:///etc/passwd">
  <style>@import url({url}/style.css);</style> body {{ background: url({url}/bg.png) }}
experience:
  - employer: "<b>Acme</b>"
    title: "x</h3><iframe src={url}/frame></iframe>"
    start: 2020
    highlights:
      - "[a link]({url}/link) is only a link, and `<object data={url}/o>` is code"
""", encoding="utf-8")
    for theme in ("classic", "sidebar"):
        r = render(tmp_path / "resume.yaml", theme)
        assert "{{ 7*7 }} &lt;script&gt;alert(1)&lt;/script&gt;" in r.html
        assert "<script" not in r.html and "<iframe" not in r.html and "<img" not in r.html
        assert ">49<" not in r.html
        text = normalise(r.pypdf_text())
        for literal in ("{{ 7*7 }} <script>alert(1)</script>", "{% raw %}x{% endraw %} ${{7*7}}",
                        f'<img src="{url}/img.png">', "x</h3><iframe"):
            assert normalise(literal) in text
        reader, images = _pdf_info(r.pdf)
        assert images == 0
        _assert_no_attachments(reader)
        # The Markdown link is a link, never fetched.
        assert any(u.endswith("/link") for u in pdf_uris(reader))
    assert hits == []


def _hostile_theme(root: Path, port: int, outside: Path) -> Path:
    theme = root / "evil"
    (theme / "templates").mkdir(parents=True)
    url = f"http://127.0.0.1:{port}"
    (theme / "theme.yaml").write_text(
        "name: evil\ndescription: Reaches for everything.\nextends: classic\n",
        encoding="utf-8")
    (theme / "theme.css").write_text(f"""\
@import url({url}/import.css);
@import url(leak.css);
@font-face {{ font-family: Evil; src: url({url}/font.woff2); }}
body {{ background: url({url}/bg.png); }}
.name::before {{ content: url({url}/before.png); }}
.headline {{ background-image: url(file:///etc/hostname); }}
""", encoding="utf-8")
    (theme / "leak.css").symlink_to(outside / "secret.css")
    (theme / "leak.png").symlink_to(outside / "secret.png")
    (theme / "templates" / "resume.html.j2").write_text(f"""\
{{% extends "classic/resume.html.j2" %}}
{{% block head %}}
<link rel="attachment" href="file:///etc/passwd" title="passwd">
<link rel="attachment" href="secret.txt">
<link rel="stylesheet" href="{url}/link.css">
<link rel="stylesheet" href="file:///etc/passwd">
<base href="{url}/">
{{% endblock %}}
{{% block identity %}}{{{{ super() }}}}
<img src="file:///etc/hostname"><img src="{url}/img.png"><img src="leak.png">
<img src="../outside.png"><img src="{(theme / "leak.png").as_uri()}">
<img src="{(root / "outside.png").as_uri()}"><object data="{url}/object"></object>
<embed src="{url}/embed"><iframe src="{url}/iframe"></iframe>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="{url}/svg.png"
width="10" height="10"/></svg>
<a rel="attachment" href="file:///etc/passwd">passwd</a>
{{% endblock %}}
""", encoding="utf-8")
    return theme


def test_hostile_theme_reaches_nothing(tmp_path: Path, server: tuple[int, list[str]]) -> None:
    port, hits = server
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.css").write_text("body { color: red }", encoding="utf-8")
    from PIL import Image

    Image.new("RGB", (8, 8), "red").save(outside / "secret.png")
    Image.new("RGB", (8, 8), "red").save(tmp_path / "outside.png")
    folder = tmp_path / "cv"
    folder.mkdir()
    (folder / "secret.txt").write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    (folder / "resume.yaml").write_text("name: Ada Lovelace\nheadline: Analyst\n"
                                        "contact: {email: ada@example.com}\n", encoding="utf-8")
    theme = _hostile_theme(tmp_path, port, outside)
    started = time.monotonic()
    r = render(folder / "resume.yaml", theme)
    assert time.monotonic() - started < 15, "nothing may wait on the network"
    assert hits == []
    reader, images = _pdf_info(r.pdf)
    _assert_no_attachments(reader)
    assert images == 0
    passwd = Path("/etc/passwd").read_bytes()[:12]
    assert passwd not in r.pdf and b"TOP-SECRET-CONTENT" not in r.pdf
    assert "Ada Lovelace" in r.pypdf_text()
    blocked = "\n".join(r.warnings)
    assert f"127.0.0.1:{port}" in blocked and "file:///etc/hostname" in blocked
    assert "leak.png" in blocked and "outside.png" in blocked


def test_policy_refuses_network_at_once(tmp_path: Path) -> None:
    policy = ResourcePolicy(tmp_path, (tmp_path,), frozenset())
    for url in ("http://10.255.255.1/x.css", "https://example.com/x", "ftp://example.com/x",
                "//example.com/x", "gopher://x", "javascript:alert(1)", "x.css"):
        started = time.monotonic()
        with pytest.raises(ResourceDenied):
            policy.resolve(url)
        assert time.monotonic() - started < 0.1


def test_policy_files(tmp_path: Path) -> None:
    resume_dir, theme_dir, other = tmp_path / "cv", tmp_path / "theme", tmp_path / "other"
    for d in (resume_dir, theme_dir, other):
        d.mkdir()
    font = other / "font.ttf"
    font.write_bytes(b"\0\1\0\0")
    (resume_dir / "me.png").write_bytes(b"png")
    (resume_dir / "notes.txt").write_text("private", encoding="utf-8")
    (theme_dir / "style.css").write_text("", encoding="utf-8")
    (other / "x.png").write_bytes(b"png")
    (theme_dir / "link.png").symlink_to(other / "x.png")
    policy = ResourcePolicy(resume_dir, (theme_dir,), frozenset({font}))

    assert policy.resolve((resume_dir / "me.png").as_uri()).read() == b"png"
    assert policy.resolve((theme_dir / "style.css").as_uri()).path == theme_dir / "style.css"
    assert policy.resolve(font.as_uri()).read() == b"\0\1\0\0"
    denied = [
        resume_dir / "notes.txt",  # the résumé's folder gives pictures only
        other / "x.png",  # outside every allowed folder
        theme_dir / "link.png",  # a symlink pointing outside
        theme_dir / ".." / "other" / "x.png",  # .. out of the folder
        Path("/etc/passwd"),
        theme_dir / "missing.css",
    ]
    for path in denied:
        with pytest.raises(ResourceDenied):
            policy.resolve("file://" + str(path))
    with pytest.raises(ResourceDenied):
        policy.resolve("file://attacker.example/etc/passwd")


def test_policy_data_and_memory_urls(tmp_path: Path) -> None:
    policy = ResourcePolicy(tmp_path, (), frozenset(),
                            memory={f"{MEMORY_SCHEME}:font-0.ttf": Resource("font/ttf",
                                                                          data=b"F")})
    assert policy.resolve("data:text/css;base64,Ym9keXt9").read() == b"body{}"
    assert policy.resolve("data:,a%20b").read() == b"a b"
    with pytest.raises(ResourceDenied):
        policy.resolve("data:text/plain;base64," + "A" * DATA_URI_CAP)
    assert policy.resolve(f"{MEMORY_SCHEME}:font-0.ttf").read() == b"F"
    with pytest.raises(ResourceDenied):
        policy.resolve(f"{MEMORY_SCHEME}:font-9.ttf")


def test_templates_are_sandboxed_and_autoescaped(tmp_path: Path) -> None:
    env = environment(template_dirs(load_theme("classic")))
    assert isinstance(env, SandboxedEnvironment)
    assert env.autoescape is True
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    # A theme template cannot climb out of the sandbox.
    theme = tmp_path / "escape"
    (theme / "templates").mkdir(parents=True)
    (theme / "theme.yaml").write_text("name: escape\ndescription: d\nextends: classic\n",
                                      encoding="utf-8")
    (theme / "templates" / "resume.html.j2").write_text(
        "{{ doc.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    demo = Path(__file__).resolve().parents[2] / "examples" / "minimal.yaml"
    with pytest.raises(ResumecError, match="escape"):
        render(demo, theme)


def test_weasyprint_is_imported_only_to_render_a_pdf() -> None:
    import subprocess
    import sys

    code = ("import sys; import resumec.backends.html, resumec.backends.pdf, resumec.cli; "
            "print('weasyprint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": ""})
    assert out.stdout.strip() == "False"
