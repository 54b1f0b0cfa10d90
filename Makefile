# Agora: `make run` sets everything up and indexes corpus/; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INDEX ?= index
CORPUS ?= corpus
BENCH_COMMENTS ?= 100000
STAMP := $(VENV)/.installed

.PHONY: install run test bench lint golden clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $(STAMP)

run: install
	$(BIN)/agora reindex --corpus $(CORPUS) --index $(INDEX)
	$(BIN)/agora stats --index $(INDEX)
	$(BIN)/agora serve --index $(INDEX)

test: install
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	$(BIN)/python -m pytest -q

bench: install
	command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)
	$(BIN)/python -m bench.run --comments $(BENCH_COMMENTS)
	$(BIN)/python -m bench.load --index bench/out/index-$(BENCH_COMMENTS)

lint: install
	$(BIN)/ruff check indexer webui tests bench

golden: install
	$(BIN)/python -m tests.golden $(CASES)

clean:
	rm -rf $(INDEX) bench/out .pytest_cache
