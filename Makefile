# salessim: `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run baseline test test-ray bench install clean-results

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

# The launcher tests with the Ray extra, in a venv of their own (the extra pins cloudpickle<3 and so
# joblib<1.6; the main venv keeps the default install). Ray runs on this machine only.
RAY_VENV  := .venv-ray
RAY_STAMP := $(RAY_VENV)/.installed

$(RAY_STAMP): pyproject.toml
	@test -x $(RAY_VENV)/bin/python || $(PYTHON) -m venv $(RAY_VENV)
	$(RAY_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(RAY_VENV)/bin/python -m pip install --quiet -e '.[dev,ray]'
	@touch $(RAY_STAMP)

test-ray: $(RAY_STAMP)
	$(RAY_VENV)/bin/python -c 'import ray, hydra_plugins.hydra_ray_launcher'
	$(RAY_VENV)/bin/python -m pytest tests/test_launchers.py -rs

bench: $(STAMP)
	$(BIN)/python -m pytest tests/benchmarks -m benchmark -s -q

clean-results:
	find results -mindepth 1 ! -name README.md -exec rm -rf {} +
