"""Checks every config value against its schema range and the rules that tie keys together.

Runs before any simulation starts, so a bad value stops the run with one line naming the key,
the value and what is allowed (:class:`salessim.errors.ConfigError`).
"""

from __future__ import annotations

import dataclasses
import math
import re
import typing
import unicodedata
from typing import Any

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from salessim.config import ECONOMIC_BUYER, MOST_YEARS, Config
from salessim.errors import ConfigError, UserError, meant_key_said, nearest_name
from salessim.model.counting import round_half_up
from salessim.plural import counted

FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")  # 100 characters: a file name's part
FILE_NAME_ALLOWED = ("a name of at most 100 letters, digits, '_', '-' and '.', all ASCII, that starts with "
                     "a letter or digit")


def to_validated(cfg: DictConfig | Config) -> Config:
    """Turn a composed DictConfig into a checked :class:`Config` object."""
    if isinstance(cfg, DictConfig):
        try:
            check_known_keys(cfg, Config, "")
            obj = OmegaConf.to_object(cfg)
        except OmegaConfBaseException as e:  # e.g. ${...} that points nowhere
            key = getattr(e, "full_key", None) or "?"
            reason = " ".join(str(e).split()).split(" full_key")[0]
            raise ConfigError(key, raw_value(cfg, key) if key != "?" else "?",
                              f"a value that can be resolved ({reason})") from None
    else:
        obj = cfg
    check_texts(obj, "")
    check_ranges(obj, "")
    check_relations(obj)
    return obj


# What a text may not hold. A byte that is no UTF-8 (Python keeps it from a command line as a lone
# surrogate) passes everything until the tables are written, at the end of a run; a control
# character breaks the one line a job's name gets, or an escape recolours the terminal. A free text
# (a question, a description) may run over lines; a name may not.
NAME_TEXT_ALLOWED = ("a text without control characters (a newline, a tab, an escape) or bytes that are "
                     "no UTF-8")
FREE_TEXT_ALLOWED = ("a text without control characters other than newlines and tabs, or bytes that are "
                     "no UTF-8")
FREE_TEXT_SPACING = frozenset("\n\t")


def _text_refused(text: str, free: bool) -> bool:
    if text.isprintable():  # the common case, in one call
        return False
    return any(unicodedata.category(c) in ("Cc", "Cs") and not (free and c in FREE_TEXT_SPACING)
               for c in text)


def check_texts(value: Any, key: str) -> None:
    """Every text in the config, names (the mappings' keys, sim.scenario) held to one line."""
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            check_texts(getattr(value, f.name), f"{key}.{f.name}" if key else f.name)
    elif isinstance(value, dict):
        for name, item in value.items():
            inner = f"{key}.{name}" if key else str(name)
            if isinstance(name, str) and _text_refused(name, free=False):  # said as its mapping's
                raise ConfigError(key, name, f"as a name in it, {NAME_TEXT_ALLOWED}")
            check_texts(item, inner)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_texts(item, f"{key}[{i}]")
    elif isinstance(value, str) and _text_refused(value, free=key != "sim.scenario"):
        raise ConfigError(key, value, NAME_TEXT_ALLOWED if key == "sim.scenario" else FREE_TEXT_ALLOWED)


def raw_value(cfg: DictConfig, key: str) -> Any:
    """The value at ``key`` as written, ``${...}`` unresolved: what an error about it should show."""
    parent, _, last = key.rpartition(".")
    try:
        node = OmegaConf.select(cfg, parent) if parent else cfg
        return OmegaConf.to_container(node, resolve=False).get(last, "?")
    except (OmegaConfBaseException, AttributeError, ValueError):
        return "?"


def check_known_keys(node: DictConfig, schema: type, prefix: str) -> None:
    """Keys added with ``+key=value`` slip past the schema; they are mistakes in salessim."""
    hints = typing.get_type_hints(schema)
    for key in node.keys():
        if key not in hints:
            near = nearest_name(str(key), hints)
            raise ConfigError(f"{prefix}{key}", node[key], "a known key ("
                              + (meant_key_said(f"{prefix}{near}", node[key])
                                 + f"{prefix.rstrip('.') or 'the config'} has " if near else "")
                              + ", ".join(hints) + ")")
        child = node[key]
        if isinstance(child, DictConfig) and dataclasses.is_dataclass(hints[key]):
            check_known_keys(child, hints[key], f"{prefix}{key}.")
        elif isinstance(child, DictConfig) and typing.get_origin(hints[key]) is dict:
            value_type = typing.get_args(hints[key])[1]
            if dataclasses.is_dataclass(value_type):  # e.g. market.segments.<name>
                for name in child.keys():
                    check_known_keys(child[name], value_type, f"{prefix}{key}.{name}.")


