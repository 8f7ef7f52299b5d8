"""`clerk api`: a real HTTP server on 127.0.0.1, asked as a client would ask it."""
import json
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from types import SimpleNamespace

import httpx

from assistant.cli import main
from conftest import ROOT

QUESTION = "What did Little Ashby decide about the play area?"
TOKEN = "correct horse battery staple"
DEADLINE = 120  # seconds for the server to come up; it answers in well under one


@contextmanager
def serving(store, token=None):
    """The API over `store` on 127.0.0.1, on a port the system picks, in a thread of this process (so the
    fake model is the one it loads); its base URL once it answers."""
    import uvicorn

    from assistant.api import build
    from assistant.operations import Records

    app = build(Records(SimpleNamespace(store=str(store), chroma_url=None)), token)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + DEADLINE
    while not server.started:  # polled: uvicorn sets it once it listens
        assert thread.is_alive() and time.monotonic() < deadline, "the API did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=DEADLINE)


def cli_json(argv, capsys) -> dict:
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_the_api_asks_for_its_token_and_answers_as_the_cli_does(fake_store, fake_model, capsys, monkeypatch):
    monkeypatch.delenv("CLERK_LLM_URL", raising=False)  # the extractive answer on both sides
    store = str(fake_store)
    with serving(fake_store, TOKEN) as url:
        assert httpx.get(f"{url}/health").json() == {"status": "ok"}  # no token needed to see it is up
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                        {"Authorization": f"Bearer {TOKEN}x"}):
            refused = httpx.get(f"{url}/councils", headers=headers)
            assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
            assert "store" not in refused.text
        api = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=DEADLINE)
        assert api.get("/ask", params={"question": QUESTION}).status_code == 200

        answer = api.get("/ask", params={"question": QUESTION}).json()
        expected = cli_json(["ask", QUESTION, "--json", "--store", store], capsys)
        assert answer == expected  # the same JSON, citations and all

        councils = api.get("/councils").json()
        assert councils["documents"] == 11
        found = api.get("/search", params={"query": "play area", "council": "Eastbridge", "k": 3}).json()
        assert len(found["passages"]) == 3 and all(p["council"] == "Eastbridge County Council" for p in found["passages"])
        assert set(found["passages"][0]) == set(expected["citations"][0])  # the citation fields of ask --json
        chunk_id = found["passages"][0]["chunk_id"]
        context = api.get(f"/passages/{chunk_id}", params={"neighbours": 2}).json()
        assert context["passage"]["chunk_id"] == chunk_id and len(context["before"] + context["after"]) >= 2
        decisions = api.get("/decisions", params={"limit": 50}).json()
        assert decisions == cli_json(["decisions", "--json", "--store", store], capsys)

        # Refusals: one line, as the CLI says them; an unknown passage is 404; nothing can be written.
        for path, params, status, reason in [
            ("/search", {"query": "play area", "since": "last Tuesday"}, 400, "--since 'last Tuesday' is not a date"),
            ("/ask", {"question": "Who chairs it?", "kind": "minute"}, 400, "unknown document kind minute"),
            ("/decisions", {"council": "Nowhere"}, 400, 'no council matches "Nowhere"'),
            ("/search", {"query": "play area", "k": 0}, 400, "k 0 is not between 1 and 50"),
            ("/ask", {"question": "  "}, 400, "the question is empty"),
            ("/passages/no-such-chunk", {}, 404, "no passage has chunk_id 'no-such-chunk'"),
        ]:
            reply = api.get(path, params=params)
            assert reply.status_code == status and reason in reply.json()["detail"], reply.text
            assert "\n" not in reply.json()["detail"]
        assert api.post("/ask", params={"question": QUESTION}).status_code == 405


def test_the_openapi_document_validates_and_lists_only_reads(fake_store):
    from openapi_spec_validator import validate

    with serving(fake_store, TOKEN) as url:
        document = httpx.get(f"{url}/openapi.json").json()
    validate(document)
    assert set(document["paths"]) == {"/health", "/search", "/ask", "/decisions", "/passages/{chunk_id}", "/councils"}
    assert {method for path in document["paths"].values() for method in path} == {"get"}
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    guarded = {p for p, ops in document["paths"].items() if ops["get"].get("security")}
    assert guarded == set(document["paths"]) - {"/health"}
    ask = {p["name"] for p in document["paths"]["/ask"]["get"]["parameters"]}
    assert {"question", "history", "k", "council", "committee", "since", "until", "kind", "decisions_only"} <= ask


def test_without_a_token_the_api_is_open_and_no_store_is_a_400(tmp_path, fake_store):
    with serving(fake_store) as url:
        assert httpx.get(f"{url}/councils").json()["documents"] == 11
    missing = tmp_path / "nowhere"
    with serving(missing) as url:
        reply = httpx.get(f"{url}/search", params={"query": "play area"})
    assert reply.status_code == 400 and reply.json()["detail"].startswith(f"no store at {missing.resolve()}")
    assert not missing.exists()


_NO_API = """
import sys
from assistant.cli import main
try:
    main(["api", "--help"])
except SystemExit:
    pass
assert not {"fastapi", "uvicorn"} & set(sys.modules), "clerk api --help imported the server"
"""


def test_clerk_api_help_needs_no_server_libraries():
    done = subprocess.run([sys.executable, "-c", _NO_API], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "--address" in done.stdout and "--port" in done.stdout


def test_serving_others_without_a_token_warns(tmp_path, monkeypatch, capsys):
    import uvicorn

    monkeypatch.delenv("CLERK_API_TOKEN", raising=False)
    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(options))
    assert main(["api", "--address", "0.0.0.0", "--port", "9999", "--store", str(tmp_path)]) == 0
    assert served == {"host": "0.0.0.0", "port": 9999, "log_level": "warning"}
    assert "warning: anyone who can reach this address can search the records; set CLERK_API_TOKEN" \
        in capsys.readouterr().err
