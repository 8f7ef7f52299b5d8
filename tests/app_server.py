"""A real Clerk server (`streamlit run app.py`) and the system's headless Chromium, for the browser tests
and benchmarks/app_latency.py. Playwright only drives the browser: it never downloads one."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# How long a browser test waits for the app's own signals before calling it a hang: generous, because a
# busy 2-core machine loads the model and answers several times slower than an idle one.
APP_TIMEOUT_MS = 300_000
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def chromium() -> str | None:
    found = shutil.which("chromium")
    return found or ("/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(store: Path, log: Path, env: dict | None = None, timeout: float = 120):
    """The app over `store` on a free port of 127.0.0.1; yields its URL and stops it by its process id."""
    port = free_port()
    environ = {**os.environ, "CLERK_STORE": str(store), "PYTHONPATH": str(ROOT), **(env or {})}
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        # A session of its own, so stopping it by its id also stops anything it started.
        server = subprocess.Popen(command, env=environ, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start; see {log}")
            time.sleep(0.25)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS, headless=True)


def send_question(page, question: str) -> None:
    box = page.get_by_placeholder("Ask a question", exact=False)
    box.fill(question)
    box.press("Enter")


def wait_for_answer(page, turn: int, timeout_ms: float = APP_TIMEOUT_MS):
    """The answer of turn `turn` (0-based): its first [n] link, once drawn."""
    marker = page.locator(f'a[href^="#source-{turn}-"]').first
    marker.wait_for(state="visible", timeout=timeout_ms)
    wait_for_idle(page, timeout_ms)
    return marker


def wait_for_idle(page, timeout_ms: float = APP_TIMEOUT_MS) -> None:
    """Until the script run has ended, by the run state Streamlit itself sets on its root element. The
    status widget's running icon is no such signal: it is drawn only after a delay, so waiting for it
    to be hidden passed at once while the cards below an answer were still being drawn, and their
    layout then undid a jump to a card (1 run in 6 on a busy machine)."""
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')"
        " === 'notRunning'", timeout=timeout_ms)


def axe_source() -> str | None:
    """axe-core's script, as the axe-playwright-python package ships it (the test extra), or None without it."""
    from importlib import resources
    from importlib.util import find_spec

    if find_spec("axe_playwright_python") is None:
        return None
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def serious_accessibility_faults(page, axe: str) -> list[str]:
    """axe-core's serious and critical violations on the page as drawn, one line each (rule, count, first node)."""
    page.evaluate(axe)
    found = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['nodes'][0]['target']} "
            f"{' '.join(v['nodes'][0]['failureSummary'].split())[:200]}"
            for v in found if v["impact"] in ("serious", "critical")]