def without_point_zero(x: Any) -> Any:
    """A float that is a whole number, shown as one, as a user types and reads it: the value of a
    float setting (span_of_control=0, not 0.0: Hydra's composition has made the 0 typed a float by
    the time it is checked) and a range's bounds (<= 100, not 100.0)."""
    return int(x) if isinstance(x, float) and x.is_integer() and abs(x) < 1e15 else x


def range_text(meta: dict, noun: str = "a number") -> str:
    lo = f">= {without_point_zero(meta['ge'])}" if meta.get("ge") is not None else (
        f"> {without_point_zero(meta['gt'])}" if meta.get("gt") is not None else None)
    hi = f"<= {without_point_zero(meta['le'])}" if meta.get("le") is not None else None
    unset = ", or null to leave it unset" if meta.get("nullable") else ""
    why = f" ({meta['why']})" if meta.get("why") else ""
    if lo and hi:
        return f"{noun} {lo} and {hi}{unset}{why}"
    return f"{noun} {lo or hi}{unset}{why}"


def allowed_text(meta: dict, kind: type) -> str:
    """What a setting with field metadata ``meta`` and type ``kind`` allows, in words."""
    if "choices" in meta:
        return "one of " + ", ".join(c for c in meta["choices"] if c)
    if any(meta.get(k) is not None for k in ("ge", "le", "gt")):
        return range_text(meta, "an integer" if kind is int else "a number")
    return {bool: "true or false", str: "a text", int: "an integer", float: "a number"}.get(kind, "a value")


def as_truth(value: Any) -> bool | None:
    """A true/false setting's value: a bool, or the text 'true' or 'false' (quoted) in any case;
    None for anything else. OmegaConf would also read 2, 'yes', 'on' and '1' as true, which a
    setting that says "true or false" does not take."""
    if isinstance(value, bool):
        return value
    word = value.lower() if isinstance(value, str) else None  # ' true' is no truth to OmegaConf
    return True if word == "true" else False if word == "false" else None


def _check_number(key: str, value: Any, meta: dict, noun: str = "a number") -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(key, value, range_text(meta, noun))
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(key, value, "a finite number, " + range_text(meta))
    ge, le, gt = meta.get("ge"), meta.get("le"), meta.get("gt")
    if (ge is not None and value < ge) or (le is not None and value > le) or (
            gt is not None and value <= gt):
        raise ConfigError(key, without_point_zero(value), range_text(meta, noun))


def segment_value_range(meta: dict) -> dict:
    """The range of each value of a per-segment mapping (seg_map), as field metadata."""
    return {**({"gt": 0.0} if meta.get("positive") else {"ge": 0.0}), "le": meta.get("value_le")}


def check_ranges(obj: Any, prefix: str) -> None:
    for f in dataclasses.fields(obj):
        key = f"{prefix}{f.name}"
        value = getattr(obj, f.name)
        meta = f.metadata
        if meta.get("file_name") and not FILE_NAME.fullmatch(str(value)):
            raise ConfigError(key, value, f"{FILE_NAME_ALLOWED} (it names files and folders)")
        if "choices" in meta and value not in meta["choices"]:
            raise ConfigError(key, value, "one of " + ", ".join(c for c in meta["choices"] if c))
        if value is not None and any(meta.get(k) is not None for k in ("ge", "le", "gt")):
            _check_number(key, value, meta, "an integer" if str(f.type).startswith("int") else "a number")
        if dataclasses.is_dataclass(value):
            check_ranges(value, key + ".")
        elif isinstance(value, dict):
            for name, item in value.items():
                if dataclasses.is_dataclass(item):
                    check_ranges(item, f"{key}.{name}.")
                elif meta.get("per_segment"):
                    _check_number(f"{key}.{name}", item, segment_value_range(meta))


