"""The reranker slot, with a tiny cross-encoder built and saved inside the test (none ships on PyPI)."""
import numpy as np
import pytest


@pytest.fixture(scope="module")
def tiny_cross_encoder(tmp_path_factory, embedder):
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from ingest.embed import DEFAULT_MODEL, resolve_model_path

    folder = tmp_path_factory.mktemp("tiny-cross-encoder")
    tokenizer = AutoTokenizer.from_pretrained(str(resolve_model_path(DEFAULT_MODEL)))
    torch.manual_seed(7)
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, num_labels=1)
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def test_reranker_reorders_the_top_passages_by_its_scores(demo_store, embedder, tiny_cross_encoder):
    from assistant.service import Assistant
    from assistant.settings import Settings
    from ingest.embed import load_reranker

    question = "What was resolved about care leavers?"
    plain = Assistant.open(Settings(store=demo_store), embedder=embedder)
    reranked = Assistant.open(Settings(store=demo_store, reranker=str(tiny_cross_encoder)), embedder=embedder)
    hits = reranked.retriever.search(question, 5)
    candidates = plain.retriever.search(question, 20)
    reranker = load_reranker(str(tiny_cross_encoder))
    scores = reranker.score(question, [h.chunk.indexed_text() for h in candidates])
    expected = [candidates[i].chunk.chunk_id for i in np.argsort(-scores, kind="stable")[:5]]
    assert expected != [h.chunk.chunk_id for h in candidates[:5]]  # the reranker's order is not the fused one
    assert [h.chunk.chunk_id for h in hits] == expected
    assert [round(h.score, 5) for h in hits] == [round(float(s), 5) for s in sorted(scores, reverse=True)[:5]]


def test_a_reranker_that_is_not_a_folder_is_refused(demo_store, embedder):
    from assistant.service import Assistant
    from assistant.settings import Settings

    with pytest.raises(ValueError, match="not a local model directory"):
        Assistant.open(Settings(store=demo_store, reranker="/nonexistent/model"), embedder=embedder).retriever
