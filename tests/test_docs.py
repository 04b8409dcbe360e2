"""docs/model.md documents every parameter with its current default; docs/results.md every column."""

import dataclasses
import re

from salessim.config import Config
from salessim.model.records import FSM_COLUMNS, KPI_COLUMNS, OPPORTUNITY_COLUMNS, SELLER_COLUMNS, TRACE_COLUMNS
from salessim.summary import SUMMARY_COLUMNS
from tests.conftest import ROOT

ROW = re.compile(r"^\| `([a-z_][a-z0-9_.<>]*)` \| ([^|]*) \|", re.M)


def _show(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "; ".join(f"{k} {_show(v)}" for k, v in value.items()) if value else "{}"
    return str(value)


def schema_defaults(cfg: Config | None = None) -> dict[str, str]:
    """Every key of the main schema with its value in ``cfg`` (default: the schema's defaults),
    as docs/model.md writes it."""
    cfg = Config() if cfg is None else cfg
    out = {}
    for group in dataclasses.fields(cfg):
        node = getattr(cfg, group.name)
        if not dataclasses.is_dataclass(node):
            out[group.name] = _show(node)
            continue
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if f.name == "segments":
                for key in (k.name for k in dataclasses.fields(next(iter(value.values())))):
                    out[f"market.segments.<segment>.{key}"] = _show(
                        {seg: getattr(spec, key) for seg, spec in value.items()})
            elif dataclasses.is_dataclass(value):  # a section of its own: market.forms
                for k in dataclasses.fields(value):
                    out[f"{group.name}.{f.name}.{k.name}"] = _show(getattr(value, k.name))
            else:
                out[f"{group.name}.{f.name}"] = _show(value)
    return out


def test_model_md_documents_every_parameter_with_its_default():
    text = (ROOT / "docs" / "model.md").read_text()
    documented = {key: default.strip() for key, default in ROW.findall(text)}
    expected = schema_defaults()
    missing = sorted(set(expected) - set(documented))
    assert not missing, f"parameters missing from docs/model.md: {missing}"
    stale = {k: (documented[k], v) for k, v in expected.items() if documented[k] != v}
    assert not stale, f"docs/model.md defaults differ from the code (doc, code): {stale}"


def test_model_md_has_no_row_for_a_key_the_schema_lacks():
    """A renamed or removed key leaves no row behind in the parameter tables."""
    documented = {key for key, _ in ROW.findall((ROOT / "docs" / "model.md").read_text())}
    stale = sorted(documented - set(schema_defaults()))
    assert not stale, f"docs/model.md documents keys the schema does not have: {stale}"


def test_shipped_configs_keep_the_documented_defaults(hydra_compose):
    """The default config as salessim composes it (configs/*.yaml over the schema) is the one the
    parameter tables document: a default set in a shipped file, not in the schema, would
    escape the check above."""
    from omegaconf import OmegaConf

    composed = schema_defaults(OmegaConf.to_object(hydra_compose()))
    differ = {k: (v, composed.get(k)) for k, v in schema_defaults().items() if composed.get(k) != v}
    assert not differ, f"shipped configs change documented defaults (schema, composed): {differ}"


def test_results_md_documents_every_column():
    text = (ROOT / "docs" / "results.md").read_text()
    columns = set(SUMMARY_COLUMNS) | set(OPPORTUNITY_COLUMNS) | set(SELLER_COLUMNS) | set(FSM_COLUMNS)
    columns |= set(KPI_COLUMNS) | set(TRACE_COLUMNS)
    missing = sorted(c for c in columns if f"`{c}`" not in text)
    assert not missing, f"columns missing from docs/results.md: {missing}"
    # each segment's, counted in words (a walk found 'seven' over a table of eight)
    from salessim.summary import SEGMENT_METRICS
    per_segment = [f"`{m}_<segment>`" for m in SEGMENT_METRICS]
    assert all(c in text for c in per_segment), per_segment
    words = ("one two three four five six seven eight nine ten eleven twelve").split()
    assert f"the summary carries {words[len(SEGMENT_METRICS) - 1]} columns for each segment" in text


def test_model_md_documents_every_investment_setting_with_its_default():
    """Section 16 has a row for each setting of each kind: the settings every kind shares in its
    opening table, a kind's own (or a shared one it gives another default) in its subsection
    (`kind: NAME`), each with the default."""
    from salessim.model import levers
    from salessim.model.levers.base import EffectSpec

    text = (ROOT / "docs" / "model.md").read_text()
    section = text[text.index("## 16. Investment levers"):_shipped_section_start(text)]
    parts = re.split(r"^### 16\.\d+ .*\(`kind: (\w+)`\)$", section, flags=re.M)
    tables = {"": parts[0], **dict(zip(parts[1::2], parts[2::2]))}
    # the report's table of assumptions sends a reader to each kind's subsection by its number
    headed = dict(re.findall(r"^### (16\.\d+) .*\(`kind: (\w+)`\)$", section, flags=re.M))
    assert headed == {number: kind for kind, number in levers.SECTIONS.items()}, (
        "each kind of levers.KINDS needs a subsection '### 16.N Title (`kind: NAME`)' in docs/model.md "
        "before "
        f"'{levers.SHIPPED_SECTION[1]}', and its number in levers.SECTIONS: docs {headed}, "
        f"SECTIONS {levers.SECTIONS}")
    # section 16's kind row and the MHI table name every kind
    kind_row = re.search(r"^\| kind \| \(required\) \| ([^|]*)\|", section, flags=re.M).group(1)
    mhi = set(re.findall(r"^\| (\w+) \| [^|]*\(\d+%", section, flags=re.M))
    for kind in levers.KINDS:
        assert kind in re.findall(r"\w+", kind_row), f"docs/model.md, section 16: its kind row lacks {kind}"
        assert kind in mhi, f"docs/model.md, section 16: the MHI table has no row for {kind}"
    row = re.compile(r"^\| (\w+) \| ([^|]*) \|", re.M)
    # A shared setting is in the opening table, unless a kind gives it a default of its own.
    shared = {f.name: f.default for f in dataclasses.fields(EffectSpec)}
    for kind, lever in levers.KINDS.items():
        assert kind in tables, f"docs/model.md has no subsection for kind {kind}"
        for f in dataclasses.fields(lever.spec_class):
            if f.name not in levers.settings(kind) or f.name in ("kind", "description", "start_month"):
                continue
            own = f.name not in shared or shared[f.name] != f.default
            rows = dict(row.findall(tables[kind if own else ""]))
            assert f.name in rows, f"docs/model.md, kind {kind}: no row for {f.name}"
            assert rows[f.name].strip() == _show(f.default), (
                f"docs/model.md, kind {kind}: the row for {f.name} gives {rows[f.name].strip()!r}, the "
                "default "
                f"is {_show(f.default)!r}")


def test_calibration_md_documents_every_study_setting_with_its_default():
    """The study's settings table has a row for each calibration.* key with its default; the
    default free parameters (calibration.params) are section 2's table, each with its range."""
    from salessim.config import CalibrationConfig

    text = (ROOT / "docs" / "calibration.md").read_text()
    documented = {key: default.strip() for key, default in ROW.findall(text)}
    for f in dataclasses.fields(CalibrationConfig):
        key = f"calibration.{f.name}"
        assert key in documented, f"docs/calibration.md: no row for {key}"
        default = getattr(CalibrationConfig(), f.name)
        if f.name != "params":
            assert documented[key] == _show(default), (key, documented[key], default)
    section = text[text.index("## 2. Free parameters"):text.index("## 3. The study")]
    ranges = {key: (mode, low, high) for key, mode, low, high in re.findall(
        r"^\| `([^`]+)`( \(scale\))? \| (\S+) – (\S+?)(?: ×)? \|", section, flags=re.M)}
    for key, spec in CalibrationConfig().params.items():
        assert key in ranges, f"docs/calibration.md, section 2: no row for {key}"
        mode, low, high = ranges[key]
        assert (float(low.replace("−", "-")), float(high.replace("−", "-"))) == (spec["low"], spec["high"]), key
        assert bool(mode) == (spec.get("mode") == "scale"), key


def _shipped_section_start(text: str) -> int:
    """Where docs/model.md's section on the shipped investments starts, found by its title: a kind
    added before it moves its number (levers.SHIPPED_SECTION)."""
    from salessim.model import levers

    number, title = levers.SHIPPED_SECTION
    found = re.search(rf"^### (16\.\d+) {re.escape(title)}$", text, flags=re.M)
    assert found, f"docs/model.md has no section '### 16.N {title}'"
    assert found.group(1) == number, f"SHIPPED_SECTION says {number}; docs/model.md has {found.group(1)}"
    return found.start()


def _paired(investments: list[str], setting: str, value: str) -> list[tuple[str, str, str]]:
    """(investment, setting, its value) of a row of docs/model.md's section 16.9, paired by place:
    settings and values in the same order, groups of settings parted by '; ' (each group's by
    ', ', as its values), else single settings by ', '; a value's variants for the row's
    investments parted by ' / ', in their order."""
    groups = [g.split(", ") for g in setting.split("; ")] if ";" in setting else [[k] for k in setting.split(", ")]
    values = value.split("; ") if len(groups) > 1 else [value]
    assert len(values) == len(groups), f"docs/model.md, 16.9: {setting} | {value}: not one value each"
    pairs = []
    for keys, said in zip(groups, values):
        variants = said.split(" / ")
        if len(variants) == 1:
            variants *= len(investments)
        assert len(variants) == len(investments), f"docs/model.md, 16.9: {said}: not one for each of {investments}"
        for name, variant in zip(investments, variants):
            parts = variant.split(", ") if len(keys) > 1 else [variant]
            assert len(parts) == len(keys), f"docs/model.md, 16.9: {keys} | {variant}: not one value each"
            pairs += [(name, key, part) for key, part in zip(keys, parts)]
    return pairs


def test_model_md_gives_every_setting_a_shipped_investment_sets_away_from_its_kind():
    """Section 16.9 says it gives each value the shipped investments (configs/investment/) set:
    a setting one of them sets away from its kind's default (content_flood's fit, a roll-out's
    months) has a row naming it for that investment, whose values include the one it sets."""
    from omegaconf import OmegaConf

    from salessim.model import levers
    from salessim.validation import without_point_zero

    text = (ROOT / "docs" / "model.md").read_text()
    section = text[_shipped_section_start(text):]
    section = section[:section.index("\n\n", section.index("| Investment |"))]
    named: dict[str, dict[str, set[str]]] = {}  # investment: setting: the words of its value
    investments: list[str] = []
    for cell, setting, value in re.findall(r"^\|([^|]*)\|([^|]*)\|([^|]*)\|", section, flags=re.M)[1:]:
        if cell.strip():  # an empty cell: the row above's investments
            investments = []
            for part in (p.strip() for p in cell.split(",")):
                # "methodology_training, _connected": the second is methodology_training_connected
                investments.append(investments[0] + part if part.startswith("_") else part)
        for name, key, said in _paired(investments, setting.strip(), value.strip()):
            words = set(re.findall(r"[\w.,]*\w", said.replace("−", "-")))  # 1,500; 0.12; true
            words |= {"-" + w for w in re.findall(r"-([\w.,]*\w)", said.replace("−", "-"))}  # −1.5
            named.setdefault(name, {}).setdefault(key, set()).update(words)
    unsaid = []
    for path in sorted((ROOT / "configs" / "investment").glob("*.yaml")):
        (name, spec), = OmegaConf.to_container(OmegaConf.load(path)).items()
        defaults = levers.KINDS[spec["kind"]].spec_class()
        for key, value in spec.items():
            if key in ("kind", "description", "start_month") or value == getattr(defaults, key, object()):
                continue
            shown = {f"{without_point_zero(value):,}" if isinstance(value, (int, float))
                     and not isinstance(value, bool) else str(value).lower(), str(value)}
            if not shown & named.get(name, {}).get(key, set()):
                unsaid.append(f"{name}.{key}={value}")
    assert not unsaid, f"docs/model.md, section 16.9: no row gives {unsaid}"
