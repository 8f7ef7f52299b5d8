"""Wrong passwords at the app's gate (app.py) slowed down: after a few, further tries are refused for a
delay that doubles with each wrong one. Nothing sleeps: a try within the delay is refused at once, so a
guesser holds no server thread while it waits.

Counted per browser session and per client address: a new session from the same address (a new tab, or
a script opening session after session) starts where the last one left off. Streamlit gives no address
for localhost, so behind a proxy on the same machine only the session counts; behind one elsewhere, all
users share the proxy's address, and a guesser slows them too, by at most MAX_DELAY per try."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

# Three tries forgive a typo or two; after that each wrong one doubles the wait, from 2 s (unnoticed by
# someone retyping) to a cap of 60 s (a guesser manages ~60 tries an hour; a person is never locked out
# for long). An address quiet for an hour is forgotten, so the table stays small.
FREE_TRIES = 3
FIRST_DELAY = 2.0
MAX_DELAY = 60.0
FORGET_AFTER = 3600.0

clock = time.monotonic  # replaced in tests, which never wait


@dataclass(frozen=True)
class Failures:
    count: int = 0  # wrong passwords in a row
    last: float = 0.0  # when the last one was given, by `clock`

    def wait(self, now: float) -> float:
        """Seconds until the next try is taken; 0, now."""
        if self.count < FREE_TRIES:
            return 0.0
        delay = min(FIRST_DELAY * 2 ** (self.count - FREE_TRIES), MAX_DELAY)
        return max(0.0, self.last + delay - now)

    def after_wrong(self, now: float) -> "Failures":
        return Failures(self.count + 1, now)


# App sessions are threads of one process: one table of addresses, behind a lock.
_by_address: dict[str, Failures] = {}
_lock = threading.Lock()


def wait_left(session: Failures, address: str | None) -> float:
    """Seconds before this session, from this address, may try again."""
    now = clock()
    with _lock:
        known = _by_address.get(address, Failures()) if address else Failures()
    return max(session.wait(now), known.wait(now))


def wrong(session: Failures, address: str | None) -> Failures:
    """Record a wrong password; the session's new count, to keep in its state."""
    now = clock()
    with _lock:
        for old in [a for a, f in _by_address.items() if now - f.last > FORGET_AFTER]:
            del _by_address[old]
        if address:
            _by_address[address] = _by_address.get(address, Failures()).after_wrong(now)
    return session.after_wrong(now)


def right(address: str | None) -> None:
    """The password was given: this address starts afresh."""
    if address:
        with _lock:
            _by_address.pop(address, None)