def check_relations(cfg: Config) -> None:
    """The rules that tie keys together, in the order a reader meets them: the segments and the
    horizon, the organization, each investment, then what they make together (the week's time
    to sell, the teams)."""
    horizon_months = _check_segments_and_horizon(cfg)
    fixed = _check_organization(cfg)
    _check_roles(cfg)
    added, structure = _check_investments(cfg, horizon_months)
    _check_time_to_sell(cfg, fixed, added)
    _check_teams(cfg, sorted(structure, key=lambda change: change[0]))


def _check_segments_and_horizon(cfg: Config) -> int:
    """The segments' own ranges and the warm-up inside the horizon; the horizon's months."""
    segments = cfg.market.segments
    if not segments:
        raise ConfigError("market.segments", {}, "at least one segment")
    for name, seg in segments.items():
        if seg.stakeholders_min > seg.stakeholders_max:
            raise ConfigError(f"market.segments.{name}.stakeholders_min", seg.stakeholders_min,
                              f"at most stakeholders_max ({seg.stakeholders_max})")
    from salessim.model.calendar import Calendar, shortest_years_holding  # the horizon's whole months
    horizon_months = Calendar(cfg.sim.years).months
    if cfg.sim.warmup_months >= horizon_months:
        months = counted(horizon_months, 'month')
        # what to write instead: a strategist typed sim.years=0.4 and was told of a key they had not typed
        years = shortest_years_holding(cfg.sim.warmup_months + 1)
        longer = f"sim.years={years:g} or more, or " if years <= MOST_YEARS else ""
        raise ConfigError("sim.warmup_months", cfg.sim.warmup_months,
                          f"fewer months than the horizon (sim.years={cfg.sim.years} holds "
                          f"{months} of the 4-4-5 calendar): {longer}"
                          + ("sim.warmup_months=0" if horizon_months <= 1 else
                             f"sim.warmup_months={horizon_months - 1} or fewer"))
    return horizon_months


def _check_organization(cfg: Config) -> float:
    """Every per-segment mapping against the segments, the seat mix, shares, the pay cap and the
    week's fixed hours; those fixed hours (admin, internal, search)."""
    segments, mix = cfg.market.segments, cfg.org.segment_mix
    for group, key, mapping in segment_maps(cfg):
        for seg in mapping:
            if seg not in segments:
                raise ConfigError(f"{group}.{key}.{seg}", mapping[seg],
                                  "a segment of market.segments: " + ", ".join(segments))
        for seg in segments:
            if mix.get(seg, 0.0) > 0 and seg not in mapping:
                raise ConfigError(f"{group}.{key}", dict(mapping),
                                  f"a value for every staffed segment (missing '{seg}')")
            if seg not in mapping and key != "segment_mix":
                _refuse_a_segment_unnamed(seg, f"{group}.{key}", segments)
    total = sum(mix.values())
    if abs(total - 1.0) > 1e-6:
        # A mapping given in a file or as {a: x, b: y} is merged into the configured one: the
        # segments it leaves out keep their shares, which the user may never have written.
        raise ConfigError("org.segment_mix", dict(mix), f"shares that sum to 1 (they sum to {total:g}; "
                          "a segment left out of a segment_mix you set keeps its configured share, "
                          "so set it to 0.0 to staff none)")
    from salessim.model.organization import largest_remainder
    for seg, seats in largest_remainder(cfg.org.sellers, mix).items():
        accounts = cfg.coverage.accounts_per_seller.get(seg, 1.0)
        if seats and accounts < 1.0:  # below 1, a territory would silently get one anyway
            raise ConfigError(f"coverage.accounts_per_seller.{seg}", without_point_zero(accounts),
                              "at least 1 for a segment with seats: a territory holds whole accounts, "
                              "at least one")
    if cfg.compensation.cap_attainment < 1.0:
        raise ConfigError("compensation.cap_attainment", cfg.compensation.cap_attainment,
                          "a number >= 1 (the cap must lie at or above quota)")
    fixed = cfg.tools.admin_hours + cfg.tools.internal_hours + cfg.enablement.search_hours
    if fixed >= cfg.org.weekly_hours:
        raise ConfigError("tools.admin_hours + tools.internal_hours + enablement.search_hours", f"{fixed:g}",
                          f"a sum below org.weekly_hours ({cfg.org.weekly_hours:g}), leaving time to "
                          f"sell (here {cfg.tools.admin_hours:g} + {cfg.tools.internal_hours:g} + "
                          f"{cfg.enablement.search_hours:g})")
    return fixed


