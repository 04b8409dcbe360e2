"""salessim: a discrete-event simulation of a B2B sales organization.

Notebook use: ``salessim.run(overrides)`` and ``salessim.load(path)`` (see salessim.api); both
raise ``salessim.UserError`` (a ``ConfigError`` for a bad setting) with one readable line.
"""

__version__ = "0.1.0"

_API = ("run", "load")
_ERRORS = ("UserError", "ConfigError")


def __getattr__(name: str):
    # The API is imported on first use: the commands import this package too, and need neither
    # pandas nor the engine before they have checked their arguments.
    if name in _API:
        from salessim import api
        return getattr(api, name)
    if name in _ERRORS:
        from salessim import errors
        return getattr(errors, name)
    raise AttributeError(f"module 'salessim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API, *_ERRORS])
