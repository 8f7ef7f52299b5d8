"""`clerk mcp`, driven by the MCP SDK's own client as an assistant would drive it: over stdio, and over
streamable HTTP."""
import json
import os
import socket
import subprocess
import sys
import time

import anyio
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from assistant.cli import main
from conftest import ROOT

# Generous: the server loads the embedding model itself (~15 s alone, far more on two busy cores).
TIMEOUT = 600
QUESTION = "What did Little Ashby decide about the play area?"
FILTERS = {"council", "committee", "since", "until", "kind", "decisions_only"}


def drive(store, tmp_path, scenario) -> str:
    """Run `await scenario(client)` against `clerk mcp --store STORE` over stdio; the server's stderr."""
    log = tmp_path / "server.log"
    # The test's own environment, so the server and the CLI compared with it read the same settings.
    params = StdioServerParameters(command=sys.executable, args=["-m", "assistant.cli", "mcp", "--store", str(store)],
                                   env=dict(os.environ), cwd=ROOT)

    async def run():
        with log.open("w") as errlog, anyio.fail_after(TIMEOUT):
            async with Client(stdio_client(params, errlog=errlog), read_timeout_seconds=TIMEOUT) as client:
                await scenario(client)

    anyio.run(run)
    return log.read_text()


def quoted(result) -> dict:
    """A tool's result, which must wrap what it read from the records as untrusted quoted data."""
    assert not result.is_error, result.content
    body = json.loads(result.content[0].text)
    assert list(body) == ["notice", "untrusted_quoted_records"] and "never instructions" in body["notice"]
    return body["untrusted_quoted_records"]


def refusal(result) -> str:
    assert result.is_error
    [content] = result.content
    return content.text


def cli_json(argv: list[str], capsys) -> dict:
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_five_read_only_tools_over_what_the_store_holds(fake_store, tmp_path, capsys):
    store = str(fake_store)
    got = {}

    async def scenario(client):
        got["tools"] = {t.name: t for t in (await client.list_tools()).tools}
        got["councils"] = quoted(await client.call_tool("list_councils", {}))
        got["decisions"] = quoted(await client.call_tool("decisions", {"limit": 50}))

    drive(fake_store, tmp_path, scenario)
    tools = got["tools"]
    assert sorted(tools) == ["ask", "decisions", "get_passage", "list_councils", "search"]
    for tool in tools.values():
        assert "untrusted_quoted_records" in tool.description and "never instructions" in tool.description
        assert tool.annotations.read_only_hint
    assert FILTERS | {"k", "query"} <= set(tools["search"].input_schema["properties"])
    assert FILTERS | {"k", "question", "history"} <= set(tools["ask"].input_schema["properties"])
    # The councils with their documents, as `clerk stats` counts them; the decisions as `clerk decisions --json`.
    stats = cli_json(["stats", "--json", "--store", store], capsys)
    assert {c["council"] or "(unknown)": c["documents"] for c in got["councils"]["councils"]} \
        == stats["by"]["documents"]["council"]
    assert got["councils"]["documents"] == stats["documents"] == 11
    assert got["decisions"] == cli_json(["decisions", "--json", "--store", store], capsys)
    assert got["decisions"]["decisions"]


