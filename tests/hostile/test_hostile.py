"""Hostile résumés: every format and theme keeps untrusted text as text, reads no file
outside the résumé's and the theme's folders, and opens no network connection.

Rendering runs in this process under a Python audit hook that records every file
opened and every socket connection attempted, and a local HTTP server records any
request that arrives; both must stay empty of anything outside what is allowed.
"""

from __future__ import annotations

import http.server
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

import resumec
from resumec import backends, cache
from resumec.loader import load_resume
from resumec.render import Options, run, tasks
from resumec.themes import builtin_dir, builtin_names, load_theme

FORMATS = ["pdf", "docx", "html", "md", "txt", "json"]
LONG_WORD = "Supercalifragilistic" * 500  # 10,000 characters, no break opportunity


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"x")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[str]]]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.hits
    httpd.shutdown()


_WATCH: dict[str, Any] = {"on": False, "opened": [], "connected": []}


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _WATCH["on"]:
        return
    if event == "open" and isinstance(args[0], str | bytes | Path):
        _WATCH["opened"].append(str(args[0] if not isinstance(args[0], bytes)
                                    else args[0].decode(errors="replace")))
    elif event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
        _WATCH["connected"].append((event, repr(args)[:200]))


sys.addaudithook(_audit)


def hostile_yaml(base: str) -> str:
    return f"""\
name: "{{{{ 7*7 }}}} <script>alert('x')</script> & Ørjan 王小明 محمد"
headline: "{{% include '/etc/passwd' %}} <b>bold?</b> ${{{{7*7}}}}"
lang: en
contact:
  email: ada@example.com
  website: {base}/website
  links:
    - {{label: "<img src={base}/img.png>", url: "{base}/link?a=1&b=<2>#frag"}}
    - {{label: Metadata, url: "http://169.254.169.254/latest/meta-data/"}}
    - {{url: "https://example.com/{LONG_WORD}"}}
summary: |
  <img src="{base}/summary.png"> <link rel=attachment href="file:///etc/passwd">
  <style>@import url({base}/evil.css);</style> [a link]({base}/md-link) and
  ![an image]({base}/md-image.png) **bold** *it* `code` {{{{ config }}}} {{% raw %}}

  שלום עולם — مرحبا بالعالم — 你好，世界 — 🚀✨ — {LONG_WORD}
experience:
  - employer: "<iframe src={base}/frame></iframe>"
    title: "Engineer\\u202e reversed"
    start: 2020-01
    end: present
    highlights:
      - "url(file:///etc/passwd) and url({base}/css.png)"
      - "{LONG_WORD}"
skills:
  - name: "<svg onload=alert(1)>"
    items: ["{{{{ lipsum }}}}", "C++", "*nix", "__init__"]
custom:
  notes:
    title: "</h2><script>document.write(1)</script>"
    text: "<object data='file:///etc/hostname'></object>"
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, server: tuple[str, list[str]]) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "resume.yaml"
    path.write_text(hostile_yaml(server[0]), encoding="utf-8")
    (folder.parent / "secret.txt").write_text("TOP SECRET", encoding="utf-8")
    return path


class _Timeout(Exception):
    pass


def _allowed(path: str, resume_dir: Path, out_dir: Path) -> bool:
    p = Path(path)
    if not p.is_absolute():
        return True  # relative opens are resolved against the cwd by the library itself
    roots = [resume_dir, out_dir, builtin_dir(), Path(resumec.__file__).parent,
             Path(sys.prefix), Path(sys.base_prefix),
             Path("/usr/share/fonts"), Path("/usr/share/fontconfig"), Path("/etc/fonts"),
             Path("/usr/lib"), Path("/usr/share/zoneinfo"), Path("/dev/urandom"),
             Path("/dev/null")]
    # resumec's own cache: fonts and templates derived from the theme, never résumé data.
    roots += [cache_root] if (cache_root := cache.folder()) else []
    roots += [f.path.parent for name in builtin_names() for f in load_theme(name).fonts]
    resolved = p.resolve()
    tmp = Path(tempfile.gettempdir()).resolve()
    if any(q.name.startswith("weasyprint-") and q.parent == tmp for q in (resolved,
                                                                         resolved.parent)):
        return True  # WeasyPrint hands @font-face files it was given to Fontconfig this way
    return any(resolved.is_relative_to(r.resolve()) for r in roots)


@pytest.mark.parametrize("theme", ["classic", "modern", "compact", "sidebar"])
def test_hostile_resume_renders_inertly_in_every_format(
        hostile: Path, server: tuple[str, list[str]], tmp_path: Path, theme: str) -> None:
    _, hits = server
    resume = load_resume(hostile)
    formats = [f for f in FORMATS if f in backends.names()]
    out = tmp_path / "out"
    warnings: list[str] = []

    def expire(signum: int, frame: object) -> None:
        raise _Timeout

    todo = tasks(resume, hostile, Options(formats=formats, theme=theme, out_dir=out),
                 warn=warnings.append)
    run(todo, workers=1)  # import the engines first: what they read at import is not résumé data
    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(120)
    _WATCH.update(on=True, opened=[], connected=[])
    try:
        outputs = {o.format: o.data for o in run(todo, workers=1)}
    finally:
        _WATCH["on"] = False
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert not hits, f"the renderer fetched from the network: {hits}"
    assert not _WATCH["connected"], _WATCH["connected"]
    outside = [p for p in _WATCH["opened"] if not _allowed(p, hostile.parent, out)]
    assert not outside, f"opened files outside the allowed folders: {outside[:5]}"
    assert set(outputs) == set(formats)

    html = outputs["html"].decode()
    # The server's URLs are in the page and its port may hold "49": leave them out.
    body = html.split("<body", 1)[1][:2000].replace(server[0], "")
    assert "{{ 7*7 }}" in html and "49" not in body
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<iframe" not in html and "<svg onload" not in html and "<object" not in html
    assert 'href="file:' not in html and 'src="file:' not in html
    assert f'src="{server[0]}' not in html  # text never becomes an image or a frame
    assert b"TOP SECRET" not in outputs["pdf"] and b"/EmbeddedFile" not in outputs["pdf"]
    txt = outputs["txt"].decode()
    assert "{{ 7*7 }} <script>alert('x')</script> & Ørjan 王小明 محمد" in txt
    assert LONG_WORD in txt.replace("\n", "").replace(" ", "")
    md = outputs["md"].decode()
    assert "<script>" not in md and "<img" not in md
