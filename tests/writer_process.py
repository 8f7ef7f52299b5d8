"""A second process for tests/test_one_writer.py and tests/test_kill_anywhere.py, with the fake embedder
(conftest.FakeModel): `writer_process.py clerk ARGS…` runs the CLI; `writer_process.py hold STORE HELD RELEASE
FOLDER` becomes the store's writer, says so by creating HELD, and ingests FOLDER once RELEASE exists;
`writer_process.py kill-at K clerk ARGS…` runs the CLI and kills itself with SIGKILL at kill point K
(tests/kill_points.py); `writer_process.py pause PAUSED RELEASE clerk ARGS…` runs the CLI, and after its first
write of passages creates PAUSED and waits, half written, for RELEASE (tests/test_concurrent_use.py)."""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import assistant.service  # noqa: E402
from assistant.cli import main  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from conftest import FakeModel  # noqa: E402
from ingest.embed import DEFAULT_MODEL, Embedder  # noqa: E402

assistant.service.load_embedder = lambda *_: Embedder(DEFAULT_MODEL, 384, FakeModel)

if sys.argv[1] == "hold":
    store, held, release, folder = map(Path, sys.argv[2:6])
    writer = assistant.service.Assistant.open(Settings.from_env(store=store))
    with writer.writer("the test's first writer"):
        held.touch()
        while not release.exists():  # the test says when; nothing here depends on how long it takes
            time.sleep(0.02)
        sys.exit(1 if writer.ingest([folder]).failed else 0)
if sys.argv[1] == "pause":
    from ingest.store import Store

    paused, release = map(Path, sys.argv[2:4])
    write = Store.replace_document

    def write_then_pause(*args, **kwargs):
        write(*args, **kwargs)
        if not paused.exists():
            paused.touch()
            while not release.exists():  # the test says when
                time.sleep(0.02)

    Store.replace_document = write_then_pause
    sys.exit(main(sys.argv[5:]))
if sys.argv[1] == "kill-at":
    from kill_points import KillPoints

    KillPoints(int(sys.argv[2])).install()
    sys.exit(main(sys.argv[4:]))
sys.exit(main(sys.argv[2:]))
