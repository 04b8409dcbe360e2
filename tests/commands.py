"""salessim's commands run as `python -m MODULE ARGS` runs them, without starting Python each time.

A command's new interpreter spends about 1.2 s on imports before it reads its arguments, most of
it on the libraries every command imports (pandas, pyarrow, numpy, Hydra: 0.7 s), and the suite
runs about 200 commands. A test worker therefore keeps server processes that have imported those
libraries, and not salessim, once; a server forks a child for each command. The child takes the
command's arguments, folder and environment, writes its stdout and stderr to files and runs the
module as `python -m` does (a new `__main__`, runpy), so salessim's own modules are imported by
the command, as in a new interpreter; it ends as that interpreter would, and the test reads its
status and output as from `subprocess.run`. Commands run side by side (from a thread pool) each
get a server of their own.

What a child shares with the other children of its server, unlike new interpreters, and the
commands therefore still started afresh:
- the hash seed: a test that compares the tables of two commands, which a set's order could make
  differ between processes, runs one of them afresh (`fresh=True`); numpy's global generator,
  which salessim does not use, is reseeded in each child, as `random` is by Python itself;
- what an interpreter reads as it starts: a command whose PYTHON*, LANG, LC_* or TZ variables are
  not the session's (a PYTHONPATH to a plugin, say) is started afresh.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What every salessim command imports before it reads its arguments, salessim aside (the same
# modules, 583 of them, for salessim, salessim-compare, salessim-rerun and salessim-calibrate).
PRELOADED = ("numpy", "pandas", "pyarrow.parquet", "hydra", "hydra.compose", "hydra.main",
             "hydra.utils", "omegaconf", "yaml", "cloudpickle")
KEPT_IDLE = 2  # servers kept between commands (a thread pool of commands starts more)
STARTED_WITHIN = 120.0  # seconds for a server's imports, or for it to fork a command


def _startup_environment(env: dict[str, str]) -> dict[str, str]:
    """The variables an interpreter reads as it starts (its path, locale, time zone)."""
    return {key: value for key, value in env.items()
            if key.startswith(("PYTHON", "LC_")) or key in ("LANG", "TZ")}


# The test session's: every server starts with these.
_SESSION_STARTUP = _startup_environment(dict(os.environ))


class _Server:
    """A server process of this test worker, running one command at a time."""

    def __init__(self) -> None:
        startup = _startup_environment(dict(os.environ))
        others = {k: v for k, v in os.environ.items() if k not in startup}
        # unbuffered: the selector must see every reply that readline() has not taken
        self.process = subprocess.Popen([sys.executable, "-m", "tests.commands"], cwd=ROOT,
                                        env={**others, **_SESSION_STARTUP},
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        self.replies = selectors.DefaultSelector()
        self.replies.register(self.process.stdout, selectors.EVENT_READ)
        self._reply(STARTED_WITHIN)  # "ready": its imports are done

    def _reply(self, timeout: float | None) -> dict:
        if not self.replies.select(timeout):
            raise TimeoutError
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("a command server of the tests ended")
        return json.loads(line)

    def run(self, module: str, args: list[str], cwd: Path, env: dict[str, str],
            timeout: float) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", module, *args]
        with tempfile.TemporaryDirectory(prefix="salessim-command-") as folder:
            out, err = Path(folder, "stdout"), Path(folder, "stderr")
            request = json.dumps({"module": module, "args": args, "cwd": str(cwd), "env": env,
                                  "stdout": str(out), "stderr": str(err)}) + "\n"
            pending = memoryview(request.encode())
            while pending:  # an unbuffered pipe takes what it has room for
                pending = pending[self.process.stdin.write(pending):]
            pid = self._reply(STARTED_WITHIN)["pid"]
            try:
                status = self._reply(timeout)["status"]
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):  # it may have just ended
                    os.kill(pid, signal.SIGKILL)
                self._reply(STARTED_WITHIN)
                raise subprocess.TimeoutExpired(command, timeout, _text(out), _text(err)) from None
            except BaseException:  # interrupted (Ctrl-C, a signal's exception): the command too
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                raise
            return subprocess.CompletedProcess(command, status, _text(out), _text(err))

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        self.replies.close()


def _text(path: Path) -> str:
    # as subprocess.run(text=True) reads a pipe: the locale's encoding, universal newlines
    with open(path, encoding=None, newline=None) as file:
        return file.read()


_idle: list[_Server] = []  # servers waiting for a command; one more is started when none is
_idle_lock = threading.Lock()


def run_module(module: str, *args: str, cwd: Path | None = None, timeout: float = 300,
               env: dict[str, str] | None = None, fresh: bool = False) -> subprocess.CompletedProcess:
    """`python -m MODULE ARGS` in `cwd` (the project by default), its output captured as text."""
    cwd = Path(cwd or ROOT).absolute()  # the test's folder, not the server's, resolves it
    env = dict(os.environ if env is None else env)
    if fresh or _startup_environment(env) != _SESSION_STARTUP or not cwd.is_dir():
        return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=timeout)
    with _idle_lock:
        server = _idle.pop() if _idle else None
    server = server or _Server()
    try:
        result = server.run(module, list(args), cwd, env, timeout)
    except subprocess.TimeoutExpired:  # its command was killed and reaped: the server waits
        _give_back(server)
        raise
    except BaseException:  # interrupted mid-command: the server may still answer for it
        server.close()
        raise
    _give_back(server)
    return result


def _give_back(server: _Server) -> None:
    """A server whose command has ended waits for the next, unless enough already do."""
    with _idle_lock:
        kept = len(_idle) < KEPT_IDLE
        if kept:
            _idle.append(server)
    if not kept:
        server.close()


# --- the server ------------------------------------------------------------------------------------

def _become(request: dict) -> None:
    """In the forked child: become `python -m MODULE ARGS` and end as its interpreter would.

    Nothing is caught: an exit status, an uncaught exception's traceback and the interpreter's
    shutdown (atexit, threads joined, buffers flushed) are the interpreter's own.
    """
    import runpy
    import types

    for fd, path, flags in ((0, os.devnull, os.O_RDONLY),
                            (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                            (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
        opened = os.open(path, flags, 0o644)
        os.dup2(opened, fd)
        os.close(opened)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    if "numpy" in sys.modules:  # each interpreter seeds its own
        sys.modules["numpy"].random.seed()
    sys.path[0] = os.getcwd()  # as `python -m` puts its folder first
    sys.argv = [request["module"], *request["args"]]
    sys.modules["__main__"] = types.ModuleType("__main__")  # what `python -m` runs the module in
    runpy._run_module_as_main(request["module"], alter_argv=True)
    sys.exit(0)


def serve() -> None:
    """Read one command a line from stdin, fork it, answer its pid and then its exit status."""
    import importlib

    # The protocol keeps the pipes (non-inheritable duplicates); the preloaded modules and the
    # children see /dev/null on stdin and stdout until a child points them at its files.
    requests, replies = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    for module in PRELOADED:
        importlib.import_module(module)

    def answer(**reply) -> None:
        os.write(replies, (json.dumps(reply) + "\n").encode())

    answer(ready=True)
    with os.fdopen(requests, "rb") as lines:
        for line in lines:
            request = json.loads(line)
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                _become(request)
            answer(pid=pid)
            _, wait_status = os.waitpid(pid, 0)
            answer(status=os.waitstatus_to_exitcode(wait_status))


if __name__ == "__main__":
    serve()
