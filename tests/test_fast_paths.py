"""Commands that need no model never load it: stats, a listing of decisions, an unchanged re-ingest,
errors in arguments and filters. The model takes ~15 s to load on two busy cores."""
import subprocess
import sys

from assistant.cli import main
from conftest import CORPUS, ROOT, FakeModel
from ingest.embed import DEFAULT_MODEL, Embedder, load_embedder, resolve_model_path, stated_dimension


def test_the_model_loads_at_the_first_encode_and_once():
    loads, said = [], []
    embedder = Embedder("fake", 384, lambda: loads.append(1) or FakeModel(), before_load=lambda: said.append(1))
    assert embedder.encode([]).shape == (0, 384) and not embedder.loaded
    embedder.encode(["a"])
    embedder.encode(["b", "c"])
    assert loads == [1] and said == [1]


def test_the_packaged_model_states_its_length_and_is_shared():
    assert stated_dimension(resolve_model_path(DEFAULT_MODEL)) == 384
    assert load_embedder() is load_embedder(DEFAULT_MODEL, None)


def test_read_only_commands_and_an_unchanged_reingest_never_load_the_model(fake_store, unloadable, capsys):
    store = str(fake_store)
    assert main(["stats", "--store", store]) == 0
    assert main(["decisions", "--store", store]) == 0
    assert main(["ingest", str(CORPUS), "--store", store]) == 0
    out = capsys.readouterr()
    assert "0 chunks embedded" in out.out and "embedding" not in out.err
    assert not unloadable.loaded


# Run in a fresh interpreter: sentence-transformers must not even be imported.
_NO_MODEL = """
import sys
from assistant.cli import main
for argv in ARGVS:
    try:
        main(argv)
    except SystemExit:
        pass
assert "sentence_transformers" not in sys.modules and "torch" not in sys.modules, "the model was loaded"
assert "mcp" not in sys.modules, "the MCP SDK was imported"
"""


def test_fast_commands_do_not_import_the_model(fake_store):
    store = str(fake_store)
    argvs = [["--version"], ["ask", "--help"], ["mcp", "--help"], ["stats", "--store", store],
             ["decisions", "--store", store], ["ingest", str(CORPUS), "--store", store],
             ["ask", "x", "--kind", "minute", "--store", store], ["inspections", "--store", store]]
    done = subprocess.run([sys.executable, "-c", _NO_MODEL.replace("ARGVS", repr(argvs))], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "loading the embedding model" not in done.stderr


_NO_CHROMA = """
import sys
from assistant.cli import main
assert main(["stats", "--store", STORE]) == 0
assert "chromadb" not in sys.modules, "stats opened Chroma"
"""


def test_stats_reads_the_manifest_and_the_saved_index_without_opening_chroma(fake_store):
    """Importing chromadb alone takes 1-3 s on two busy cores: stats must answer without it."""
    done = subprocess.run([sys.executable, "-c", _NO_CHROMA.replace("STORE", repr(str(fake_store)))], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "documents:" in done.stdout and "chunks:" in done.stdout
