"""Ctrl-C: one line ``<prog>: interrupted; <what is kept>``, exit status 130, and quiet workers;
a SIGTERM (``kill``, a batch scheduler's stop) alike: ``<prog>: terminated; ...``, exit status 143;
and a SIGHUP (the terminal closed): ``<prog>: hung up; ...``, exit status 129."""

from __future__ import annotations

import _thread
import contextlib
import math
import multiprocessing
import os
import re
import signal
import sys
import threading
import time
import weakref
from multiprocessing import resource_tracker
from typing import Callable, Iterator, Sequence

from salessim.errors import said_kept
from salessim.terminal import terminal_line

EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_TERMINATED = 128 + signal.SIGTERM
EXIT_HUNG_UP = 128 + signal.SIGHUP
# The signals that end a command as Ctrl-C does, besides SIGINT: each with its word and status.
TERMINATING = (signal.SIGTERM, signal.SIGHUP)
# The signals blocked for a command's workers and handed on by its relay's thread (_SigintRelay).
RELAYED = {signal.SIGINT, signal.SIGHUP}
# A signal this soon after the first is the same stop: `timeout` signals the command and then its
# process group (SIGINT too, with -s INT), a batch scheduler every process of the job; only a later
# one forces the exit.
SAME_STOP_SECONDS = 1.0
# How long after a library dropped a stop it is raised again: time for the main thread to leave
# the code that dropped it (dropped again, it is raised again).
STOP_AGAIN_SECONDS = 0.01


class Stop(KeyboardInterrupt):
    """The KeyboardInterrupt a stop raises (_Stops). A library can drop it unseen: C code that
    calls Python and clears whatever error that raised (numpy, comparing a dtype with one pandas
    made), or a finalizer, whose errors Python drops. One freed before the command caught it is
    raised again (_Stops._freed): dropped, it left a run going on after Ctrl-C, and the signal
    `timeout` sends just after to the group, taken for the same stop, was ignored. So code that
    swallows a Ctrl-C on purpose, or raises a new KeyboardInterrupt in its place once it has let
    go of this one, gets it again (Ray does the latter: a sweep on Ray is left out)."""


class Terminated(Stop):
    """A SIGTERM, ended as Ctrl-C ends a command: the same clean-up, its own word and status."""


class HungUp(Terminated):
    """A SIGHUP: the terminal closed (or its session ended). Left to its default, it killed the
    command at once, its run's folder left behind; now it is ended as a SIGTERM is."""


@contextlib.contextmanager
def interrupt_ends_quietly(prog: str, kept: str | Callable[[], str], starts_workers: bool = True,
                           on_ray: bool = False, tidied: Callable[[], str] | None = None,
                           whole: Sequence[str] = ()) -> Iterator[None]:
    """Ctrl-C ends the command with one line ``<prog>: interrupted; <kept>`` and exit status 130
    (``kept``: the text, or a function that says it at the stop).

    The terminal sends Ctrl-C to every process of the command, and each joblib/loky worker would
    print its own traceback (or die mid-import). So SIGINT is blocked here: processes started
    from now on inherit the blocked signal (it survives fork and exec) and never see it. This
    process still hears it (see _SigintRelay) as a KeyboardInterrupt in the main thread, where
    joblib stops its workers; a second Ctrl-C, SAME_STOP_SECONDS or more after the first and
    while that clean-up runs, ends them and exits (one sooner is the same stop).
    A body that starts no processes (``starts_workers=False``) needs none of that. A sweep on Ray
    (``on_ray``): see _with_ray. ``tidied``, once the body has stopped, clears what it left half
    done and says what stays, in place of ``kept`` (a second stop, which forces the exit, says that).
    The line wraps at the terminal's width, never inside the folders ``whole`` names.
    """
    said = False
    hearing: list[_Stops] = []  # what hears the signals here: the relay, or the SIGTERM's _Stops

    def say_and_exit(e: KeyboardInterrupt) -> None:
        nonlocal said
        for stops in hearing:
            stops.caught = True
        # A library can catch the Terminated and raise a plain KeyboardInterrupt in its place
        # (Ray's ray.get does, on every signal it checks for): the relay knows which stop it was.
        hung_up = isinstance(e, HungUp) or any(stops.terminated_by == signal.SIGHUP for stops in hearing)
        terminated = isinstance(e, Terminated) or any(stops.terminated for stops in hearing)
        word, status = (("hung up", EXIT_HUNG_UP) if hung_up else ("terminated", EXIT_TERMINATED)
                        if terminated else ("interrupted", EXIT_INTERRUPTED))
        if not said:  # once, whichever of the two handlers below hears it first
            said = True
            what = said_kept(kept)
            if tidied is not None:
                try:
                    what = tidied()
                except OSError:  # a folder that cannot be read: what is kept, said as ever
                    pass
            try:
                print(terminal_line(f"{prog}: {word}; {what}", sys.stderr, whole), file=sys.stderr)
            except OSError:  # the terminal is gone (it hung up): the clean-up is done all the same
                pass
        sys.exit(status)

    try:
        # Ray swaps a stop for its own KeyboardInterrupt (see say_and_exit): the stop it frees is
        # not dropped, and raised again it would cut Ray's shutdown short.
        relay = _SigintRelay.start(prog, kept, raises_dropped=not on_ray) if starts_workers else None
        hearing += [relay] if relay else []
        try:
            with (_with_ray(relay) if on_ray and relay else
                  _terminated_as_interrupted(prog, kept, hearing) if not starts_workers
                  else contextlib.nullcontext()):
                yield
        except KeyboardInterrupt as e:
            # Said while the relay still hears the signals: once it has given them back to
            # their defaults, a second SIGTERM (timeout's to the whole group) would end the
            # process before its line.
            say_and_exit(e)
        except Exception as e:
            # Ctrl-C inside a library's clean-up (OmegaConf's, while Hydra composes a job) can
            # surface as the error that clean-up raised in turn: the interruption it hides; or,
            # the stop dropped by a library on the way, as an error with no trace of it.
            if (found := interrupt_behind(e)) is None:
                heard = next((s for s in hearing if s.interrupted), None)
                if heard is None:
                    raise
                found = heard.new_stop()
            say_and_exit(found)
        finally:
            if relay:
                relay.stop()
    except KeyboardInterrupt as e:  # one that lands while the relay stops
        say_and_exit(e)


