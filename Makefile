# salessim: `make run` and `make test` do all the set-up on a fresh machine.
# The interpreter of the project's venvs: Debian's Python 3.11 where the machine has it, else
# python3. Another is chosen with `make PYTHON=... install` before the venv exists; an existing
# venv keeps its interpreter until it is removed (`rm -rf .venv .venv-ray`). Debian builds its
# Python with profile-guided and link-time optimization; on a source build without them, such as
# pyenv's default, the model runs 8% more instructions and 10-15% more time
# (docs/performance.md, "Python versions").
PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11) python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run baseline test test-ray bench install install-ray clean-results

# A venv in $(1) with an up-to-date pip. It is made without pip, which then comes from ensurepip
# (offline), or, on a Debian Python without its python3.11-venv package (no ensurepip), from the
# system's pip (python3-pip), told to install into the venv. Should both fail, make says so; the
# next make tries again on the same venv.
define make_venv
	@test -x $(1)/bin/python || { echo "creating $(1) on $(PYTHON)"; $(PYTHON) -m venv --without-pip $(1); }
	@$(1)/bin/python -m pip --version >/dev/null 2>&1 || $(1)/bin/python -m ensurepip >/dev/null 2>&1 \
	  || $(PYTHON) -m pip --python $(1)/bin/python install --quiet pip \
	  || { echo "make: $(1) has no pip: $(PYTHON) has no ensurepip (on Debian: python3.11-venv)" \
	       "and its own pip could not install one (above); or choose another interpreter with" \
	       "make PYTHON=... after rm -rf $(1)" >&2; exit 1; }
	$(1)/bin/python -m pip install --quiet --upgrade pip
endef

# -qq: errors only; setuptools' boxed notice on every editable install of a flat layout ("be careful
# with folders ... with the same name as your package") alarmed first-time users and asks nothing.
$(STAMP): pyproject.toml
	$(call make_venv,$(VENV))
	$(BIN)/python -m pip install -qq -e '.[dev]'
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

# The suite on every core (pytest-xdist; TEST_WORKERS=0 for one process), a test file per worker at
# a time, so that a file's shared fixtures (a sweep its tests read) are built once.
TEST_WORKERS ?= auto
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# The launcher tests with the Ray extra, in a venv of their own (the extra pins cloudpickle<3 and so
# joblib<1.6; the main venv keeps the default install). Ray runs on this machine only.
RAY_VENV  := .venv-ray
RAY_STAMP := $(RAY_VENV)/.installed

$(RAY_STAMP): pyproject.toml
	$(call make_venv,$(RAY_VENV))
	$(RAY_VENV)/bin/python -m pip install -qq -e '.[dev,ray]'
	@touch $(RAY_STAMP)

install-ray: $(RAY_STAMP)

test-ray: $(RAY_STAMP)
	$(RAY_VENV)/bin/python -c 'import ray, hydra_plugins.hydra_ray_launcher'
	$(RAY_VENV)/bin/python -m pytest tests/test_launchers.py -rs

bench: $(STAMP)
	$(BIN)/python -m pytest tests/benchmarks -m benchmark -s -q

clean-results:
	find results -mindepth 1 ! -name README.md -exec rm -rf {} +