def _refuse_a_segment_unnamed(seg: str, setting: str, segments) -> None:
    """A segment of market.segments that a per-segment setting has no value for: the model reads
    every segment's, seats or none. In a file, a misspelt segment (enterprize) is a new one, merged
    beside the configured ones, which a sales-ops walk met as a traceback."""
    others = [s for s in segments if s != seg]
    near = nearest_name(seg, others)
    raise UserError(f"market.segments.{seg} is not allowed: a segment every per-segment setting has a "
                    f"value for ({setting} has none for {seg})"
                    + (f"; did you mean {near}? A segment named in a file is added beside "
                       f"{', '.join(others)}" if near else ""))


def _check_roles(cfg: Config) -> None:
    """The roles of stakeholders beside the economic buyer: shares that sum to 1; the roles content
    addresses: named once each, among them."""
    roles = cfg.market.stakeholder_roles
    for name, share in roles.items():
        if name == ECONOMIC_BUYER:
            raise ConfigError(f"market.stakeholder_roles.{name}", share, "a role beside the economic "
                              "buyer, who is every group's first stakeholder and takes no share")
        _check_number(f"market.stakeholder_roles.{name}", share, {"ge": 0.0, "le": 1.0})
    total = sum(roles.values())
    if abs(total - 1.0) > 1e-6:
        raise ConfigError("market.stakeholder_roles", dict(roles), f"shares that sum to 1 (they sum to "
                          f"{total:g}; a role left out of a mapping you set keeps its configured "
                          "share, so set it to 0.0 for none)")
    _check_content_roles("enablement.content_roles", cfg.enablement.content_roles, roles,
                        "enablement.content_role_coverage")


def _check_content_roles(key: str, named: Any, roles: dict[str, float], coverage_key: str) -> None:
    """The buyer roles a content addresses (unset, or a list of known roles, each once)."""
    if named is None:
        return
    known = [ECONOMIC_BUYER, *roles]
    allowed = (f"a list of buyer roles, each once, from {', '.join(known)}; or null, for the share "
               f"of roles {coverage_key} gives")
    if not isinstance(named, (list, tuple)) or isinstance(named, str):
        raise ConfigError(key, named, allowed)
    for role in named:
        if role not in known or list(named).count(role) > 1:
            near = nearest_name(str(role), known)
            hint = f"; did you mean {near} for {role}?" if near and near != role else ""
            raise ConfigError(key, f"[{','.join(map(str, named))}]", allowed + hint)


# The changes of seats and teams, with when each acts (month, then name, as the levers run):
# (when, span investment's key, its span) or (when, None, seats added).
Structure = list[tuple[tuple[int, str], "str | None", float]]


