"""The console commands' entry points. Each imports its command's module (pandas, Hydra, the
engine: about half a second) with Ctrl-C already ending the command in one line, as it does
once the command runs; the modules themselves stay importable without side effects."""

from __future__ import annotations

import atexit
import importlib
import signal
import sys
import time
from collections.abc import Callable

from salessim.interrupt import (EXIT_INTERRUPTED, TERMINATING, handler_behind, interrupt_ends_quietly,
                                is_quiet, quiet_until)

# How long after its work a command's shutdown ignores a stop, taken for the end of one that came
# with that end; a later stop ends a shutdown that hangs. (A 2-job sweep's shutdown, its workers'
# included, took about a second on a busy 2-core host.)
LATE_STOP_SECONDS = 2.0


def _command(prog: str, module: str, function: str = "main") -> Callable[[], None]:
    def run() -> None:
        # Registered before the command's libraries are imported, so it runs after their exit
        # steps (atexit runs the last registered first)
        atexit.register(_stops_ignored_to_the_end)
        try:
            entry = getattr(importlib.import_module(module), function)
        except KeyboardInterrupt:
            print(f"{prog}: interrupted; nothing was written (it was starting)", file=sys.stderr)
            sys.exit(EXIT_INTERRUPTED)
        try:
            entry()
        finally:
            # Its work done, or its exit decided: a stop that comes as the interpreter ends (the
            # second of `timeout`'s two signals, a Ctrl-C a moment late) found the signals back
            # in their default hands, and ended the command by the signal, without a word, with
            # status 130 or 143 after complete results. A later one ends a shutdown that hangs.
            until = time.monotonic() + LATE_STOP_SECONDS
            for sig in (signal.SIGINT, *TERMINATING):
                ignored = handler_behind(sig) is signal.SIG_IGN  # a background job's SIGINT stays so
                signal.signal(sig, quiet_until(until, signal.SIG_IGN if ignored else signal.SIG_DFL))
    return run


def _stops_ignored_to_the_end() -> None:
    """Python gives the signals its handlers hear back to their defaults (SIG_DFL) as it finishes,
    after the exit steps: a stop then, the quiet_until handler gone, killed the command by the
    signal (`timeout -s INT`'s second SIGINT, 20 ms after the first). Ignored instead, as Python
    leaves an ignored signal."""
    for sig in (signal.SIGINT, *TERMINATING):
        if is_quiet(signal.getsignal(sig)):  # the command's work is done (run's finally)
            signal.signal(sig, signal.SIG_IGN)


def version_asked(argv: list[str], prog: str) -> bool:
    """``--version`` prints salessim's version (Hydra would print only its own) and what it runs on."""
    if "--version" not in argv:
        return False
    # A stop as the line prints, before the command's end quiets stops, gave a traceback
    with interrupt_ends_quietly(prog, "nothing was written", starts_workers=False):
        import hydra
        import simpy

        from salessim import __version__
        print(f"{prog} {__version__} (Hydra {hydra.__version__}, SimPy {simpy.__version__})", flush=True)
    return True


salessim = _command("salessim", "salessim.cli")
salessim_compare = _command("salessim-compare", "salessim.compare_command")
salessim_rerun = _command("salessim-rerun", "salessim.rerun", "cli")
salessim_calibrate = _command("salessim-calibrate", "salessim.calibration.cli")