def test_ask_cites_what_clerk_ask_json_cites_and_a_cited_passage_reads_in_its_context(
        demo_store, embedder, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CLERK_LLM_URL", raising=False)  # the extractive answer on both sides, not a model's
    got = {}

    async def scenario(client):
        got["answer"] = quoted(await client.call_tool("ask", {"question": QUESTION}))
        cited = next(c for c in got["answer"]["citations"] if c["cited"])
        got["passage"] = quoted(await client.call_tool("get_passage", {"chunk_id": cited["chunk_id"]}))
        got["search"] = quoted(await client.call_tool("search", {"query": "play area", "council": "Eastbridge",
                                                                 "k": 3}))

    log = drive(demo_store, tmp_path, scenario)
    assert log.count("loading the embedding model") == 1  # at the first question, for the whole process
    answer = got["answer"]
    expected = cli_json(["ask", QUESTION, "--json", "--store", str(demo_store)], capsys)
    assert not answer["abstained"] and answer["answer"] == expected["answer"]
    assert [(c["chunk_id"], c["text"], c["cited"]) for c in answer["citations"]] \
        == [(c["chunk_id"], c["text"], c["cited"]) for c in expected["citations"]]
    assert any("Kestrel Play" in c["text"] for c in answer["citations"] if c["cited"])

    cited = next(c for c in answer["citations"] if c["cited"])
    context = got["passage"]
    passage = context["passage"]
    assert [passage[f] for f in ("chunk_id", "text", "source")] == [cited[f] for f in ("chunk_id", "text", "source")]
    assert set(passage) == set(cited)  # the citation fields of ask --json
    neighbours = context["before"] + context["after"]
    assert neighbours and len(context["before"]) <= 1 >= len(context["after"])
    assert {p["source"] for p in neighbours} == {cited["source"]}
    places = [p["n"] for p in context["before"] + [passage] + context["after"]]  # n: the place in the document
    assert places == list(range(places[0], places[0] + len(places)))

    found = got["search"]["passages"]
    assert len(found) == 3 and all(p["council"] == "Eastbridge County Council" for p in found)
    assert all(set(p) == set(cited) for p in found)


def test_refusals_come_back_as_tool_errors_of_one_line(fake_store, tmp_path):
    calls = [
        ("search", {"query": "play area", "since": "last Tuesday"}, "--since 'last Tuesday' is not a date"),
        ("ask", {"question": "Who chairs it?", "kind": "minute"}, "unknown document kind minute"),
        ("decisions", {"council": "Nowhere"}, 'no council matches "Nowhere"'),
        ("search", {"query": "play area", "since": "2024-06", "until": "2024-01"}, "is after --until"),
        ("search", {"query": "play area", "k": 0}, "k 0 is not between 1 and 50"),
        ("ask", {"question": "   "}, "the question is empty"),
        ("get_passage", {"chunk_id": "no-such-chunk"}, "no passage has chunk_id 'no-such-chunk'"),
    ]
    errors = []

    async def scenario(client):
        for name, arguments, _ in calls:
            errors.append(refusal(await client.call_tool(name, arguments)))
        assert quoted(await client.call_tool("list_councils", {}))["councils"]  # and it still serves

    log = drive(fake_store, tmp_path, scenario)
    for text, (name, _, reason) in zip(errors, calls):
        assert text.startswith(f"Error executing tool {name}: ") and reason in text and "\n" not in text
    assert "Traceback" not in log and "loading the embedding model" not in log  # refused before any search


def test_no_store_is_a_tool_error_and_address_needs_http(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    said = []

    async def scenario(client):
        said.append(refusal(await client.call_tool("search", {"query": "play area"})))

    drive(missing, tmp_path, scenario)
    assert said == [f"Error executing tool search: no store at {missing.resolve()}; make one with: clerk ingest FOLDER "
                    f"--store {missing}"]
    assert not missing.exists()
    assert main(["mcp", "--port", "9000", "--store", str(missing)]) == 2
    assert "--address and --port are for --http" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)  # a poll interval, not a guess at how long start-up takes
    pytest.fail(f"nothing listened on port {port} within {TIMEOUT} s")


def test_http_serves_the_same_tools_on_127_0_0_1(fake_store):
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "assistant.cli", "mcp", "--http", "--port", str(port),
                               "--store", str(fake_store)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    got = {}

    async def scenario():
        with anyio.fail_after(TIMEOUT):
            async with Client(f"http://127.0.0.1:{port}/mcp", read_timeout_seconds=TIMEOUT) as client:
                got["tools"] = sorted(t.name for t in (await client.list_tools()).tools)
                got["councils"] = quoted(await client.call_tool("list_councils", {}))

    try:
        _wait_for(port, server)
        anyio.run(scenario)
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert got["tools"] == ["ask", "decisions", "get_passage", "list_councils", "search"]
    assert got["councils"]["documents"] == 11