def _check_investments(cfg: Config, horizon_months: int) -> tuple[dict[str, tuple[float, float]], Structure]:
    """Each investment's settings against the config and the investments before it (by name, as
    the levers run); the weekly hours they add, by key -> (its value, the hours), and the
    changes of seats and teams they make."""
    from salessim.model import levers  # the levers' specs build on this module's checks
    from salessim.model.organization import largest_remainder

    segments = cfg.market.segments
    seats = largest_remainder(cfg.org.sellers, cfg.org.segment_mix)
    kinds: dict[str, list[str]] = {}
    overlaid: dict[str, str] = {}  # segment -> the overlay investment that staffs it
    added: dict[str, tuple[float, float]] = {}
    structure: Structure = []
    converted: dict[str, float] = {}  # segment -> the share of its seats coverage converts
    for name, raw in sorted(cfg.investment.items()):
        spec = levers.parse(name, raw, held=list(cfg.investment))
        kinds.setdefault(spec.kind, []).append(name)
        if spec.kind in levers.ONE_PER_SCENARIO and len(kinds[spec.kind]) > 1:
            names = sorted(kinds[spec.kind])
            raise ConfigError("investment", f"[{','.join(names)}]",
                              f"at most one {spec.kind} investment in a scenario ({', '.join(names)} "
                              f"would each set {levers.ONE_PER_SCENARIO[spec.kind]}, the second "
                              "overwriting the first): describe them as one investment")
        added.update(_hours_added(name, spec))
        if spec.kind == "fsm_span":
            structure.append((_span_acts_alone(spec, name, cfg, structure),
                              f"investment.{name}.span_of_control", spec.span_of_control))
        if spec.kind == "coverage" and spec.added_sellers:
            structure.append((_acts_at(spec, name, cfg), None, spec.added_sellers))
        segment = getattr(spec, "segment", None)
        if segment is not None:
            _check_segment_staffed(name, segment, segments, seats)
        if spec.kind == "coverage":
            _check_coverage_changes(cfg, name, spec, seats[segment])
            converted[segment] = converted.get(segment, 0.0) + spec.convert_share
            if converted[segment] > 1.0 + 1e-9:
                raise ConfigError(f"investment.{name}.convert_share", spec.convert_share,
                                  f"at most {max(0.0, 1.0 - converted[segment] + spec.convert_share):.3g}: "
                                  f"the coverage investments on {segment} would convert more than "
                                  f"all of its seats ({converted[segment]:.3g} of them)")
        if getattr(spec, "accounts_taken", None) == "largest":
            _check_accounts_differ(name, segment, segments[segment])
        if spec.kind == "content":
            _check_content_roles(f"investment.{name}.roles", spec.roles, cfg.market.stakeholder_roles,
                                f"investment.{name}.role_coverage")
        if spec.kind == "overlay":
            _check_overlay(name, spec, overlaid)
            overlaid[segment] = name
        _check_start_month(name, spec, cfg, horizon_months)
    return added, structure


def _span_acts_alone(spec, name: str, cfg: Config, structure: Structure) -> tuple[int, str]:
    """When an fsm_span investment acts, refused if another regroups the teams that month."""
    when = _acts_at(spec, name, cfg)
    same_month = [other for (month, other), key, _ in structure if key is not None and month == when[0]]
    if same_month:
        unset = "" if spec.start_month is not None else ", which an unset start_month is (the warm-up's end)"
        raise ConfigError(f"investment.{name}.start_month", when[0],
                          f"a month no other fsm_span investment acts in{unset} ({same_month[0]} "
                          f"regroups the teams in month {when[0]} too, and only the later "
                          "regrouping would stand, the first one's FSM hires charged for "
                          "nothing): give them different start months, or keep one")
    return when


def _check_segment_staffed(name: str, segment: str, segments: dict, seats: dict[str, int]) -> None:
    if segment not in segments:
        raise ConfigError(f"investment.{name}.segment", segment,
                          "a segment of market.segments: " + ", ".join(segments))
    if not seats.get(segment):
        raise ConfigError(f"investment.{name}.segment", segment,
                          "a segment with seats (org.segment_mix gives it none): "
                          + ", ".join(s for s in segments if seats.get(s)))


def _check_accounts_differ(name: str, segment: str, seg) -> None:
    """Taking the largest accounts needs accounts of different sizes."""
    if seg.deal_value_sigma * seg.deal_value_account_share == 0.0:
        raise ConfigError(f"investment.{name}.accounts_taken", "largest",
                          f"'any' while the {segment} accounts are all alike "
                          f"(market.segments.{segment}.deal_value_sigma "
                          f"{seg.deal_value_sigma:g}, deal_value_account_share "
                          f"{seg.deal_value_account_share:g}): no account is larger")


def _check_overlay(name: str, spec, overlaid: dict[str, str]) -> None:
    if spec.hours_per_round > spec.hours_per_week:
        raise ConfigError(f"investment.{name}.hours_per_round", spec.hours_per_round,
                          f"at most hours_per_week ({spec.hours_per_week:g}): a round one "
                          "specialist cannot give in a week")
    if spec.segment in overlaid:
        raise ConfigError(f"investment.{name}.segment", spec.segment,
                          f"a segment no other overlay investment staffs ({overlaid[spec.segment]} "
                          "does): describe the specialists of a segment as one investment")


