#!/bin/sh
# Install the CPU build of torch into a virtual environment, before Clerk itself.
#
#   sh scripts/install-torch.sh [PYTHON]        (default .venv/bin/python)
#
# Why: sentence-transformers needs torch, and `pip install torch` from PyPI alone gives Linux the CUDA
# build, which pulls in about 19 NVIDIA wheels (several GB) that Clerk never uses: it runs on the CPU.
# So, in order, the first that works:
#   1. torch is already installed in that environment: nothing to do;
#   2. a torch wheel that pip can find on this machine (pip's find-links, e.g. /opt/wheels): no network;
#   3. PyTorch's own CPU wheel index, with a short time-out, so that an offline machine moves on quickly;
#   4. the default index, as a last resort: on Linux that is the large CUDA build.
# Environment: TORCH_VERSION (default 2.13.0, as pinned in pyproject.toml); TORCH_CPU_INDEX (default
# PyTorch's CPU index); TORCH_SKIP_LOCAL=1 skips step 2, to try step 3 by hand.
set -eu

PY=${1:-.venv/bin/python}
VERSION=${TORCH_VERSION:-2.13.0}
CPU_INDEX=${TORCH_CPU_INDEX:-https://download.pytorch.org/whl/cpu}
LOG=$(mktemp "${TMPDIR:-/tmp}/install-torch.XXXXXX")
trap 'rm -f "$LOG"' EXIT

say() { echo "install-torch: $*" >&2; }

# 1. find_spec, not `import torch`: the import alone takes seconds, and this runs on every set-up.
if "$PY" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("torch") is None)' 2>/dev/null; then
    say "torch $("$PY" -c 'from importlib.metadata import version; print(version("torch"))') is already installed"
    exit 0
fi

# 2. --no-index: only wheels on this machine, so where there are none this fails at once, without the
# network. --no-deps because torch's own dependencies are not among them; the second command gets those
# from the usual indexes and keeps the torch just installed, which already satisfies the pin.
if [ -z "${TORCH_SKIP_LOCAL:-}" ] && "$PY" -m pip install --quiet --no-index --no-deps "torch==$VERSION" >"$LOG" 2>&1; then
    say "torch $VERSION from a wheel on this machine"
    "$PY" -m pip install --quiet "torch==$VERSION"
    exit 0
fi

# 3. PyTorch's CPU index holds torch's dependencies too, so it can be the only index.
say "no torch wheel on this machine; trying PyTorch's CPU index ($CPU_INDEX, 15 s time-out)"
if "$PY" -m pip install --quiet --timeout 15 --retries 1 --index-url "$CPU_INDEX" "torch==$VERSION" >"$LOG" 2>&1; then
    say "torch $VERSION (CPU build) from $CPU_INDEX"
    exit 0
fi
if grep -qiE 'NewConnectionError|timed out|timeout|Could not fetch|SSLError|ProxyError' "$LOG"; then
    say "PyTorch's CPU index could not be reached from here"
else
    say "PyTorch's CPU index did not give torch $VERSION: $(grep ERROR "$LOG" | tail -n 1)"
fi

# 4. As before this script existed: right on macOS and Windows, several GB on Linux.
say "falling back to the default index: on Linux this may be the large CUDA build (several GB)"
"$PY" -m pip install --quiet "torch==$VERSION"