@contextlib.contextmanager
def _terminated_as_interrupted(prog: str, kept: str | Callable[[], str],
                               hearing: list["_Stops"]) -> Iterator[None]:
    """A SIGTERM to a command that starts no workers (and so needs no relay) ends it as Ctrl-C
    does, its clean-up run: left to its default, it killed salessim-compare at once, without a
    word, its half-built comparison folder left behind. Ctrl-C too is heard by the relay's stops
    (_Stops), added to ``hearing``: one that a library drops (matplotlib, saving a figure) is
    raised again, and the error it may leave behind is taken for the stop (a walk's Ctrl-C
    ended salessim-compare with 'Invalid bounding box' and a traceback)."""
    defaults = {signal.SIGINT: signal.default_int_handler}
    heard = [sig for sig in (signal.SIGINT, *TERMINATING)  # nohup: SIGHUP ignored
             if handler_behind(sig) is defaults.get(sig, signal.SIG_DFL)]
    if threading.current_thread() is not threading.main_thread() or not heard:
        yield
        return
    stops = _Stops(prog, kept)
    hearing.append(stops)
    previous = {sig: signal.signal(sig, stops._on_stop) for sig in heard}
    try:
        yield
    finally:
        try:  # ended first: a dropped stop raised again after this would find the previous handler
            stops.end()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


@contextlib.contextmanager
def _with_ray(relay: "_SigintRelay") -> Iterator[None]:
    """ray.init takes SIGTERM for itself (a handler that exits, and a C handler that aborts the
    process 3 s later, with a stack dump): the relay takes it back once Ray has started. A stop
    shuts Ray down at once, so that the jobs queued behind the running ones do not start."""
    import ray
    init = ray.init

    def init_then_reclaim(*args, **kwargs):
        try:
            return init(*args, **kwargs)
        except Exception as e:
            # Settings Ray refuses (hydra.launcher.ray.init: a misspelt keyword, an address or
            # token it cannot reach) surface here, inside Hydra's launcher: one line, not Ray's
            # traceback through Hydra's. Nothing has run; the sweep's folder goes with its record.
            from salessim.compose import first_line
            from salessim.errors import ConfigError, exit_with
            said = first_line(e)
            unknown = re.match(r"Unknown keyword argument\(s\): (\w+)", said)
            if unknown:
                exit_with(ConfigError(f"hydra.launcher.ray.init.{unknown[1]}", kwargs.get(unknown[1]),
                                      f"a keyword argument ray.init takes (Ray: {said}; docs/distributed.md)"))
            address = kwargs.get("address")
            if "object_store_memory must not be provided" in said:  # joining a running cluster
                exit_with(ConfigError("hydra.launcher.ray.init.object_store_memory",
                                      kwargs.get("object_store_memory"), "null where Ray joins a running "
                                      f"cluster (here address={address}): add "
                                      "+hydra.launcher.ray.init.object_store_memory=null, or "
                                      "hydra.launcher.ray.init.address=local for an instance of its own "
                                      "(docs/distributed.md)"))
            exit_with(ConfigError("hydra.launcher.ray.init.address", address, "an address of a Ray "
                                  f"cluster that can be reached and joined, or local (Ray could not "
                                  f"start: {type(e).__name__}: {said}; docs/distributed.md)"))
        finally:
            relay.reclaim()

    ray.init = init_then_reclaim
    try:
        yield
    except KeyboardInterrupt:
        # Whether or not ray.init had finished: the processes it had started by then (its
        # dashboard and runtime-env agents) would outlive the command. Safe when it started none.
        ray.shutdown()
        raise
    finally:
        ray.init = init