def _check_start_month(name: str, spec, cfg: Config, horizon_months: int) -> None:
    """An investment starts inside the horizon, and not in the warm-up. Unset, it starts when the
    warm-up ends, which is before the horizon (checked first)."""
    if spec.start_month is None:
        return
    if spec.start_month >= horizon_months:
        raise ConfigError(f"investment.{name}.start_month", spec.start_month,
                          f"a month before the horizon ({horizon_months:g} months)")
    if spec.start_month < cfg.sim.warmup_months:
        # Its costs in the warm-up would escape the summary while its effects count there.
        raise ConfigError(f"investment.{name}.start_month", spec.start_month,
                          f"a month at or after the end of the warm-up (sim.warmup_months="
                          f"{cfg.sim.warmup_months}), so that all its costs are measured; "
                          "leave it unset to start when the warm-up ends")


def _acts_at(spec, name: str, cfg: Config) -> tuple[int, str]:
    """When a structural investment acts: its start month (the warm-up's end if unset), then its
    name, the order of the levers within a month."""
    return (cfg.sim.warmup_months if spec.start_month is None else spec.start_month), name


def _check_teams(cfg: Config, structure: Structure) -> None:
    """An FSM's business hours grow with the team (Fsm.plan_week): every team a span makes must
    leave its FSM time for customers and people. The span makes teams of the organization's
    seats; an fsm_span investment regroups every seat there is when it acts; seats a coverage
    investment adds form teams of their own, of the span in force (rounded) at most.
    ``structure``: those changes in the order they act (validate's)."""
    from salessim.model.organization import teams_for
    f = cfg.fsm
    if f.business_hours_base >= f.weekly_hours:
        raise ConfigError("fsm.business_hours_base", f.business_hours_base,
                          f"a number below fsm.weekly_hours ({f.weekly_hours:g}), leaving the FSM "
                          "time for customers and people")
    room = ((f.weekly_hours - f.business_hours_base) / f.business_hours_per_seller
            if f.business_hours_per_seller > 0 else math.inf)
    # sellers a team may have; a rate so small that the quotient overflows limits no team
    most = math.ceil(room) - 1 if math.isfinite(room) else math.inf
    if most < 1:
        raise ConfigError("fsm.business_hours_per_seller", f.business_hours_per_seller,
                          f"a number that leaves the FSM of a single seller time besides business "
                          f"hours: fsm.business_hours_base ({f.business_hours_base:g}) plus it below "
                          f"fsm.weekly_hours ({f.weekly_hours:g})")

    def check(key: str, span: float, seats: int, team: int, made: str) -> None:
        if team <= most:
            return
        if seats:  # the span whose teams of these seats hold `most` at most
            widest = seats / (math.ceil(seats / most) - 0.5)
            allowed = f"a span of at most {math.floor(widest * 100) / 100:g} for {seats} sellers"
        else:  # teams of round_half_up(span) seats
            allowed = f"a span below {most + 0.5:g}"
        # the span as typed, 45 not 45.0 (a walk); the last words are of a team's size, not a span's
        typed = str(int(span)) if float(span).is_integer() else repr(float(span))
        raise ConfigError(key, typed, f"{allowed}, so that a team leaves its FSM time besides "
                          f"business hours: {made} teams of up to {team}, whose business hours "
                          f"(fsm.business_hours_base {f.business_hours_base:g} + "
                          f"fsm.business_hours_per_seller {f.business_hours_per_seller:g} × {team}) "
                          f"fill fsm.weekly_hours ({f.weekly_hours:g}); a team holds {most} sellers at most")

    key, span, sellers = "fsm.span_of_control", f.span_of_control, cfg.org.sellers
    check(key, span, sellers, math.ceil(sellers / teams_for(sellers, span)),
          f"{sellers} sellers at a span of {span:g} make")
    total, added_at_this_span = sellers, 0

    def check_added() -> None:  # the teams the seats added at the span in force make
        if added_at_this_span:
            later = "" if key == "fsm.span_of_control" else " after it"
            check(key, span, 0, min(round_half_up(span), added_at_this_span),
                  f"the {added_at_this_span} seats the coverage investments add{later} form")

    for _, span_key, value in structure:
        if span_key is None:
            total += int(value)
            added_at_this_span += int(value)
            continue
        check_added()
        key, span, added_at_this_span = span_key, value, 0
        check(key, span, total, math.ceil(total / teams_for(total, span)),
              f"{total} sellers ({total - sellers} of them added) at a span of {span:g} make"
              if total > sellers else f"{total} sellers at a span of {span:g} make")
    check_added()


