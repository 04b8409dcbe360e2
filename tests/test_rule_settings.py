"""Settings of the decision that only some decision rules read: said before a run, a sweep or a
study, since under another rule they change nothing (salessim.rule_settings)."""

import warnings
from types import SimpleNamespace

import pytest

import salessim
from salessim.config import Config
from salessim.notices import before_run
from salessim.validation import to_validated


def _config(**market) -> Config:
    cfg = Config()
    for key, value in market.items():
        setattr(cfg.market, key, value)
    return to_validated(cfg)


def _bookings(**market) -> list[float]:
    from salessim.notices import RunNotice

    with warnings.catch_warnings():  # the notices these runs give are tested below
        warnings.simplefilter("ignore", RunNotice)
        res = salessim.run({"org": "small", "sim.years": 1, "sim.warmup_months": 1, "sim.replications": 2,
                            **{f"market.{k}": v for k, v in market.items()}}, progress=False)
    return list(res.summary.sort_values("replication")["bookings_usd"])


@pytest.mark.parametrize("rule, setting, other", [
    ("weighted_consensus", "veto_threshold", -0.6),
    ("economic_buyer", "veto_threshold", -0.6),
    ("economic_buyer", "dissent_indecision", 1.5),
])
def test_a_setting_the_rule_does_not_read_changes_no_deal(rule, setting, other):
    """What the notices below claim: the same deals whatever the value, under a rule that does not
    read it; other deals under one that does (the claim is not true of every setting)."""
    assert _bookings(decision_rule=rule, **{setting: other}) == _bookings(decision_rule=rule)
    reads = "soft_veto" if setting == "veto_threshold" else "weighted_consensus"
    assert _bookings(decision_rule=reads, **{setting: other}) != _bookings(decision_rule=reads)


def test_a_run_is_told_of_a_setting_its_rule_does_not_read():
    said = before_run(_config(veto_threshold=-0.6))
    assert ("market.veto_threshold=-0.6 is read only under market.decision_rule=unanimity_veto or soft_veto, "
            "the rules that let one stakeholder block an option; this run's is weighted_consensus, so the "
            "value changes nothing here (docs/model.md, section 9.5)") in said
    said = before_run(_config(decision_rule="economic_buyer", dissent_indecision=1.5))
    assert [line for line in said if "dissent_indecision" in line] == [
        "market.dissent_indecision=1.5 is read under every market.decision_rule but economic_buyer, where "
        "one person decides and no disagreement holds the group back; this run's is economic_buyer, so the "
        "value changes nothing here (docs/model.md, section 9.5)"]
    # read by the rule, or at its default: nothing to say
    for quiet in (_config(decision_rule="soft_veto", veto_threshold=-0.6), _config(),
                  _config(decision_rule="economic_buyer")):
        assert not [line for line in before_run(quiet) if "changes nothing" in line]
    # a sweep's jobs say nothing of it: the sweep says it once, for them all (below)
    assert not [line for line in before_run(_config(veto_threshold=-0.6), sweep=True) if "changes nothing" in line]


def test_salessim_run_warns_of_a_setting_its_rule_does_not_read():
    from salessim.notices import RunNotice

    with pytest.warns(RunNotice, match="market.veto_threshold=-0.6 is read only under"):
        salessim.run({"org": "small", "sim.years": 0.25, "sim.warmup_months": 0, "sim.replications": 1,
                      "market.veto_threshold": -0.6}, progress=False)


def test_a_sweep_is_told_once_of_the_values_its_jobs_rules_do_not_read(tmp_path, capsys):
    """Its default value too: a job at -0.3 runs the same as one at -0.6, which is what a sweep of
    the threshold under consensus would show as a measured zero."""
    from salessim.preflight import check_command

    check_command(["-m", "org=small", "market.veto_threshold=-0.3,-0.6", f"hydra.sweep.dir={tmp_path / 's'}"])
    err = capsys.readouterr().err
    assert err.count("read only under") == 1, err
    assert ("salessim: market.veto_threshold is read only under market.decision_rule=unanimity_veto or "
            "soft_veto, the rules that let one stakeholder block an option; the sweep's jobs run "
            "weighted_consensus, so its values there, -0.6, -0.3, change nothing in them "
            "(docs/model.md, section 9.5)") in err
    check_command(["-m", "org=small", "market.veto_threshold=-0.3,-0.6",
                   "market.decision_rule=soft_veto,weighted_consensus,economic_buyer",
                   f"hydra.sweep.dir={tmp_path / 't'}"])
    err = capsys.readouterr().err
    assert err.count("read only under") == 1, err
    assert "4 of the sweep's 6 jobs run weighted_consensus or economic_buyer, so its values there" in err
    # every job under a rule that reads it: nothing
    check_command(["-m", "org=small", "market.veto_threshold=-0.3,-0.6", "market.decision_rule=soft_veto",
                   f"hydra.sweep.dir={tmp_path / 'u'}"])
    assert "read only under" not in capsys.readouterr().err


def test_a_study_is_told_of_a_free_parameter_no_rule_it_runs_reads():
    from salessim.calibration.cli import free_unread

    def study(*rules: str, free=("market.neutral_quality", "market.veto_threshold")):
        bases = {(): _config(decision_rule=rules[0]),
                 **{(f"market.decision_rule={r}",): _config(decision_rule=r) for r in rules[1:]}}
        return SimpleNamespace(bases=bases, params=[SimpleNamespace(key=k) for k in free])

    assert free_unread(study("weighted_consensus", "economic_buyer")) == [
        "calibration.free fits market.veto_threshold, which is read only under "
        "market.decision_rule=unanimity_veto or soft_veto, the rules that let one stakeholder block an "
        "option; the study runs weighted_consensus and economic_buyer (its setup and its targets' "
        "conditions), so no trial's score depends on it and its fitted value would be arbitrary: leave it "
        "out of calibration.free, or give a target a condition that sets a rule that reads it"]
    # a condition under a rule that reads it: its targets pin it down
    assert free_unread(study("weighted_consensus", "soft_veto")) == []
    assert free_unread(study("weighted_consensus", free=("market.neutral_quality",))) == []
    assert [line.split(",")[0] for line in free_unread(study("economic_buyer", free=(
        "market.dissent_indecision", "market.veto_threshold")))] == [
        "calibration.free fits market.veto_threshold", "calibration.free fits market.dissent_indecision"]
