"""Run one replication of the model: build the world, run the clock to the horizon, collect tables."""

from __future__ import annotations

import gc
import time
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd
import simpy

from salessim.config import Config
from salessim.model import invariants
from salessim.model.calendar import Calendar
from salessim.model.organization import World
from salessim.rng import Streams


@dataclass
class Replication:
    replication: int
    seed: int
    tables: dict[str, pd.DataFrame]
    calendar: Calendar
    teams: int          # FSMs leading a team at the horizon
    events: int
    wall_seconds: float


# A run allocates millions of short-lived objects (events, generator frames, buying groups) that
# die by reference counting: a replication creates no reference cycles while its clock runs
# (tests/test_invariants.py checks this), yet the cyclic collector's passes over every new object
# cost 7% of a default run and 12% of a 1,000-seller one. So it is paused for the whole
# replication, and the finished world breaks its own cycles (World.release) before the collector
# resumes: otherwise its first passes would walk every object the run left (about 3% more of a
# default run, 6-8% of a 1,000-seller one; docs/performance.md).
@contextmanager
def _cyclic_gc_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_replication(cfg: Config, replication: int,
                    on_month: Callable[[], object] | None = None) -> Replication:
    """Run one replication; ``on_month`` is called after each simulated month (for progress)."""
    tic = time.perf_counter()
    env = simpy.Environment()
    with _cyclic_gc_paused():
        world = World(cfg, Streams(cfg.sim.seed, replication), env, on_month)
        clock = world.start()
        try:
            env.run(until=clock)
        except KeyboardInterrupt as stopped:
            # Ctrl-C mid-run: break the world's cycles while the collector is still paused, and
            # drop the interrupted frames that hold it, so that the run's objects are freed by
            # reference counting, not by a pass of the collector over millions of them (seconds
            # at 10,000 sellers) before the command can end. Where the run was stopped is kept as
            # a note (it finds a run that hangs). An error keeps its traceback and its world
            # intact, for a post-mortem. (A Ctrl-C while the world is built or the tables are
            # made leaves it to the collector: those are short.)
            where = traceback.extract_tb(stopped.__traceback__)[-1]  # strings, not frames
            stopped.add_note(f"interrupted at {where.filename}:{where.lineno} in {where.name}")
            world.release()
            del world, clock, env
            stopped.__traceback__ = None
            raise
        for opp in list(world.open_opportunities.values()):  # still open at the horizon
            seller = world.territories[opp.territory_id].seller
            opp.seller_id = -1 if seller is None else seller.seller_id
            world.rec.opportunity(opp)
        # SimPy numbers every scheduled event; the ones still queued were never processed.
        events = next(env._eid) - len(env._queue)
        tables = world.rec.frames(replication)
        teams = sum(1 for f in world.fsms if f.territories)
        calendar = world.cal
        world.release()
        del world, clock
    invariants.check(tables, cfg.fsm.weekly_hours, calendar.weeks_in_month)
    return Replication(replication, cfg.sim.seed, tables, calendar, teams, events,
                       time.perf_counter() - tic)
