# salessim: `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run baseline test bench install clean-results

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# The investments experiment, shrunk to about a minute on 2 cores, and its comparison report.
RUN_DIR := results/sweeps/investments_$(shell date +%Y-%m-%d_%H-%M-%S)
run: $(STAMP)
	$(BIN)/salessim -m experiment=investments sim.replications=3 hydra.sweep.dir=$(RUN_DIR)
	$(BIN)/salessim-compare $(RUN_DIR)

# One scenario with the default configuration.
baseline: $(STAMP)
	$(BIN)/salessim

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m pytest tests/benchmarks -m benchmark -s -q

clean-results:
	find results -mindepth 1 ! -name README.md -exec rm -rf {} +
