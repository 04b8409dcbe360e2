"""salessim: a discrete-event simulation of a B2B sales organization.

Notebook use (imported on first use, so ``help(salessim.run)`` shows each in full):

- ``salessim.run(overrides=None, *, scenario=None, out_dir=None, progress=None) -> Results``:
  run one scenario; ``overrides`` a list of 'key=value' strings or a mapping, e.g.
  ``{"fsm.span_of_control": 12, "investment": ["crm"]}``.
- ``salessim.load(path) -> Results``: the tables of a finished run or sweep job folder.
- ``Results``: ``summary``, ``opportunities``, ``sellers``, ``kpis``, ``fsm_months`` (and
  ``journey_events`` when traced) as DataFrames, ``manifest``, ``tables()``; docs/results.md
  describes every column.
- ``UserError``: raised with one readable line (``.message``) for bad input; ``ConfigError``, its
  kind for a bad setting, also has ``.key``, ``.value`` and ``.allowed``.
- ``RunNotice``: the warning category of what the command line says of a run on stderr.
"""

__version__ = "0.1.0"

_API = ("run", "load")
_ERRORS = ("UserError", "ConfigError")
_MORE = {"Results": "salessim.runner", "RunNotice": "salessim.notices"}
__all__ = [*_API, *_ERRORS, *_MORE]


def __getattr__(name: str):
    # The API is imported on first use: the commands import this package too, and need neither
    # pandas nor the engine before they have checked their arguments.
    if name in _API:
        from salessim import api
        return getattr(api, name)
    if name in _ERRORS:
        from salessim import errors
        return getattr(errors, name)
    if name in _MORE:
        import importlib
        return getattr(importlib.import_module(_MORE[name]), name)
    raise AttributeError(f"module 'salessim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
