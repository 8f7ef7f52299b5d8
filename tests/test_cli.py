import json

from assistant.cli import main

CONTRACT = {"n", "source", "page", "chunk_id", "text", "score", "council", "committee", "meeting_date", "item", "kind"}


def test_ask_json_follows_the_contract(demo_store, embedder, capsys):
    assert main(["ask", "What did Little Ashby decide about the play area?", "--json", "--store", str(demo_store)]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert {"question", "answer", "abstained", "citations"} <= set(answer)
    assert answer["abstained"] is False
    citations = answer["citations"]
    assert [c["n"] for c in citations] == list(range(1, len(citations) + 1))
    assert all(CONTRACT <= set(c) for c in citations)
    markers = {int(m) for m in __import__("re").findall(r"\[(\d+)\]", answer["answer"])}
    assert markers and markers <= {c["n"] for c in citations}
    top = citations[0]
    assert top["source"].endswith(".md") and "play area" in top["text"]  # a decision of Little Ashby's about it
    assert any("Kestrel Play" in c["text"] for c in citations if c["cited"])
    assert top["council"] == "Little Ashby Parish Council" and top["meeting_date"] in ("2024-03-04", "2024-09-09")


def test_empty_and_huge_questions_are_refused_in_one_line(demo_store, embedder, capsys):
    assert main(["ask", "   ", "--store", str(demo_store)]) == 2
    assert capsys.readouterr().err.strip() == "error: the question is empty"
    assert main(["ask", "why " * 12_500, "--store", str(demo_store)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: the question is 49,999 characters long") and "\n" not in err


def test_store_built_with_another_model_is_refused(tmp_path, capsys):
    from ingest.store import Store

    Store(tmp_path / "chroma", model_name="some-other-model", dimension=768)
    assert main(["stats", "--store", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "built with embedding model some-other-model (768-d)" in err


def test_ask_says_why_it_abstains(demo_store, embedder, capsys):
    question = "What did Little Ashby decide about the play area?"
    assert main(["ask", question, "--council", "Northmoor", "--store", str(demo_store)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Nothing under the filters you set (council Northmoor) answers this; without them, the "
                          "records from Little Ashby Parish Council (2024) may. Clear the filters and ask again.\n")
    assert "Closest matches (not an answer):" in out
