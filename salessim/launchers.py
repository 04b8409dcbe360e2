"""A sweep's launcher and sweeper, checked before anything runs as joblib or Ray will take them.

Hydra's joblib launcher hands its settings to joblib, and the Ray launcher its options to
ray.init() and ray.remote(), once the sweep is under way: a value they refuse stopped it with a
traceback and a folder left behind, and some they take at their word (100,000 jobs at a time, a
job asking for more CPUs than the Ray instance has, an address where nothing answers). Called by
:mod:`salessim.preflight` with the first job's settings; the number of worker processes a sweep
starts is read here too, for its time estimate.
"""

from __future__ import annotations

import dataclasses
import heapq
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from salessim.compose import MOST_JOBS_AT_A_TIME, N_JOBS_ALLOWED, RAY_EXTRA, first_line, launcher_lacks
from salessim.config import flatten
from salessim.errors import ConfigError
from salessim.plural import counted


# The joblib launcher's settings that joblib refuses with a traceback once the sweep is under way,
# or, for n_jobs, takes at its word: 100,000 started hundreds of processes on two cores.
JOBLIB_SETTINGS = {"n_jobs": None, "backend": None, "prefer": (None, "processes", "threads"),
                   "require": None, "batch_size": None, "timeout": None, "pre_dispatch": None,
                   "max_nbytes": None, "mmap_mode": (None, "r+", "r", "w+", "c")}
# What joblib evaluates for pre_dispatch: all, a number, or an expression in n_jobs (2*n_jobs).
_PRE_DISPATCH = re.compile(r"\s*(all|\d+|[\d\s*+()]*(n_jobs[\d\s*+()]*)+)\s*")
_MEMORY_SIZE = re.compile(r"\d+(\.\d*)?[KMG]")  # joblib's sizes: K, M or G after a number
# The options of ray.remote() for each job of a sweep on Ray, which Ray checks only as the first
# job is handed to it, with a traceback and a sweep folder left behind.
RAY_REMOTE = "hydra.launcher.ray.remote"
RAY_INIT = "hydra.launcher.ray.init"  # ray.init()'s arguments: where Ray runs, with how many CPUs
LAUNCHER = "hydra.launcher"  # all of it: a key added with '+' that the launcher has no use for


def worker_processes(first: dict[str, Any]) -> int:
    """The processes a sweep's joblib launcher starts (each imports salessim before its first job),
    0 for a single run, the basic launcher or one job at a time (jobs in the command's own
    process), threads, or Ray (whose workers a cluster may have started before)."""
    if not is_joblib_launcher(first.get("hydra.launcher._target_")):
        return 0
    if first["hydra.launcher.backend"] == "threading" or first["hydra.launcher.prefer"] == "threads":
        return 0
    at_a_time = joblib_jobs_at_a_time(first["hydra.launcher.n_jobs"])
    return 0 if at_a_time == 1 else at_a_time


def is_joblib_launcher(target: object) -> bool:
    """Whether a launcher's _target_ is Hydra's joblib launcher."""
    return "Joblib" in str(target)


def is_ray_launcher(target: object) -> bool:
    """Whether a launcher's _target_ is the Ray launcher's (hydra-ray-launcher)."""
    return "hydra_ray_launcher" in str(target)


def jobs_at_a_time(launcher: Mapping[str, Any]) -> int | None:
    """How many jobs a sweep's launcher runs side by side: joblib's n_jobs (negative: counted
    back from all cores), 1 for the basic launcher; None where the command cannot know (Ray)."""
    target = str(launcher.get("_target_", ""))
    if is_joblib_launcher(target):
        return joblib_jobs_at_a_time(launcher.get("n_jobs"))
    return 1 if "BasicLauncher" in target else None


def last_finish(seconds: Sequence[float], workers: int, busy: Sequence[float] = ()) -> float:
    """When the last of jobs of ``seconds`` ends, each handed in turn to the first free of
    ``workers``, as joblib hands them out; those ``busy`` free at the times given, the others at 0.
    (Three equal jobs on two workers take two jobs' time, not one and a half.)"""
    free = [*busy[:workers], *[0.0] * (workers - len(busy))]
    heapq.heapify(free)
    end = max(free, default=0.0)
    for job in seconds:
        done = heapq.heappop(free) + job
        end = max(end, done)
        heapq.heappush(free, done)
    return end


