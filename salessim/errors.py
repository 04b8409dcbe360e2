"""User-facing errors: one readable line, exit status 2, no traceback; Ctrl-C: one line, 130."""

from __future__ import annotations

import _thread
import argparse
import contextlib
import os
import signal
import sys
import threading
from multiprocessing import resource_tracker
from typing import Any, Iterator, NoReturn

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 128 + signal.SIGINT


class UserError(Exception):
    """Bad input from the user (config, overrides, files). Reported as one line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = " ".join(message.split())  # always one line


class ConfigError(UserError):
    """A config value that is not allowed: names the key, the value and what is allowed."""

    def __init__(self, key: str, value: Any, allowed: str) -> None:
        self.key, self.value, self.allowed = key, value, allowed
        super().__init__(f"{key}={_show(value)} is not allowed: {allowed}")


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."


class OneLineArgumentParser(argparse.ArgumentParser):
    """argparse whose errors are one UserError line (exit 2 via exit_with), not usage + error."""

    def __init__(self, *args: Any, allowed: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def error(self, message: str) -> NoReturn:
        raise UserError(f"{message} (allowed: {self.allowed or self.format_usage().strip()})")


def exit_with(error: UserError, prog: str = "salessim") -> NoReturn:
    print(f"{prog}: error: {error.message}", file=sys.stderr)
    sys.exit(EXIT_BAD_INPUT)


@contextlib.contextmanager
def interrupt_ends_quietly(prog: str, kept: str) -> Iterator[None]:
    """Ctrl-C ends the command with one line ``<prog>: interrupted; <kept>`` and exit status 130.

    The terminal sends Ctrl-C to every process of the command, and each joblib/loky worker would
    print its own traceback (or die mid-import). So SIGINT is blocked here: processes started
    from now on inherit the blocked signal (it survives fork and exec) and never see it, while a
    thread of this process waits for it and raises KeyboardInterrupt in the main thread, where
    joblib stops its workers. A second Ctrl-C, while that clean-up runs, exits at once.
    """
    relay = (_SigintRelay() if hasattr(signal, "pthread_sigmask")  # POSIX only
             and threading.current_thread() is threading.main_thread() else None)
    try:
        yield
    except KeyboardInterrupt:
        print(f"{prog}: interrupted; {kept}", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    finally:
        if relay:
            relay.stop()


class _SigintRelay:
    """Blocks SIGINT in this process and turns each one into KeyboardInterrupt in the main thread."""

    def __init__(self) -> None:
        _start_resource_trackers()
        self.previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        self.stopping = self.interrupted = False
        self.thread = threading.Thread(target=self._run, name="sigint-relay", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            signal.sigwait({signal.SIGINT})
            if self.stopping:
                return
            if self.interrupted:
                os._exit(EXIT_INTERRUPTED)
            self.interrupted = True
            _thread.interrupt_main()

    def stop(self) -> None:
        """Ends the thread and restores the signal mask (matters when main() runs in-process)."""
        self.stopping = True
        signal.pthread_kill(self.thread.ident, signal.SIGINT)
        self.thread.join()
        signal.pthread_sigmask(signal.SIG_SETMASK, self.previous)


def _start_resource_trackers() -> None:
    """Start the resource trackers of multiprocessing and of loky (joblib's workers, and theirs,
    use them) before SIGINT is blocked: started later, multiprocessing's would unblock SIGINT in
    the thread that starts it, and so in every worker started after it. They are told to ignore
    their warning about the semaphores of workers that joblib killed, which they clean up anyway."""
    from joblib.externals.loky.backend import resource_tracker as loky_tracker

    quiet = "ignore:resource_tracker:UserWarning"
    sys.warnoptions.append(quiet)  # a tracker's command line copies these options
    try:
        resource_tracker.ensure_running()
        loky_tracker.ensure_running()
    finally:
        sys.warnoptions.remove(quiet)
