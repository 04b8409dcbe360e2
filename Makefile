# salessim: `make run` and `make test` do all the set-up on a fresh machine.
# The interpreter of the project's venvs: Debian's Python 3.11 where the machine has it, else
# python3 (choose another with `make PYTHON=...` before the venv exists). Debian builds its Python
# with profile-guided and link-time optimization; on a source build without them, such as
# pyenv's default, the model runs 8% more instructions and 10-15% more time
# (docs/performance.md, "Python versions").
PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11) python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run baseline test test-ray bench install clean-results

# A venv in $(1) with an up-to-date pip. It is made without pip, which then comes from ensurepip,
# or, on a Debian Python without its python3-venv package (no ensurepip), from Debian's own pip
# wheel, which the system's python3-pip ships.
define make_venv
	@test -x $(1)/bin/python || $(PYTHON) -m venv --without-pip $(1)
	@$(1)/bin/python -m pip --version >/dev/null 2>&1 || $(1)/bin/python -m ensurepip --quiet 2>/dev/null \
	  || $(1)/bin/python $(firstword $(wildcard /usr/share/python-wheels/pip-*.whl))/pip install --quiet pip
	$(1)/bin/python -m pip install --quiet --upgrade pip
endef

$(STAMP): pyproject.toml
	$(call make_venv,$(VENV))
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
	$(call make_venv,$(RAY_VENV))
	$(RAY_VENV)/bin/python -m pip install --quiet -e '.[dev,ray]'
	@touch $(RAY_STAMP)

test-ray: $(RAY_STAMP)
	$(RAY_VENV)/bin/python -c 'import ray, hydra_plugins.hydra_ray_launcher'
	$(RAY_VENV)/bin/python -m pytest tests/test_launchers.py -rs

bench: $(STAMP)
	$(BIN)/python -m pytest tests/benchmarks -m benchmark -s -q

clean-results:
	find results -mindepth 1 ! -name README.md -exec rm -rf {} +