RAY_LOG_RELAY_SECONDS = 1.0


def stop_ray() -> None:
    """Shut Ray down, if a sweep started it, while a Ctrl-C still ends the command with its one
    line: Ray's own exit hook would do it after, where a Ctrl-C printed a traceback and the command
    exited 0. Its shutdown also relays the jobs' last lines, so the sweep's own line comes after
    them, last, as the README says."""
    ray = sys.modules.get("ray")
    if ray is not None and ray.is_initialized():
        # The jobs' lines reach the driver through Ray's log monitor, which reads their files every
        # 0.1 s; a shutdown at once drops those still on the way (Ray's exit hook waits 0.5 s).
        time.sleep(RAY_LOG_RELAY_SECONDS)
        ray.shutdown()


@contextlib.contextmanager
def interrupt_seen_through() -> Iterator[None]:
    """A library's clean-up after Ctrl-C can fail on its own (Optuna's journal file lock, caught
    mid-release: FileNotFoundError), and the new error then hides the KeyboardInterrupt in its
    context. Raise it as the interruption it was, for the one line, not a traceback."""
    try:
        yield
    except Exception as e:
        if (found := interrupt_behind(e)) is not None:
            raise type(found) from None  # a SIGTERM's stays one: "terminated", exit 143
        raise


def interrupt_behind(e: BaseException | None) -> KeyboardInterrupt | None:
    """The KeyboardInterrupt (Ctrl-C, or a SIGTERM's Terminated) among the exceptions ``e`` was
    raised while handling, if any."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [e]
    while todo:
        cause = todo.pop()
        if cause is None or id(cause) in seen:
            continue
        if isinstance(cause, KeyboardInterrupt):
            return cause
        seen.add(id(cause))
        todo += [cause.__cause__, cause.__context__]
    return None


def caused_by_interrupt(e: BaseException | None) -> bool:
    """Whether a KeyboardInterrupt is among the exceptions ``e`` was raised while handling."""
    return interrupt_behind(e) is not None


class _Stops:
    """What a stop does: the first Ctrl-C or SIGTERM is a KeyboardInterrupt (a Stop, a Terminated),
    raised in the main thread for the command's clean-up; a signal within SAME_STOP_SECONDS of the
    first is the same stop; any later one ends the workers and the process at once. A Stop that a
    library drops (``raises_dropped``) is raised again."""

    def __init__(self, prog: str, kept: str | Callable[[], str], raises_dropped: bool = True) -> None:
        self.prog, self.kept = prog, kept
        self.interrupted = False
        self.stopped_at = -math.inf  # when the first stop came
        self.terminated_by: int | None = None  # the first stop's signal, if it was one of TERMINATING
        self.raises_dropped = raises_dropped
        # the stop reached the handler of the interrupt_ends_quietly this hears for: it is ending
        self.caught = False
        self.dropped = False  # a library dropped the stop: the next call of _on_stop raises it again
        self.ended = False  # its context is over: a Stop freed now is not raised again
        # held across ended's check and the signal that raises a dropped stop again, so that the
        # signal never reaches the handlers the context gives back (a default's: the end, unsaid)
        self.lock = threading.Lock()
        self.unraisablehook = None  # the one before _quiet_about_stops, while that one stands
        if raises_dropped:
            self.unraisablehook, sys.unraisablehook = sys.unraisablehook, self._quiet_about_stops

    def _on_stop(self, signum, frame) -> None:
        if self.dropped and (self.caught or self.ended):
            # taken for dropped, it was swapped for another KeyboardInterrupt that the command then
            # caught: a later signal forces the exit as ever
            self.dropped = False
        if self.interrupted and not self.dropped:
            if time.monotonic() - self.stopped_at < SAME_STOP_SECONDS:
                # The same stop again: `timeout` and batch schedulers signal the whole group. Taken
                # as a second Ctrl-C, it skipped the clean-up: a stopped run's folder stayed.
                return
            # the first was slow to end the command, or swallowed by a library
            for child in multiprocessing.active_children():  # they block SIGINT: end them here
                try:  # os.kill: loky's processes have no kill() of their own
                    os.kill(child.pid, signal.SIGKILL)
                except (ProcessLookupError, TypeError):  # gone already, or never started
                    pass
            word, status = (("terminated", EXIT_TERMINATED) if signum == signal.SIGTERM
                            else ("hung up", EXIT_HUNG_UP) if signum == signal.SIGHUP
                            else ("interrupted", EXIT_INTERRUPTED))
            with contextlib.suppress(OSError):  # a terminal that hung up takes no line
                os.write(sys.stderr.fileno(), f"{self.prog}: {word}; {said_kept(self.kept)}\n".encode())
            os._exit(status)
        if not self.interrupted:
            self.interrupted = True
            self.stopped_at = time.monotonic()
            if signum in TERMINATING:
                self.terminated_by = signum
        self.dropped = False
        stop = self.new_stop()
        if self.raises_dropped:
            weakref.finalize(stop, self._freed, signum).atexit = False
        try:
            raise stop
        finally:
            del stop  # its traceback holds this frame: a cycle that only the collector would free

    def _freed(self, signum: int) -> None:
        """A Stop freed before the command caught it was dropped on the way: raised again from
        another thread, once this code has gone on (one raised in here, a finalizer, would be
        dropped as well)."""
        if not (self.caught or self.ended):
            self.dropped = True
            threading.Thread(target=self._raise_again, args=(signum,), name="stop-again", daemon=True).start()

    def _raise_again(self, signum: int) -> None:
        time.sleep(STOP_AGAIN_SECONDS)
        with self.lock:
            if not (self.caught or self.ended):
                self._signal_main_thread(signum)

    def _signal_main_thread(self, signum: int) -> None:
        # The signal itself, not _thread.interrupt_main: it also wakes a main thread that waits
        # (where the signal is not blocked; the relay hands a SIGINT on as it does its own).
        signal.pthread_kill(threading.main_thread().ident, signum)

    def _quiet_about_stops(self, unraisable) -> None:
        """sys.unraisablehook: a finalizer's dropped Stop is raised again, not printed."""
        if not isinstance(unraisable.exc_value, Stop):
            self.unraisablehook(unraisable)

    def end(self) -> None:
        """Its context is over (called before the signals go back to their handlers before it): a
        Stop freed from now on is not raised again, and sys.unraisablehook is given back."""
        with self.lock:
            self.ended = True
        if self.unraisablehook is not None and sys.unraisablehook == self._quiet_about_stops:
            sys.unraisablehook = self.unraisablehook

    @property
    def terminated(self) -> bool:
        """Whether the stop was a SIGTERM or a SIGHUP."""
        return self.terminated_by is not None

    def new_stop(self) -> Stop:
        """The KeyboardInterrupt of the first stop's signal: a HungUp, a Terminated or a Stop."""
        return (HungUp() if self.terminated_by == signal.SIGHUP else Terminated() if self.terminated
                else Stop())