def _hours_added(name: str, spec) -> dict[str, tuple[float, float]]:
    """The weekly hours an investment adds to a seller's fixed hours at its most, by key: its value
    and the hours: a content change at its effect_scale, a coverage change of internal hours, a
    tool's rollout dip (counted whole, more than it ever is once the first month's adoption has
    begun: a check on the safe side)."""
    out = {}
    for key, scale in (("search_hours_change", getattr(spec, "effect_scale", 1.0)),
                       ("internal_hours_change", 1.0), ("rollout_dip_hours", 1.0)):
        value = getattr(spec, key, None)
        if value is not None and value * scale > 0.0:
            out[f"investment.{name}.{key}"] = (value, value * scale)
    return out


def _check_time_to_sell(cfg: Config, fixed: float, added: dict[str, tuple[float, float]]) -> None:
    """Investments may add fixed hours together (a content change scaled up, a tool's dip, more
    travel) only while a week keeps time to sell: else the run would squeeze every fixed part of
    the week to fit, silently, and sell nothing. Coverage changes of internal hours do not add up:
    each sets its own seats' hours, so the largest counts."""
    travel = [k for k in added if k.endswith(".internal_hours_change")]
    added = {k: v for k, v in added.items()
             if k not in travel or k == max(travel, key=lambda t: added[t][1])}
    if not added or fixed + sum(hours for _, hours in added.values()) < cfg.org.weekly_hours:
        return
    key, (value, _) = max(added.items(), key=lambda item: item[1][1])
    said = " + ".join(f"{k.removeprefix('investment.')} {v:g}" + (f" × effect_scale {h / v:g}" if h != v else "")
                      for k, (v, h) in added.items())
    raise ConfigError(key, value, f"a change that leaves time to sell: admin + internal + search "
                      f"hours ({fixed:g}) plus the weekly hours the investments add ({said}) stay "
                      f"below org.weekly_hours ({cfg.org.weekly_hours:g})")


def _check_coverage_changes(cfg: Config, name: str, spec, seats: int) -> None:
    """A coverage investment must change something it is charged for: convert a seat or add one,
    and hand accounts over only to seats it adds."""
    key = f"investment.{name}"
    if spec.convert_share == 0.0 and spec.added_sellers == 0:
        raise ConfigError(f"{key}.convert_share", 0.0,
                          "a share above 0, or added_sellers above 0: as it is, the investment "
                          "changes no seat and would still be charged (a sweep's do-nothing "
                          "scenario is investment=[])")
    if spec.convert_share > 0.0 and round_half_up(spec.convert_share * seats) == 0:
        raise ConfigError(f"{key}.convert_share", spec.convert_share,
                          f"at least {math.ceil(0.5 / seats * 1e4) / 1e4:g}, half a seat of the {spec.segment} "
                          f"segment's {seats}: this share converts none of them")
    if spec.added_sellers == 0:
        if spec.account_share > 0.0:
            raise ConfigError(f"{key}.account_share", spec.account_share,
                              "0 while added_sellers is 0: only added seats take accounts over")
        return
    _check_accounts_for_added_seats(cfg, name, spec, seats)


def _check_accounts_for_added_seats(cfg: Config, name: str, spec, seats: int) -> None:
    """Added seats must get accounts: ``account_share`` of the segment's accounts, at least one
    per added seat (a seat without accounts is paid and books nothing)."""
    from salessim.model.organization import accounts_per_territory
    accounts = seats * accounts_per_territory(cfg.coverage, spec.segment)
    if spec.added_sellers > accounts:  # no share can give every added seat an account
        raise ConfigError(f"investment.{name}.added_sellers", spec.added_sellers,
                          f"at most the segment's {accounts} accounts: each added seat needs at "
                          "least one")
    handed = spec.account_share * accounts
    if handed < spec.added_sellers:
        raise ConfigError(f"investment.{name}.account_share", spec.account_share,
                          f"a share of the segment's {accounts} accounts that gives each of the "
                          f"{spec.added_sellers} added seats at least one (at least "
                          f"{spec.added_sellers / accounts:.3g})")


def segment_maps(cfg: Config):
    for group in ("org", "coverage", "compensation"):
        node = getattr(cfg, group)
        for f in dataclasses.fields(node):
            if f.metadata.get("per_segment"):
                yield group, f.name, getattr(node, f.name)
