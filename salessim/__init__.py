"""salessim: a discrete-event simulation of a B2B sales organization.

Notebook use: ``salessim.run(overrides)`` and ``salessim.load(path)`` (see salessim.api).
"""

__version__ = "0.1.0"


def run(*args, **kwargs):
    from salessim.api import run as _run
    return _run(*args, **kwargs)


def load(*args, **kwargs):
    from salessim.api import load as _load
    return _load(*args, **kwargs)


run.__doc__ = "Run a scenario from Hydra-style overrides; see salessim.api.run."
load.__doc__ = "Load a finished job folder's tables; see salessim.api.load."
