"""`reportdsl preview FILE`: the compiled document as a page on 127.0.0.1, redrawn when a file changes.

A watcher thread looks at the report, its layout and its prior-year report every WATCH_INTERVAL and
compiles again when one changed; the page listens on /events (server-sent events) and fetches the
new document and diagnostics. A click on a figure asks /explain for how it was obtained. Charts are
shown by their figures in words: drawing them (matplotlib) would take longer than the redraw may.
Nothing here is published: the page is for the author, so it links diagnostics to the editor.
"""

from __future__ import annotations

import json
import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import parse_qs, urlparse

from ..compiler import Result, compile_file
from ..diagnostics import Diagnostic
from ..render.html import HtmlRenderer

WATCH_INTERVAL = 0.1  # seconds between looks at the watched files' times and sizes
HOST = "127.0.0.1"

PAGE_STYLE = """
body { margin-right: 24rem; }
aside { position: fixed; right: 0; width: 22rem; padding: 0.6rem 1rem; background: #f6f7f9;
        border-left: 1px solid #ccd; overflow: auto; font: 0.85rem/1.5 sans-serif; }
aside#problems { top: 0; height: 45vh; }
aside#explain { bottom: 0; height: 50vh; border-top: 1px solid #ccd; }
aside h2 { font-size: 1rem; margin: 0.2rem 0 0.5rem; }
aside ul { padding-left: 1rem; margin: 0; }
aside li.error { color: #a11; } aside li.warning { color: #8a5a00; }
aside pre { white-space: pre-wrap; font-size: 0.8rem; }
span.figure { background: #e8f0fb; border-bottom: 1px dotted #3b6ea5; cursor: pointer; }
span.figure.chosen { background: #ffe28a; }
"""

PAGE_SCRIPT = """
let version = VERSION;
async function redraw() {
  const reply = await fetch('/state');
  const state = await reply.json();
  version = state.version;
  document.querySelector('main').innerHTML = state.main;
  document.getElementById('problems-list').innerHTML = state.problems;
  document.body.dataset.version = version;
}
new EventSource('/events?since=' + version).onmessage = (event) => {
  if (Number(event.data) !== version) redraw();
};
document.addEventListener('click', async (event) => {
  const figure = event.target.closest('span.figure');
  if (!figure) return;
  document.querySelectorAll('span.figure.chosen').forEach((e) => e.classList.remove('chosen'));
  figure.classList.add('chosen');
  const reply = await fetch('/explain?version=' + version + '&figure=' + figure.dataset.figure);
  document.getElementById('explain-text').textContent = (await reply.json()).text;
});
"""


class Preview:
    """The latest compile of a report and the files it was made from, kept up to date by a watcher."""

    def __init__(self, path: str, compile_report: Callable[[str], Result] = compile_file):
        self.path = path
        self.compile_report = compile_report
        self.changed = threading.Condition()
        self.version = 0
        self.result = compile_report(path)
        self.stamps = self.look()

    def watched(self) -> list[str]:
        """The report, its layout and its prior-year report (and that one's own)."""
        return sorted({self.path, *(p for p in self.result.sources if Path(p).is_file())})

    def look(self) -> dict[str, tuple]:
        stamps = {}
        for path in self.watched():
            try:
                stat = Path(path).stat()
                stamps[path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                stamps[path] = None
        return stamps

    def refresh_if_changed(self) -> bool:
        stamps = self.look()
        if stamps == self.stamps:
            return False
        result = self.compile_report(self.path)
        with self.changed:
            self.result, self.version = result, self.version + 1
            self.stamps = self.look()
            self.changed.notify_all()
        return True

    def watch(self, stop: threading.Event) -> None:
        while not stop.wait(WATCH_INTERVAL):
            self.refresh_if_changed()

    def wait_for_change(self, since: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != since, timeout)
            return self.version

    # ---- what the page shows -------------------------------------------------------------------------

    def state(self) -> dict:
        result, version = self.result, self.version
        return {"version": version, "main": self.main_html(result), "problems": problems_html(result)}

    def main_html(self, result: Result) -> str:
        if result.document is None:
            return "<p>The report cannot be drawn: see the problems on the right.</p>"
        return "\n".join(HtmlRenderer(result.document, mark_figures=True).body())

    def page(self) -> str:
        state = self.state()
        renderer_page = HtmlRenderer(self.result.document, mark_figures=True) if self.result.document else None
        head = f"<style>{PAGE_STYLE}</style>\n"
        panels = ('<aside id="problems" aria-label="problems"><h2>Problems</h2>'
                  f'<ul id="problems-list">{state["problems"]}</ul></aside>\n'
                  '<aside id="explain" aria-label="how a figure is obtained"><h2>How it is obtained</h2>'
                  '<pre id="explain-text">Click a figure in the text.</pre></aside>\n'
                  f"<script>{PAGE_SCRIPT.replace('VERSION', str(state['version']))}</script>\n")
        if renderer_page is None:
            return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(self.path)}</title>'
                    f"{head}</head><body><main>{state['main']}</main>{panels}</body></html>")
        page = renderer_page.render(extra_head=head, extra_body=panels)
        return page.replace("<body>", f'<body data-version="{state["version"]}">', 1)

    def explain(self, figure: int, version: int) -> str:
        from ..explain import Tracer

        result = self.result
        if version != self.version or result.document is None or not 0 <= figure < len(result.document.figures):
            return "The document changed; click the figure again."
        from .features import short_paths

        text = "\n".join(Tracer(result).use(result.document.figures[figure])).strip()
        return short_paths(text, result.sources)