class _SigintRelay(_Stops):
    """Blocks SIGINT for the processes this one starts, and keeps hearing it here. A SIGTERM to
    this process (``kill``, a batch scheduler's stop) ends it as Ctrl-C does; it is not blocked
    for the workers, whose own libraries stop them with it (Ray's processes).

    The kernel hands a process's SIGINT to any thread that does not block it: a thread that
    existed before the block (numpy's BLAS threads), whose interpreter-level handler then runs
    in the main thread, or else, when every thread blocks it, to this relay's thread waiting in
    sigwait, which hands it on to the same handler. Either way the handler (_Stops) decides.
    """

    @classmethod
    def start(cls, prog: str, kept: str | Callable[[], str],
              raises_dropped: bool = True) -> "_SigintRelay | None":
        """A relay, or None where none is needed or possible: not POSIX, not the main thread, or
        neither signal in its default hands (SIGINT is ignored in a job a shell starts in the
        background, where SIGTERM is how it is stopped)."""
        if (not hasattr(signal, "pthread_sigmask")
                or threading.current_thread() is not threading.main_thread()):
            return None
        heard = {sig for sig, default in ((signal.SIGINT, signal.default_int_handler),
                                          *((sig, signal.SIG_DFL) for sig in TERMINATING))
                 # or held by the checks around a sweep (_terminated_as_interrupted): the sweep's now
                 if (held := handler_behind(sig)) is default
                 or type(getattr(held, "__self__", None)) is _Stops}
        return cls(prog, kept, heard, raises_dropped) if heard else None

    def __init__(self, prog: str, kept: str | Callable[[], str], heard: set[int],
                 raises_dropped: bool = True) -> None:
        # SIGHUP blocked before the resource trackers start, which inherit it: a closed terminal
        # sends it to the whole group, and the trackers (which ignore SIGINT and SIGTERM alone) and
        # the workers died of it, each with a traceback. SIGINT after them (_start_resource_trackers).
        self.previous_mask = signal.pthread_sigmask(signal.SIG_BLOCK, RELAYED - {signal.SIGINT})
        _start_resource_trackers()
        super().__init__(prog, kept, raises_dropped)
        self.heard, self.stopping = heard, False
        self.previous_handlers = {sig: signal.signal(sig, self._on_stop) for sig in heard}
        # The relay's own wake-up (stop()) is SIGINT: blocked and waited for even when ignored.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        self.thread = threading.Thread(target=self._wait, name="sigint-relay", daemon=True)
        self.thread.start()

    def _wait(self) -> None:
        while True:
            signum = signal.sigwait(RELAYED)
            if self.stopping:
                return
            if signum in self.heard:  # an ignored SIGINT (or SIGHUP, under nohup) stays ignored
                _thread.interrupt_main(signum)  # runs _on_stop in the main thread

    def _signal_main_thread(self, signum: int) -> None:
        if signum in RELAYED:  # blocked in the main thread: handed on as the relay does
            _thread.interrupt_main(signum)
        else:
            super()._signal_main_thread(signum)

    def reclaim(self) -> None:
        """Hears its signals again after a library took them (ray.init)."""
        for sig in self.heard:
            signal.signal(sig, self._on_stop)

    def stop(self) -> None:
        """Ends the thread and restores the signal mask and handlers (main() may run in-process)."""
        self.stopping = True
        self.end()
        try:
            signal.pthread_kill(self.thread.ident, signal.SIGINT)
            self.thread.join()
        finally:  # a stop that lands in the join still leaves the mask and handlers as they were
            self._give_back()

    def _give_back(self) -> None:
        signal.pthread_sigmask(signal.SIG_SETMASK, self.previous_mask)
        for sig, handler in self.previous_handlers.items():
            # The signal of the same stop (`timeout` signals the command and then its group)
            # reaching the command as it ends is not a new stop, which would say its line again
            # and cut the clean-up short (a stopped run's folder stayed).
            signal.signal(sig, quiet_until(self.stopped_at + SAME_STOP_SECONDS, handler)
                          if self.interrupted else handler)


