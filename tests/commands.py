"""salessim's commands run as `python -m MODULE ARGS` runs them, without starting Python each time.

A command's new interpreter spends about 1.2 s importing salessim, pandas, pyarrow and Hydra before
it reads its arguments, and the suite runs about 200 commands. A test worker therefore keeps server
processes that have imported them once; a server forks a child for each command. The child takes
the command's arguments, folder and environment, writes its stdout and stderr to files, runs the
module as `python -m` would (`runpy`, as `__main__`) and ends as that interpreter would, and the
test reads its status and output as from `subprocess.run`. Commands run side by side (from a
thread pool) each get a server of their own.

What a child does not have of a fresh interpreter, and the commands therefore still started afresh:
- a hash seed of its own (every child of a server shares the server's): a test that compares the
  tables of two commands, which a set's order could make differ between processes, runs one of
  them afresh (`fresh=True`);
- the environment read at start-up: a command whose PYTHON* variables are not the session's (a
  PYTHONPATH to a plugin, say) is started afresh.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What every command imports before it reads its arguments (salessim.cli alone brings pandas,
# pyarrow, numpy and Hydra).
PRELOADED = ("salessim.cli", "salessim.calibration.cli", "salessim.compare_command", "salessim.rerun")


def _startup_environment(env: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in env.items() if key.startswith("PYTHON")}


# The PYTHON* variables of the test session: a server starts with these.
_SESSION_STARTUP = _startup_environment(dict(os.environ))


class _Server:
    """A server process of this test worker, running one command at a time."""

    def __init__(self) -> None:
        # unbuffered: select() must see every reply that readline() has not taken
        self.process = subprocess.Popen([sys.executable, "-m", "tests.commands"], cwd=ROOT,
                                        env={**os.environ, **_SESSION_STARTUP},
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        self._reply()  # "ready": its imports are done

    def _reply(self, timeout: float | None = None) -> dict:
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
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
            pid = self._reply()["pid"]
            try:
                status = self._reply(timeout)["status"]
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):  # it may have just ended
                    os.kill(pid, signal.SIGKILL)
                self._reply()
                raise subprocess.TimeoutExpired(command, timeout, _text(out), _text(err)) from None
            return subprocess.CompletedProcess(command, status, _text(out), _text(err))


def _text(path: Path) -> str:
    # as subprocess.run(text=True) reads a pipe: the locale's encoding, universal newlines
    with open(path, encoding=None, newline=None) as file:
        return file.read()


_idle: list[_Server] = []  # servers waiting for a command; one more is started when none is
_idle_lock = threading.Lock()


def run_module(module: str, *args: str, cwd: Path | None = None, timeout: float = 300,
               env: dict[str, str] | None = None, fresh: bool = False) -> subprocess.CompletedProcess:
    """`python -m MODULE ARGS` in `cwd` (the project by default), its output captured as text."""
    cwd = Path(cwd or ROOT)
    env = dict(os.environ if env is None else env)
    if fresh or _startup_environment(env) != _SESSION_STARTUP:
        return subprocess.run([sys.executable, "-m", module, *args], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=timeout)
    with _idle_lock:
        server = _idle.pop() if _idle else None
    server = server or _Server()
    try:
        return server.run(module, list(args), cwd, env, timeout)
    except RuntimeError:  # the server ended: it is not kept
        server = None
        raise
    finally:
        if server is not None:
            with _idle_lock:
                _idle.append(server)


# --- the server ------------------------------------------------------------------------------------

def _become(request: dict) -> None:
    """In the forked child: become `python -m MODULE ARGS` and end as its interpreter would.

    Nothing is caught: an exit status, an uncaught exception's traceback and the interpreter's
    shutdown (atexit, threads joined, buffers flushed) are the interpreter's own.
    """
    import runpy

    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for fd, path, flags in ((0, os.devnull, os.O_RDONLY),
                            (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                            (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
        opened = os.open(path, flags, 0o644)
        os.dup2(opened, fd)
        os.close(opened)
    sys.path[0] = os.getcwd()  # as `python -m` puts its folder first
    sys.argv = [request["module"], *request["args"]]
    # `python -m` runs a module not yet imported (runpy warns of one that is, the preloaded)
    sys.modules.pop(request["module"], None)
    runpy.run_module(request["module"], run_name="__main__", alter_sys=True)
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
    for line in os.fdopen(requests, "rb"):
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
