"""HTTP to one ModernGov site: a rate limit, timeouts, retries with backoff, and one-line errors
for the ways a site refuses (403, often Cloudflare) or has its web service switched off.

The only module of the connector that does network I/O.
"""
from __future__ import annotations

import time
from typing import Self
from urllib.parse import urlencode, urljoin, urlparse

import httpx

USER_AGENT = "Clerk committee-records sync (+https://github.com/; polite: rate-limited)"
MAX_BYTES = 50_000_000  # a response bigger than this is not a committee record
_RETRY_STATUS = {429, 502, 503, 504}


class SyncError(Exception):
    """The site cannot be synced as asked; the message says why in one line, naming the URL."""


class AccessDenied(SyncError):
    """HTTP 403: the site refuses this client."""


class ServiceDisabled(SyncError):
    """The site has no usable mgWebService.asmx."""


class HTTPStatus(SyncError):
    def __init__(self, url: str, status: int):
        super().__init__(f"{url}: HTTP {status}")
        self.status = status


def normalise_base(url: str) -> str:
    url = url.strip()
    if "://" not in url:
        url = "https://" + url
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise SyncError(f"{url}: not an http(s) address of a ModernGov site")
    path = parsed.path
    # Accept a page of the site as well as its root: https://x.gov.uk/mgListCommittees.aspx
    if path.lower().endswith((".aspx", ".asmx")) or "mgwebservice.asmx" in path.lower():
        path = path[:path.lower().rfind("/")]
    return f"{parsed.scheme}://{parsed.netloc}{path.rstrip('/')}"


class Client:
    # Timeout: sites hosted by councils themselves can take most of a minute to answer.
    def __init__(self, base_url: str, *, rate: float = 2.0, timeout: float = 60.0, retries: int = 3,
                 backoff: float = 2.0, transport: httpx.BaseTransport | None = None):
        if rate <= 0:
            raise SyncError(f"rate {rate} is not a positive number of requests a second")
        self.base_url = normalise_base(base_url)
        self.interval = 1.0 / rate
        self.retries = retries
        self.backoff = backoff
        self.requests = 0  # every attempt, retries included: what the site saw
        self._next_at = 0.0
        self._http = httpx.Client(timeout=timeout, follow_redirects=True, transport=transport,
                                  headers={"User-Agent": USER_AGENT})

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def url(self, path: str, **params) -> str:
        query = f"?{urlencode(params, safe='/')}" if params else ""
        return urljoin(self.base_url + "/", path) + query

    def same_site(self, url: str) -> bool:
        """Only the site being synced is ever fetched: documents link out by absolute URL, and a
        record's text must not be able to send Clerk anywhere else."""
        return urlparse(url).netloc.lower() == urlparse(self.base_url).netloc.lower()

    def service(self, method: str, **params) -> bytes:
        """A web-service call, mgWebService.asmx/METHOD. A site whose service is off answers with
        404, a server error or an HTML page instead of XML: all are ServiceDisabled."""
        url = self.url(f"mgWebService.asmx/{method}", **params)
        try:
            body = self.get(url)
        except HTTPStatus as exc:
            raise ServiceDisabled(f"{url}: the ModernGov web service does not answer (HTTP {exc.status}); "
                                  "it may be switched off for this site") from None
        head = body.lstrip()[:300].lower()
        if not head.startswith(b"<") or head.startswith(b"<!doctype") or b"<html" in head:
            raise ServiceDisabled(f"{url}: the ModernGov web service answered with a web page, not XML; "
                                  "it is probably switched off for this site")
        return body

    def get(self, url: str) -> bytes:
        for attempt in range(self.retries + 1):
            self._wait()
            self.requests += 1
            try:
                status, headers, body = self._fetch(url)
            except httpx.TimeoutException:
                problem = "timed out"
            except httpx.TransportError as exc:
                problem = f"connection failed ({type(exc).__name__})"
            else:
                if status == 200:
                    return body
                # Cloudflare's challenge comes as a 403, or as a 503 marked cf-mitigated: neither passes on retry.
                if status == 403 or headers.get("cf-mitigated") == "challenge":
                    behind = " behind Cloudflare's bot protection" if _cloudflare(headers, body) else ""
                    raise AccessDenied(f"{url}: HTTP {status}: the site refuses automated requests{behind}; "
                                       "Clerk cannot sync it from this network")
                if status not in _RETRY_STATUS:
                    raise HTTPStatus(url, status)
                problem = f"HTTP {status}"
                delay = _retry_after(headers)
                if delay is not None and attempt < self.retries:
                    time.sleep(min(delay, 60.0))
                    continue
            if attempt < self.retries:
                time.sleep(self.backoff * 2 ** attempt)
        raise SyncError(f"{url}: {problem} after {self.retries + 1} tries")

    def _wait(self) -> None:
        now = time.monotonic()
        if self._next_at > now:
            time.sleep(self._next_at - now)
            now = time.monotonic()
        self._next_at = now + self.interval

    def _fetch(self, url: str) -> tuple[int, httpx.Headers, bytes]:
        with self._http.stream("GET", url) as response:
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BYTES:
                    raise SyncError(f"{url}: response larger than {MAX_BYTES // 1_000_000} MB, not read")
                chunks.append(chunk)
            return response.status_code, response.headers, b"".join(chunks)


def _cloudflare(headers: httpx.Headers, body: bytes) -> bool:
    return "cloudflare" in headers.get("server", "").lower() or "cf-ray" in headers \
        or b"cloudflare" in body[:5000].lower()


def _retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("retry-after", "")
    return float(value) if value.strip().isdigit() else None