def side_by_side(launcher: Mapping | None) -> int | None:
    """The jobs ``launcher`` runs side by side; None where that cannot be told: Ray, or a value of
    n_jobs Hydra kept as typed (an interpolation, ${oc.env:JOBS,2})."""
    if not isinstance(launcher, Mapping):
        return None
    n_jobs = launcher.get("n_jobs")
    if is_joblib_launcher(launcher.get("_target_")) and (type(n_jobs) is not int or n_jobs == 0):
        return None
    try:
        side = jobs_at_a_time(launcher)
    except (TypeError, ValueError):
        return None
    return side if type(side) is int and side >= 1 else None


def threads_replications(launcher: Mapping | None) -> bool:
    """Whether a job a sweep runs on ``launcher`` runs its replication workers (sim.workers) as
    threads of one process: joblib does so in a worker of its own beside others (one core's time,
    the interpreter's lock held in turn), where a job run alone starts a process for each."""
    return (isinstance(launcher, Mapping) and is_joblib_launcher(launcher.get("_target_"))
            and (side_by_side(launcher) or 1) > 1)


def joblib_jobs_at_a_time(n_jobs: int) -> int:
    """The jobs joblib runs side by side for ``n_jobs`` (-1: every core this process may use, as
    joblib counts them, CPU affinity and a container's limit included)."""
    from joblib import effective_n_jobs  # joblib: only for a joblib sweep
    return effective_n_jobs(n_jobs)


def _refuse_what_joblib_lacks(launcher: dict[str, Any]) -> None:
    """A key added to the joblib launcher's settings with '+' (+hydra.launcher.njobs=1, or a Ray
    launcher's +hydra.launcher.ray.init.address=...): the launcher ignored it, and the sweep ran
    on joblib as if it had not been typed. Typed without '+', Hydra refuses it itself."""
    from hydra_plugins.hydra_joblib_launcher.config import JobLibLauncherConf  # a joblib sweep's

    has = [f.name for f in dataclasses.fields(JobLibLauncherConf) if f.name != "_target_"]
    extra = next((k for k in launcher if k != "_target_" and k not in has), None)
    if extra is None:
        return
    key, value = next(iter(flatten({extra: launcher[extra]}).items()), (extra, launcher[extra]))
    raise launcher_lacks(f"{LAUNCHER}.{key}", value, extra, "joblib", has,
                         "" if extra == "ray" else "; it ignores any other")