def problems_html(result: Result) -> str:
    if not result.diagnostics:
        return '<li class="ok">No problems.</li>'
    return "\n".join(problem_item(d) for d in result.diagnostics)


def problem_item(diagnostic: Diagnostic) -> str:
    """One diagnostic, its place a link that opens the file at the line in VS Code."""
    span = diagnostic.span
    text = f"{diagnostic.severity.value}[{diagnostic.code}]: {diagnostic.message}"
    if span is None:
        return f'<li class="{diagnostic.severity.value}">{escape(text)}</li>'
    where = f"{span.path}:{span.line}:{span.column}" if span.line else span.path
    target = f"vscode://file/{Path(span.path).resolve()}:{max(span.line, 1)}:{max(span.column, 1)}"
    helps = "".join(f"<br>help: {escape(h)}" for h in diagnostic.help)
    return (f'<li class="{diagnostic.severity.value}"><a href="{escape(target, quote=True)}">{escape(where)}</a> '
            f"{escape(text)}{helps}</li>")


# ---- the server ----------------------------------------------------------------------------------------


def make_handler(preview: Preview, port: Callable[[], int]):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # the terminal shows the address and the problems, not every request
            pass

        def do_GET(self) -> None:
            if not self.from_this_machine():
                return self.send(403, "text/plain", b"forbidden")
            url = urlparse(self.path)
            query = parse_qs(url.query)
            if url.path == "/":
                return self.send(200, "text/html; charset=utf-8", preview.page().encode("utf-8"))
            if url.path == "/state":
                return self.send_json(preview.state())
            if url.path == "/explain":
                figure, version = number(query, "figure"), number(query, "version")
                return self.send_json({"text": preview.explain(figure, version)})
            if url.path == "/events":
                return self.events(number(query, "since"))
            return self.send(404, "text/plain", b"not found")

        def from_this_machine(self) -> bool:
            """Only pages served from here may call: a Host header naming another site (DNS rebinding) is refused."""
            return self.headers.get("Host", "") in (f"{HOST}:{port()}", f"localhost:{port()}")

        def events(self, since: int) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            try:
                while True:
                    since = preview.wait_for_change(since, 15)
                    self.wfile.write(f"data: {since}\n\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

        def send_json(self, data: dict) -> None:
            self.send(200, "application/json", json.dumps(data, ensure_ascii=False).encode("utf-8"))

        def send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def number(query: dict, name: str) -> int:
    try:
        return int(query.get(name, ["-1"])[0])
    except ValueError:
        return -1


def serve(path: str, port: int, say: Callable[[str], None]) -> None:
    from .file_cache import FileCache, warm_parser

    warm_parser()
    preview = Preview(path, FileCache().compile)
    server: Optional[ThreadingHTTPServer] = None
    server = ThreadingHTTPServer((HOST, port), make_handler(preview, lambda: server.server_address[1]))
    server.daemon_threads = True
    stop = threading.Event()
    threading.Thread(target=preview.watch, args=(stop,), daemon=True).start()
    say(f"preview of {path}: http://{HOST}:{server.server_address[1]}/  (Ctrl-C to stop)")
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        server.server_close()
