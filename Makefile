# blurscan — the two set-up commands:
#   make demo   create .venv, install the runtime, make sample photos offline, scan them, print the ranking
#   make test   install the dev + training extras and run the suite (its quick part: a few minutes on 2 cores)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
# torch is pinned in the `train` extra (torch==2.13.0); pip never picks an unpinned torch here. On this project's
# machines pip takes the CPU wheel from their local wheel folder; elsewhere PyPI's Linux torch 2.13.0 is a CUDA build
# (several GB): `make test TORCH_INDEX=https://download.pytorch.org/whl/cpu` installs PyTorch's CPU build first.
TORCH_INDEX ?=
# How many processes run the suite (pytest-xdist, whole test files to each: --dist loadfile): the cores, at most 4;
# `make test JOBS=0` runs it in this one process.
JOBS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)
# The labelled photos `make model` trains on (../shared/data beside the checkout).
DATA ?= ../shared/data

.PHONY: demo test test-slow test-all test-browser lint install install-dev bench model clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(BIN)/activate
	$(PY) -m pip install --quiet -e '.[demo]'

install-dev: $(BIN)/activate
	$(if $(TORCH_INDEX),$(PY) -m pip install --quiet 'torch==2.13.0' --index-url $(TORCH_INDEX))
	$(PY) -m pip install --quiet -e '.[demo,dev,train]'

demo: install
	$(BIN)/blurscan demo demo/photos

# The suite without the tests marked `slow` (each over about a second on 2 cores: real training runs, killed
# processes, large scans) and `browser` (the review page in Chromium); `make test-slow` runs those, `make test-all`
# everything at once, and `.ci/run` both `make test` and `make test-slow`.
test: install-dev
	$(PY) -m pytest -q -n $(JOBS) --dist loadfile -m "not slow and not browser"

test-slow: install-dev
	$(PY) -m pytest -q -n $(JOBS) --dist loadfile -m "slow or browser"

test-all: install-dev
	$(PY) -m pytest -q -n $(JOBS) --dist loadfile

# The review page's browser tests alone (Debian's chromium: `apt-get install -y chromium`); without it they fail
# here, saying so, instead of skipping (as `make test-slow` and `make test-all` let them).
test-browser: install-dev
	BLURSCAN_REQUIRE_BROWSER=1 $(PY) -m pytest -q -n $(JOBS) --dist loadfile -m browser

# ruff's bug-finding rules ([tool.ruff.lint] in pyproject.toml; tests/test_lint.py runs the same in the suite)
lint: install-dev
	$(PY) -m ruff check --no-cache src bench tests

# Reproduce the shipped model (see docs/model-card.md).
model: install-dev
	$(BIN)/blurscan train $(DATA) --out src/blurscan/models/default.onnx --overwrite --seed 0 --threads 2 --card docs/model-card.md

# (the `bench` extra: CleanVision, whose row bench/accuracy.py's page and the README's Benchmarks show)
bench: install-dev
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/throughput.py
	$(PY) bench/accuracy.py
	$(PY) bench/bursts.py

clean:
	rm -rf demo build dist src/*.egg-info .pytest_cache artifacts