def _check_joblib(settings: dict[str, Any]) -> None:
    """The joblib launcher's settings, as joblib accepts them (its documentation of Parallel)."""
    from joblib.parallel import BACKENDS, EXTERNAL_BACKENDS  # joblib: only for a joblib sweep

    n_jobs = settings["n_jobs"]
    if not (isinstance(n_jobs, int) and n_jobs <= MOST_JOBS_AT_A_TIME and n_jobs != 0):
        raise ConfigError("hydra.launcher.n_jobs", n_jobs, N_JOBS_ALLOWED)
    backends = (None, *sorted(BACKENDS), *sorted(EXTERNAL_BACKENDS))  # dask is registered when first used
    for key, choices in {**JOBLIB_SETTINGS, "backend": backends}.items():
        if choices is not None and settings[key] not in choices:
            raise ConfigError(f"hydra.launcher.{key}", settings[key],
                              "one of " + ", ".join("null" if c is None else c for c in choices))
    # joblib shares memory between threads alone, and the launcher hands it processes whatever
    # its backend and prefer say: the sweep stopped with a traceback
    if settings["require"] is not None:
        raise ConfigError("hydra.launcher.require", settings["require"], "null: Hydra's joblib launcher "
                          "cannot run its jobs with shared memory")
    # The launcher hands joblib these two as integers where their text reads as one ("4").
    batch, pre = (_as_int(settings[key]) for key in ("batch_size", "pre_dispatch"))
    timeout = settings["timeout"]
    if not (batch == "auto" or isinstance(batch, int) and batch >= 1):
        raise ConfigError("hydra.launcher.batch_size", batch, "auto, or a number of jobs >= 1 per worker")
    if timeout is not None and not (isinstance(timeout, (int, float)) and timeout > 0):
        raise ConfigError("hydra.launcher.timeout", timeout, "null (none), or seconds > 0 for each job")
    nbytes = settings["max_nbytes"]  # joblib reads a text as a size (disk.memstr_to_bytes)
    if not (nbytes is None or isinstance(nbytes, int) and not isinstance(nbytes, bool) and nbytes >= 0
            or isinstance(nbytes, str) and _MEMORY_SIZE.fullmatch(nbytes)):
        raise ConfigError("hydra.launcher.max_nbytes", nbytes, "null (no memory mapping), a number of "
                          "bytes >= 0, or a size such as 10G, 500M or 50K")
    if not (isinstance(pre, int) and pre >= 1 or isinstance(pre, str) and _PRE_DISPATCH.fullmatch(pre)):
        raise ConfigError("hydra.launcher.pre_dispatch", pre, "jobs dispatched ahead: all, a number "
                          ">= 1, or an expression in n_jobs such as 2*n_jobs")


def _check_plugin(kind: str, target: Any) -> None:
    """A sweep's launcher or sweeper (``kind``) is a plugin Hydra has found installed: Hydra
    instantiates no other, and stopped with a traceback once the sweep had begun."""
    from hydra.core.plugins import Plugins
    from hydra.plugins.launcher import Launcher
    from hydra.plugins.sweeper import Sweeper

    found = [f"{c.__module__}.{c.__name__}"
             for c in Plugins.instance().discover(Launcher if kind == "launcher" else Sweeper)]
    if target in found:
        return
    if kind == "launcher" and is_ray_launcher(target):
        raise ConfigError("hydra.launcher._target_", target, RAY_NOT_INSTALLED)
    raise ConfigError(f"hydra.{kind}._target_", target, f"a {kind} Hydra has installed, chosen as "
                      f"hydra/{kind}=NAME: {', '.join(sorted(found))}")


# Said of the Ray launcher where salessim's ray extra is not installed.
RAY_NOT_INSTALLED = f"a launcher that is installed; Ray's comes with {RAY_EXTRA}"


def _check_ray_remote(options: Any, target: str) -> None:
    """The Ray launcher's options for each job, checked by Ray's own ray.remote() (which needs no
    running Ray) as the launcher will pass them."""
    try:
        import ray  # only for a sweep on Ray
    except ImportError:
        raise ConfigError("hydra.launcher._target_", target, RAY_NOT_INSTALLED) from None

    if not isinstance(options, dict):
        raise ConfigError(RAY_REMOTE, options, "options of ray.remote() as KEY: VALUE pairs, such "
                          "as {num_cpus: 1} (docs/distributed.md)")
    try:
        ray.remote(**options)(_no_job)
    except (ValueError, TypeError, AssertionError) as e:
        said = first_line(e).rstrip(".")
        named = re.search(r"(?:option keyword|keyword '|resource) ?(\w+)", said)
        option = named[1] if named and named[1] in options else None
        raise ConfigError(f"{RAY_REMOTE}.{option}" if option else RAY_REMOTE,
                          options[option] if option else options,
                          f"an option of ray.remote() Ray accepts (Ray: {said}; docs/distributed.md)") from None


