"""A fake ModernGov site on 127.0.0.1 serving fixtures, for the sync tests and for trying
`clerk sync moderngov` by hand without touching a real council's site:

    python tests/moderngov_site.py          # serves tests/fixtures/moderngov, prints its URL
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "moderngov"


@dataclass
class Site:
    """What the fake ModernGov site serves: web-service answers by (method, id), pages by path and
    query, and failures to inject. Every request is logged with its arrival time."""

    service: dict[tuple[str, str], bytes] = field(default_factory=dict)
    pages: dict[str, bytes] = field(default_factory=dict)
    fail: dict[tuple[str, str], tuple[int, dict, bytes]] = field(default_factory=dict)
    fail_once: dict[tuple[str, str], tuple[int, dict, bytes]] = field(default_factory=dict)
    slow_once: dict[tuple[str, str], float] = field(default_factory=dict)  # seconds before answering
    service_off: bool = False
    log: list[tuple[float, str]] = field(default_factory=list)
    url: str = ""  # set by serve()

    def answer(self, raw_path: str) -> tuple[int, dict, bytes]:
        parsed = urlparse(raw_path)
        query = parse_qs(parsed.query)
        if "/mgWebService.asmx/" in parsed.path:
            method = parsed.path.rsplit("/", 1)[1]
            ident = (query.get("lCommitteeId") or query.get("lMeetingId") or [""])[0]
            time.sleep(self.slow_once.pop((method, ident), 0))
            if (method, ident) in self.fail_once:
                return self.fail_once.pop((method, ident))
            if (method, ident) in self.fail:
                return self.fail[(method, ident)]
            if self.service_off:
                return 200, {"Content-Type": "text/html"}, b"<!DOCTYPE html><html><body>Web service disabled</body></html>"
            body = self.service.get((method, ident))
            return (200, {"Content-Type": "text/xml"}, body) if body else (404, {}, b"not found")
        page = parsed.path.rsplit("/", 1)[1]
        # ModernGov's own page names: ieDecisionDetails.aspx?ID=1, ieListDocuments.aspx?CId=2&MId=3
        ids = "&".join(f"{name}={query[name][0]}" for name in ("ID", "CId", "MId") if name in query)
        key = page + (f"?{ids}" if ids else "")
        body = self.pages.get(key)
        return (200, {"Content-Type": "text/html"}, body) if body else (404, {}, b"not found")

    def requests(self, since: int = 0) -> list[str]:
        return [path for _, path in self.log[since:]]


def eastbridge() -> Site:
    """The hand-written committee-year: committee 210, meetings 7010-7014."""
    return Site(service={
        ("GetCommittees", ""): (FIXTURES / "GetCommittees.xml").read_bytes(),
        ("GetMeetings", "210"): (FIXTURES / "GetMeetings-210.xml").read_bytes(),
        **{("GetMeeting", m): (FIXTURES / f"GetMeeting-{m}.xml").read_bytes() for m in ("7010", "7011", "7013", "7014")},
    })


PAGES = {  # the same committee-year as HTML pages, for a site whose web service is off
    "mgListCommittees.aspx": "mgListCommittees.html",
    "ieListMeetings.aspx?CId=210": "ieListMeetings-210.html",
    **{f"ieListDocuments.aspx?CId=210&MId={m}": f"ieListDocuments-{m}.html" for m in ("7010", "7011", "7013", "7014")},
    "mgAi.aspx?ID=30104": "mgAi-30104.html",
}


def eastbridge_pages() -> dict[str, bytes]:
    return {key: (FIXTURES / "pages" / name).read_bytes() for key, name in PAGES.items()}


def serve(site: Site, port: int = 0) -> ThreadingHTTPServer:
    """Serve `site` in a thread; its URL (under /eastbridge) is set on it."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            site.log.append((time.monotonic(), self.path))
            status, headers, body = site.answer(self.path)
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # a client that timed out has gone
                pass

        def log_message(self, *args):  # quiet: tests show failures, not access logs
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site.url = f"http://127.0.0.1:{server.server_address[1]}/eastbridge"
    return server


if __name__ == "__main__":
    fixture_site = eastbridge()
    server = serve(fixture_site, 8765)
    print(f"serving the Eastbridge fixtures at {fixture_site.url} (Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print(f"{len(fixture_site.log)} requests served")

