"""Downloads behind the gate: with CLERK_APP_PASSWORD set, a record's original file goes only to the
session that gave the password, through its own connection, and no URL serves it to anyone else.

A real server on 127.0.0.1 and the system's headless Chromium: one browser signs in and downloads the
file; an HTTP client without that session then asks for the URL Streamlit's st.download_button would
have left the file at (/media/<hash of the file>), and for every URL the browser fetched."""
from __future__ import annotations

import mimetypes
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from app_server import APP_TIMEOUT_MS, ROOT, chromium, launch, serve
from hostile import MINUTES

from assistant.service import Assistant
from assistant.settings import Settings
from conftest import FakeModel
from ingest.embed import DEFAULT_MODEL, Embedder

pytestmark = pytest.mark.skipif(chromium() is None, reason="no chromium binary (apt-get install -y chromium)")
PASSWORD = "a long shared phrase"


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_an_original_file_is_downloaded_only_by_the_signed_in_session(tmp_path):
    from playwright.sync_api import sync_playwright
    from streamlit.runtime.memory_media_file_storage import _calculate_file_id, get_extension_for_mimetype

    records = tmp_path / "records"
    records.mkdir()
    original = records / "ashby-minutes.md"
    original.write_bytes(MINUTES.encode() + b"\n\nConfidential annex: the bench supplier's quote.\n")
    store = tmp_path / "store"
    assert not Assistant.open(Settings(store=store), Embedder(DEFAULT_MODEL, 384, FakeModel)).ingest([records]).failed

    with serve(store, ROOT / "tests" / "artifacts" / "download-gate-server.log",
               env={"CLERK_APP_PASSWORD": PASSWORD}) as url, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(accept_downloads=True)
            page.set_default_timeout(APP_TIMEOUT_MS)
            fetched: list[str] = []
            page.on("response", lambda response: fetched.append(response.url))
            page.goto(url)
            page.get_by_label("Password", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("link", name="Library").click()  # signed in, the app opens on Ask
            button = page.get_by_role("button", name="Download ashby-minutes.md")
            with page.expect_download() as saving:
                button.click()
            download = saving.value
            assert download.suggested_filename == "ashby-minutes.md"
            assert open(download.path(), "rb").read() == original.read_bytes()

            # While that session is signed in, a client without it asks for what st.download_button would
            # have served, to anyone, at a URL derived from the file alone; and for every URL the browser used.
            mime = mimetypes.guess_type(original.name)[0] or "application/octet-stream"
            media = f"{url}/media/{_calculate_file_id(original.read_bytes(), mime, original.name)}" \
                    f"{get_extension_for_mimetype(mime)}"
            assert _status(media) == 404
            assert not [u for u in fetched if urlsplit(u).path.startswith("/media/")]  # the file never had a URL
            for fetched_url in {u for u in fetched if u.startswith(url)}:
                try:
                    with urllib.request.urlopen(fetched_url, timeout=30) as response:
                        assert b"Confidential annex" not in response.read(), fetched_url
                except urllib.error.HTTPError:
                    pass
            page.frame_locator("iframe").last.get_by_text("Save the file again").wait_for()  # a link to a blob
        finally:
            browser.close()