def _check_ray_fits_its_instance(remote: dict, init: dict) -> None:
    """A job asking for more CPUs than the Ray instance the command starts has never starts: Ray
    waits forever for a node that could take it, saying only, every half-minute, that no node
    type can fulfil the request (4 CPUs a job on a 2-core machine; no ray.remote options, which
    ask for 1, with ray.init's num_cpus=0). Only a new local instance (address=local) is known
    before it starts; a cluster's nodes are its own. GPUs, memory and custom resources a job asks
    for are not checked here."""
    if init.get("address") != "local":
        return
    asked = remote.get("num_cpus", 1)  # Ray's default for a task
    given = init.get("num_cpus")
    if not _a_count(asked) or not (given is None or _a_count(given)):
        return  # Ray refuses what it cannot read, with its reason (_check_ray_remote, ray.init)
    if given is None:
        try:  # as Ray counts this machine's CPUs (a container's quota, not the host's cores)
            from ray._private.utils import get_num_cpus
            cores = get_num_cpus()
        except (ImportError, AttributeError):
            cores = os.cpu_count() or 1
        whose = "this machine's CPUs, as Ray counts them"
    else:
        cores, whose = given, f"{RAY_INIT}.num_cpus={given:g}"
    if asked <= cores:
        return
    if "num_cpus" not in remote:  # the instance is what is too small
        raise ConfigError(f"{RAY_INIT}.num_cpus", given, f"at least the 1 CPU each job asks Ray for "
                          f"({RAY_REMOTE}.num_cpus, 1 unless set): Ray would wait forever for a node "
                          f"that could take one (docs/distributed.md)")
    raise ConfigError(f"{RAY_REMOTE}.num_cpus", asked, f"at most the {counted(cores, 'CPU', fmt='g')} of the "
                      f"Ray instance this command starts ({RAY_INIT}.address=local; {whose}): Ray would "
                      f"wait forever for a node that could take a job asking for more; ask for at most "
                      f"{cores:g}, or "
                      f"set {RAY_INIT}.num_cpus (docs/distributed.md)")


RAY_CONNECT_SECONDS = 5.0  # a cluster's head answers at once; nothing at all answers in minutes


def check_ray_reachable(address: Any) -> None:
    """A cluster's address (HOST:PORT, or ray://HOST:PORT) where nothing answers: Ray retried for
    minutes, then left the sweep's folder behind (a sales-ops walk's address=192.0.2.2:1). Refused
    before anything is written. 'auto', 'local' and none are Ray's to find; an address this cannot
    read is Ray's to refuse, with its reason."""
    if not isinstance(address, str) or address in ("auto", "local"):
        return
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not host or not port.isdigit():
        return
    import socket

    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=RAY_CONNECT_SECONDS).close()
    except OSError as e:
        why = (f"no answer within {RAY_CONNECT_SECONDS:g} s" if isinstance(e, TimeoutError)
               else e.strerror or type(e).__name__)
        raise ConfigError(f"{RAY_INIT}.address", address, f"the address of a running Ray cluster's head "
                          f"(nothing answers at {host}:{port}: {why}); "
                          "start it with ray start --head, or use address=local for an instance of this "
                          "command's own (docs/distributed.md)") from None


def _a_count(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def _no_job() -> None:
    """What _check_ray_remote hands ray.remote(): the options are checked, nothing runs."""


def _as_int(value: Any) -> Any:
    try:
        return int(value) if isinstance(value, str) else value
    except ValueError:
        return value


def check_launcher(first: dict[str, Any]) -> None:
    """A sweep's launcher and sweeper, from the settings of its first job (``first``, keyed by
    their dotted names, as preflight resolves them): installed plugins, and the joblib or Ray
    launcher's settings as joblib or Ray will take them."""
    for kind in ("launcher", "sweeper"):
        _check_plugin(kind, first[f"hydra.{kind}._target_"])
    if is_joblib_launcher(first["hydra.launcher._target_"]):
        _refuse_what_joblib_lacks(first[LAUNCHER])
        _check_joblib({key: first[f"hydra.launcher.{key}"] for key in JOBLIB_SETTINGS})
    if is_ray_launcher(first["hydra.launcher._target_"]):
        if first[RAY_REMOTE]:
            _check_ray_remote(first[RAY_REMOTE], first["hydra.launcher._target_"])
        _check_ray_fits_its_instance(first[RAY_REMOTE] or {}, first[RAY_INIT] or {})
        check_ray_reachable((first[RAY_INIT] or {}).get("address"))