def quiet_until(deadline: float, then):
    """A signal handler that ignores its signal until ``deadline`` (time.monotonic()'s) and then
    gives it to ``then``, the handler it stands in front of (handler_behind finds it; None, a
    handler not set from Python, is the default's). A quiet handler in front of another is seen
    through: one stopped in-process run after another adds no layer."""
    then = _behind(signal.SIG_DFL if then is None else then)

    def handler(signum, frame) -> None:
        if time.monotonic() < deadline:
            return
        signal.signal(signum, then)
        signal.raise_signal(signum)
    handler._quiet_before = then
    return handler


def is_quiet(handler) -> bool:
    """Whether ``handler`` is one quiet_until made."""
    return hasattr(handler, "_quiet_before")


def handler_behind(sig: int):
    """The handler of ``sig``, seen through the quiet_until handler in front of it: an in-process
    caller's second command, after a stopped first, finds the handlers it had before."""
    return _behind(signal.getsignal(sig))


def _behind(handler):
    return handler._quiet_before if is_quiet(handler) else handler


def _start_resource_trackers() -> None:
    """Start the resource trackers of multiprocessing and of loky (joblib's workers, and theirs,
    use them) before SIGINT is blocked: started later, multiprocessing's would unblock SIGINT in
    the thread that starts it, and so in every worker started after it. Their warnings about
    resources that killed workers left behind are silenced: the trackers clean those up anyway."""
    from joblib.externals.loky.backend import resource_tracker as loky_tracker

    quiet = "ignore:resource_tracker:UserWarning"
    sys.warnoptions.append(quiet)  # a tracker's command line copies these options
    try:
        resource_tracker.ensure_running()
        loky_tracker.ensure_running()
    finally:
        sys.warnoptions.remove(quiet)
