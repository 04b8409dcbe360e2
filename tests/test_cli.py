"""The commands' own help: what they do, examples, and where their keys are documented."""

import contextlib
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.commands import run_module
from tests.conftest import ROOT, run_cli


def test_help_asked_of_a_sweep_is_the_help_of_its_settings():
    """A sales-ops walk's `salessim -m fsm.span_of_control=8,12 --help` ended in Hydra's traceback
    ('Ambiguous value'): the help, with the settings that are not swept, and exit 0."""
    proc = run_cli("-m", "fsm.span_of_control=8,12", "org=small", "--help")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("salessim: a discrete-event simulation") and "Traceback" not in proc.stderr
    assert re.search(r"\n  sellers: 20( +#.*)?\n", proc.stdout)  # org=small's, in the config shown


@pytest.mark.parametrize("argv,config_name,words", [
    (["hydra.sweep.dir=/tmp/x", "sim.replications=2"], "config",
     "hydra.sweep.dir=/tmp/x is not read by a single run, which writes to hydra.run.dir (allowed: "
     "hydra.run.dir=/tmp/x, or -m for a sweep)"),
    (["-m", "org.sellers=20,30", "hydra.run.dir=/tmp/x"], "config",
     "hydra.run.dir=/tmp/x is not read by a sweep (-m), which writes to hydra.sweep.dir (allowed: "
     "hydra.sweep.dir=/tmp/x)"),
    (["hydra.sweep.dir=/tmp/x"], "calibrate",
     "hydra.sweep.dir=/tmp/x is not read by salessim-calibrate, which writes to hydra.run.dir (allowed: "
     "hydra.run.dir=/tmp/x)"),
])
def test_the_folder_setting_of_the_other_mode_is_refused(argv, config_name, words):
    """A sales-ops walk's `salessim hydra.sweep.dir=FOLDER` wrote to results/runs/<time> without a
    word, and the comparison of FOLDER then found nothing; both settings typed (a wrapper's) pass."""
    from salessim.errors import UserError
    from salessim.preflight import check_command

    with pytest.raises(UserError) as info:
        check_command(argv, config_name)
    assert info.value.message == words
    assert check_command(["sim.replications=1", "hydra.sweep.dir=/tmp/x", "hydra.run.dir=/tmp/x/run",
                          "--cfg", "job"]) == 1
    check_command(["hydra.sweep.dir=/tmp/x", "--help"])  # the help writes nothing: not refused


def test_help_names_salessim_and_its_commands():
    proc = run_cli("--help")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("salessim: a discrete-event simulation")
    for needed in ("docs/model.md", "docs/results.md", "== Configuration groups ==", "== Config =="):
        assert needed in out
    import tomllib

    commands = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert set(commands) > {"salessim", "salessim-compare", "salessim-rerun"}
    for command in commands:  # every installed command is named, so none is found by chance
        assert f"\n{command} " in out, command
    assert "powered by Hydra" not in out
    # the groups it takes, not salessim-calibrate's, which it refuses
    assert "\nexperiment: " in out and "\ntargets: " not in out
    # into a pipe, each group's options on its one line; at a terminal's width, wrapped there (the
    # investments' ran to some 350 characters)
    from salessim.compose import without_other_apps_groups
    investments = next(line for line in out.splitlines() if line.startswith("investment: "))
    assert len(investments) > 300
    shown = without_other_apps_groups(out, "config", width=100).splitlines()
    at = shown.index(next(line for line in shown if line.startswith("investment: ")))
    end = shown.index(next(line for line in shown if line.startswith("market: ")))
    assert end - at > 2 and all(len(line) <= 100 and line.startswith("  ") for line in shown[at + 1:end])
    assert " ".join(line.strip() for line in shown[at:end]) == investments


def test_help_says_what_each_key_means_beside_its_value():
    """A walk could not tell hours a week from a share, or a count from a chance, in --help's list
    of keys: each is followed by its schema field's doc, a segment's fields at the first segment
    only (the same words three times hid the values that differ)."""
    import dataclasses

    from salessim.config import Config, OrgConfig, SegmentConfig

    config = run_cli("--help").stdout.split("== Config ==")[1]
    doc = {f.name: f.metadata.get("doc") for f in dataclasses.fields(OrgConfig)}["weekly_hours"]
    assert doc and re.search(rf"\n  weekly_hours: 50\.0 +# {re.escape(doc)}\n", config)
    # a choice's values follow its meaning (a sales-ops walk found them only in a refusal)
    assert re.search(r"\n  decision_rule: weighted_consensus +# how the buying group decides: "
                     r"weighted_consensus \| unanimity_veto \| soft_veto \| economic_buyer\n", config)
    for f in dataclasses.fields(SegmentConfig):
        said = re.findall(rf"\n {{6}}{f.name}: \S+ +# (.*)\n", config)
        assert said == [f.metadata.get("doc")], (f.name, said)  # at smb, not again at the others
    # the meaning comes after the value, after its last line where a long text is wrapped: the lines
    # still read as the YAML they were (a review: an experiment's question, wrapped, read no more)
    import yaml

    assert yaml.safe_load(config.split("\n\n")[1])["org"]["weekly_hours"] == Config().org.weekly_hours
    question = ("Which plan pays: the accelerator or the quota stretch, for our mid-market sellers over "
                "three years?")
    for typed in ("experiment=fsm_span", f"experiment_question='{question}'"):
        config = run_cli(typed, "--help").stdout.split("== Config ==")[1]
        read = yaml.safe_load(config.split("\n\n")[1])
        assert read["org"]["weekly_hours"] == Config().org.weekly_hours
        assert "#" not in read["experiment_question"]
    assert read["experiment_question"] == question


def test_help_of_an_experiment_says_what_it_sweeps(tmp_path):
    """A sales-ops walk read an experiment's jobs only in its file: --help showed its question,
    not its sweep. A file's folded values come without the space YAML folds in; one's own too."""
    out = run_cli("-m", "experiment=investments", "--help").stdout
    said = out.split("== The sweep of experiment=investments ==\n")[1]
    assert said.startswith("Run with -m: one job for each combination of these values")
    assert "\n  investment: [],[methodology_training_connected],[product_training],[enablement_content]," \
           "[smb_inside_sales]," in said
    assert said.rstrip().endswith("Hydra's own options: salessim --hydra-help")
    (tmp_path / "experiment").mkdir()
    (tmp_path / "experiment" / "mine.yaml").write_text(
        "# @package _global_\nhydra:\n  sweeper:\n    params:\n      fsm.span_of_control: 6,9\n")
    own = run_cli("-cd", str(tmp_path), "experiment=mine", "--help").stdout
    assert "\n  fsm.span_of_control: 6,9\n" in own
    assert "== The sweep" not in run_cli("--help").stdout


def test_every_key_of_both_commands_says_what_it_means():
    """--help shows each key's doc: a key added without one would stand there unexplained."""
    import dataclasses
    import typing

    from salessim.config import CalibrateConfig

    def blank(schema, at=""):
        hints = typing.get_type_hints(schema)
        for f in dataclasses.fields(schema):
            inner = [a for a in typing.get_args(hints[f.name]) if dataclasses.is_dataclass(a)]
            if dataclasses.is_dataclass(hints[f.name]) or inner:  # a section, or market.segments
                yield from blank(hints[f.name] if not inner else inner[0], f"{at}{f.name}.")
            elif not f.metadata.get("doc"):
                yield at + f.name

    assert list(blank(CalibrateConfig)) == []


def test_calibrate_help_names_the_command_and_its_docs():
    proc = run_module("salessim.calibration.cli", "--help", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("salessim-calibrate: fit salessim")
    assert "docs/calibration.md" in proc.stdout and "powered by Hydra" not in proc.stdout
    assert "\ntargets: " in proc.stdout and "\nexperiment: " not in proc.stdout  # salessim's group
    config = proc.stdout.split("== Config ==")[1]
    sim = config.split("\nsim:\n")[1].split("\norg:")[0]  # keys a study refuses are not offered
    assert "  seed: " in sim and "  replications: " not in sim and "  trace: " not in sim, sim
    assert "\nexperiment_question:" not in config and "  final_replications: " in config


@pytest.mark.parametrize("moved", [True, False])
def test_calibrate_help_names_the_folder_its_fits_go_to(moved, tmp_path):
    """With SALESSIM_CALIBRATED_DIR set, --help still said each fit was copied to
    results/calibrated, which +calibrated reads; it names the folder in use, and how +calibrated
    finds a fit there."""
    env = {k: v for k, v in os.environ.items() if k != "SALESSIM_CALIBRATED_DIR"}
    if moved:
        env["SALESSIM_CALIBRATED_DIR"] = str(tmp_path / "calibrated")
    proc = run_module("salessim.calibration.cli", "--help", timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    header = " ".join(proc.stdout.split("Examples:")[0].split())
    if moved:
        said = (f"copies its calibrated.yaml to {tmp_path.resolve()}/calibrated/<calibration.name>.yaml "
                "(the folder SALESSIM_CALIBRATED_DIR names), which +calibrated=<calibration.name> reads "
                f"once you add hydra.searchpath=[file://{tmp_path.resolve()}] to the command;")
        assert said in header, header
        assert "results/calibrated" not in header
    else:
        assert ("copies its calibrated.yaml to results/calibrated/<calibration.name>.yaml, which "
                "+calibrated=<calibration.name> reads;") in header, header


COMMANDS = {"salessim": ("salessim", "config"), "salessim-calibrate": ("salessim.calibration.cli", "calibrate")}


@pytest.mark.parametrize("prog", COMMANDS)
def test_a_flag_refused_names_the_command_and_lists_what_it_takes(prog):
    """salessim-calibrate's messages listed -m, which it refuses, and named salessim; the list
    left out flags that work (--cfg all, --info, --version, -sc). Each command lists what it takes,
    and every option listed is one it takes."""
    from salessim.errors import UserError
    from salessim.preflight import parse_argv

    module, config = COMMANDS[prog]

    def line(*argv: str) -> str:
        proc = run_module(module, *argv, timeout=120)
        lines = [x for x in proc.stderr.splitlines() if x.strip()]
        assert proc.returncode == 2 and len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
        return lines[0]

    assert line("--config-path", "X") == (f"{prog}: error: --config-path is not supported by {prog} "
                                          "(allowed: -cd DIR to add a folder of configs to the search path)")
    unknown = line("-r")
    assert unknown.startswith(f"{prog}: error: unknown option '-r'; allowed: key=value overrides, "), unknown
    listed = unknown.split("allowed: ", 1)[1].split(", ")
    assert ("-m/--multirun" in listed) is (prog == "salessim")
    for taken in ("-c/--cfg job|hydra|all", "--version", "-sc/--shell-completion", "-cd/--config-dir DIR",
                  f"-cn/--config-name {config}", "-i/--info [all|config|defaults|defaults-tree|plugins|searchpath]"):
        assert taken in listed, (taken, listed)
    assert not any("config-path" in x for x in listed)
    for shown in listed[1:]:  # each is a flag the command knows (its value may be refused)
        flag, *value = shown.split()
        try:
            parse_argv([flag.split("/")[-1], *[v.strip("[]").split("|")[0] for v in value]], config)
        except UserError as e:
            assert "unknown option" not in e.message, (shown, e.message)
    with pytest.raises(UserError) as combined:
        parse_argv(["--cfg", "job", "--info"], config)
    assert combined.value.message.endswith(
        "(allowed: one of " + ("-m, " if prog == "salessim" else "") + "--cfg, --info, --shell-completion)")


@pytest.mark.parametrize("prog", COMMANDS)
def test_the_other_commands_config_is_refused_by_name(prog, tmp_path):
    """salessim-calibrate -cn config named a key (calibration.final_replications=2 is not a known
    key), or with --cfg ended in a traceback; salessim -cn calibrate named the whole calibration
    section. -cn NAME other than the command's own says what -cn takes."""
    from salessim.errors import UserError
    from salessim.preflight import check_command

    module, config = COMMANDS[prog]
    other_prog, (_, other) = next((p, c) for p, c in COMMANDS.items() if p != prog)
    for argv in (["-cn", other, "calibration.final_replications=2"], [f"--config-name={other}", "--cfg", "job"]):
        proc = run_module(module, *argv, f"hydra.run.dir={tmp_path / 'out'}", timeout=120)
        assert proc.returncode == 2 and proc.stdout == "", proc.stderr
        assert proc.stderr == (f"{prog}: error: --config-name={other} is not allowed: the config of "
                               f"{other_prog}; run {other_prog} for it (allowed: -cn {config}, which is what "
                               "the command reads without -cn)\n")
    assert not (tmp_path / "out").exists()
    with pytest.raises(UserError, match=f"--config-name=nosuch is not allowed: {prog} reads one config"):
        check_command(["-cn", "nosuch"], config)
    if prog == "salessim":  # its own (salessim-calibrate's takes its own checks), as Hydra takes it
        assert check_command(["-cn", config, "--cfg", "job"], config) == 1
        assert check_command(["-cn", f"{config}.yaml", "--cfg", "job"], config) == 1


def _refused(prog: str, argv: list[str]) -> str:
    """The message with which ``prog argv`` is refused before anything runs."""
    from salessim.errors import UserError
    from salessim.preflight import check_command

    with pytest.raises(UserError) as refused:
        check_command(argv, COMMANDS[prog][1])
    return refused.value.message


ONE_STUDY = "and so on, one command for each value (it runs one study, so give each its own calibration.name)"


@pytest.mark.parametrize("prog,argv,message", [
    ("salessim", ["-m", "calibration.n_trials=2,3"],
     "calibration.n_trials='2,3' is not allowed: a key of this command; calibration.* belongs to "
     f"salessim-calibrate: salessim-calibrate calibration.n_trials=2 {ONE_STUDY}"),
    ("salessim", ["-m", "calibration.seed=range(1,4)"],
     "calibration.seed='range(1,4)' is not allowed: a key of this command; calibration.* belongs to "
     f"salessim-calibrate: salessim-calibrate calibration.seed=1 {ONE_STUDY}"),
    ("salessim", ["-m", "targets=a,b"],
     "targets='a,b' is not allowed: a group of salessim-calibrate, not of this command: "
     f"salessim-calibrate targets=a {ONE_STUDY}"),
    ("salessim-calibrate", ["experiment=fsm_span,coverage"],
     "experiment='fsm_span,coverage' is not allowed: a group of salessim, not of this command: "
     "salessim -m experiment=fsm_span,coverage"),
    ("salessim-calibrate", ["+experiment=fsm_span,coverage"],
     "experiment='fsm_span,coverage' is not allowed: a group of salessim, not of this command: "
     "salessim -m experiment=fsm_span,coverage"),
])
def test_a_sweep_of_the_other_commands_key_is_named_as_typed(prog, argv, message):
    """The other command's key was checked job by job, so salessim -m calibration.n_trials=2,3
    named only 2, and salessim-calibrate experiment=a,b was "a sweep" to run with salessim -m
    (true, but not that experiment is salessim's). A sweep is named as typed, with the command line
    that takes it: salessim sweeps with -m; salessim-calibrate runs one study a command."""
    assert _refused(prog, argv) == message


@pytest.mark.parametrize("override", ["calibration.n_trials=2,3", "sim.years=1,2"])
def test_a_sweep_given_to_salessim_calibrate_is_not_sent_to_salessim(override):
    """salessim-calibrate calibration.n_trials=2,3 said to run the sweep with salessim -m, which
    refuses calibration.* (and runs no study)."""
    # sim.years holds fractions: 1,2 may be a decimal comma's 1.2; calibration.n_trials is whole
    point = "; 1.2 is written with a point" if override.startswith("sim.years") else ""
    assert _refused("salessim-calibrate", [override]) == (
        f"{override!r} is a sweep; allowed: a single value (salessim-calibrate runs one study; for "
        f"several, one command each, with its calibration.name){point}")


ONLY_ADDED = "('~' deletes only what a config file adds)"


@pytest.mark.parametrize("prog,argv,message", [
    ("salessim", ["~calibration"], "~calibration is not allowed: calibration belongs to salessim-calibrate, "
     f"so this command has no calibration to delete {ONLY_ADDED}"),
    ("salessim", ["~calibration.n_trials"], "~calibration.n_trials is not allowed: calibration.* belongs to "
     f"salessim-calibrate, so this command has no calibration.n_trials to delete {ONLY_ADDED}"),
    ("salessim", ["~targets"], "~targets is not allowed: targets is a group of salessim-calibrate, not of "
     "this command, which chooses none to delete"),
    ("salessim-calibrate", ["~experiment"], "~experiment is not allowed: experiment is a group of salessim, "
     "not of this command, which chooses none to delete"),
    ("salessim-calibrate", ["~calibration"], "~calibration is not allowed: calibration is a setting "
     f"salessim-calibrate always has, so it cannot be deleted: set it with calibration=VALUE {ONLY_ADDED}"),
    ("salessim", ["~experiment=fsm_span"], "~experiment=fsm_span is not allowed: no experiment is chosen, "
     "so there is none to delete (one is chosen with experiment=NAME)"),
    ("salessim", ["~calibrated"], "~calibrated is not allowed: no calibrated is chosen, so there is none "
     "to delete (one is chosen with +calibrated=NAME)"),
    ("salessim", ["~org=large"], "~org=large is not allowed: org is default here, not large: ~org deletes "
     "the choice"),
    ("salessim", ["~org.sellrs"], "~org.sellrs is not allowed: there is no org.sellrs to delete (did you "
     "mean org.sellers? org has sellers, "),
])
def test_a_deletion_hydra_cannot_make_is_one_line_of_salessims(prog, argv, message):
    """~calibration given to salessim, ~experiment to salessim-calibrate, ~calibrated with no fits
    added: Hydra's own words ("Could not delete from config. 'calibration' does not exist.",
    "No match in the defaults list"), and salessim-calibrate ~calibration said "a setting
    salessim always has". Said as the deletions salessim refuses itself are, naming the command."""
    assert _refused(prog, argv).startswith(message)


def test_salessim_calibration_deleted_exits_2_with_one_line(tmp_path):
    proc = run_cli("~calibration", f"hydra.run.dir={tmp_path / 'out'}")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("salessim: error: ~calibration is not allowed: calibration belongs to "
                                  "salessim-calibrate") and proc.stderr.count("\n") == 1, proc.stderr
    assert not (tmp_path / "out").exists()


def test_headline_table_says_why_few_replications_give_wide_intervals():
    import pandas as pd

    from salessim.report_table import headline_table

    few = headline_table(pd.DataFrame({"win_rate": [0.40, 0.50, 0.45]}), 1.0)
    assert "3 replications: intervals this wide are expected" in few
    assert "sim.replications=10" in few
    one = headline_table(pd.DataFrame({"win_rate": [0.40]}), 1.0)
    assert "an interval needs two or more" in one
    enough = headline_table(pd.DataFrame({"win_rate": [0.40, 0.50, 0.45, 0.42, 0.41]}), 1.0)
    assert "replications" not in enough.splitlines()[-1]
    # at a terminal's width the note is wrapped (104 characters at 100 columns), its rows never
    narrow = headline_table(pd.DataFrame({"win_rate": [0.40, 0.50, 0.45]}), 1.0, columns=60).splitlines()
    assert narrow[:2] == few.splitlines()[:2] and all(len(line) <= 60 for line in narrow[2:])
    assert " ".join(line.strip() for line in narrow[2:]) == few.splitlines()[-1]


def test_headline_table_shows_each_segments_quota_and_turnover_below_the_organizations():
    """The organization's 57% making quota hid enterprise seats far short of quota, and leaving: a
    walk found it only in the sellers table. Each segment with sellers gets a row of its own, the
    shipped ones from the smallest deals up, then a segment of the user's own."""
    import pandas as pd

    from salessim.report_table import headline_table

    table = headline_table(pd.DataFrame({
        "quota_attainment_share": [0.6, 0.5], "quota_attainment_share_enterprise": [0.4, 0.3],
        "quota_attainment_share_public": [0.7, 0.6], "quota_attainment_share_smb": [0.7, 0.8],
        "quota_attainment_share_mid_market": [float("nan")] * 2,  # no mid-market seller
        "quota_attainment_mean": [1.1, 1.0], "quota_attainment_mean_smb": [1.3, 1.2],
        "seller_turnover_rate": [0.3, 0.3]}), 1.0)
    labels = [line[:34].rstrip() for line in table.splitlines()[1:4]]
    assert labels == ["Sellers making quota", "  SMB", "  enterprise"], table
    lines = table.splitlines()
    assert lines[4].startswith("  public ") and lines[5].startswith("Mean quota attainment ")
    assert lines[6].startswith("  SMB ") and "125.0%" in lines[6] and "Seller turnover per year" in lines[7]
    assert "75.0%" in lines[2]


def test_a_run_says_the_organization_it_built():
    """A sales-ops walk modelling its own 60 sellers, mid-market and enterprise alone, under 6 FSMs,
    could check the seats and teams only by reading the tables in Python."""
    from salessim.config import Config
    from salessim.report_table import organization_said

    cfg = Config()
    cfg.org.sellers, cfg.fsm.span_of_control = 60, 10.0
    cfg.org.segment_mix = {"smb": 0.0, "mid_market": 0.6667, "enterprise": 0.3333}
    assert organization_said(cfg) == ("organization at the start: 60 sellers (mid-market 40, enterprise 20), "
                                      "FSMs 6 (span of control 10)")
    assert organization_said(Config()) == (
        "organization at the start: 100 sellers (SMB 40, mid-market 40, enterprise 20), FSMs 12, 8.3 sellers "
        "per FSM on average (span of control 8.5 asked, in whole teams)")


def test_headline_table_names_a_segment_whose_quotas_are_out_of_reach():
    """A sales-ops walk entered its own quotas (enterprise 1.2 M) over the default deal sizes: its
    enterprise sellers reached 44% of quota, 48% of them left a year, and nothing said why."""
    import pandas as pd

    from salessim.report_table import headline_table

    def table(enterprise, mid=1.0):
        summary = pd.DataFrame({"quota_attainment_mean": [0.9, 0.9],
                                "quota_attainment_mean_mid_market": [mid, mid],
                                "quota_attainment_mean_enterprise": enterprise})
        return headline_table(summary, 1.0, columns=1000)
    said = table([0.40, 0.48]).splitlines()[-1]
    assert said.startswith(
        "(Sellers reach far less than their quota on average in enterprise 44%: the quotas may be out of "
        "reach of the deals there (compensation.quota_usd.enterprise against "
        "market.segments.enterprise.deal_value_median_usd and the lead rates), or a few sellers unlucky "
        "over these replications."), said
    assert "out of reach" not in table([0.95, 1.02])  # the defaults' lowest, mid-market's, is about 0.96
    both = table([0.40, 0.48], mid=0.5).splitlines()[-1]
    assert "in mid-market 50%, enterprise 44%: " in both and "quota_usd.<segment>" in both


def test_headline_table_cuts_an_interval_at_the_values_its_figure_can_take():
    """Two replications give a t interval of 12.7 standard errors: a share's stops at 0% and 100%."""
    import pandas as pd

    from salessim.report_table import headline_table

    table = headline_table(pd.DataFrame({"win_rate": [0.30, 0.90], "median_cycle_days_mid_market": [70.0, 71.0]}),
                           1.0)
    assert "[0.0%, 100.0%]" in table
    assert "[64.1, 76.9]" in table


def test_headline_table_says_when_a_mean_is_over_fewer_replications_than_the_run():
    """A rate with nothing to count in a replication (no seller to make quota) is NaN there."""
    import pandas as pd

    from salessim.report_table import headline_table

    table = headline_table(pd.DataFrame({"win_rate": [0.4, 0.5], "quota_attainment_share": [0.0, None]}), 1.0)
    quota = next(line for line in table.splitlines() if line.startswith("Sellers making quota"))
    assert quota.endswith("(1 of 2 replications)")
    assert "of 2 replications" not in next(line for line in table.splitlines() if line.startswith("Win rate"))


TINY = ["org=small", "sim.years=0.5", "sim.warmup_months=1", "sim.replications=1"]


def test_a_single_run_says_when_its_cost_per_year_counts_a_one_off_fee_more_than_once(tmp_path):
    """22 weeks measured: a CRM's one-off fee weighs 52/22 of its amount in the yearly cost, as
    salessim-compare says of a sweep's scenarios; a year or more measured needs no note. (A window
    of weeks that are not whole months was rounded to months, and the factor with it: 10 weeks
    were '2 months' and 6.0 times a year, not 5.2.)"""
    from salessim.comparability import WEEKS_PER_YEAR, one_off_in_a_short_run
    from tests.conftest import study_config
    from tests.test_levers import spec

    done = run_cli(*TINY, "investment=[crm]", f"hydra.run.dir={tmp_path / 'run'}")
    assert done.returncode == 0, done.stderr[-2000:]
    said = " ".join(done.stdout.split())
    assert "(the one-off fees, 150,000 USD, fall whole in the 22 weeks measured after the warm-up, " \
           "so the cost per year counts them 2.4 times a year;" in said
    crm = spec("crm")
    assert "in the 10 weeks measured after the warm-up, so the cost per year counts them 5.2 times" \
        in one_off_in_a_short_run(study_config(investment=crm, years=1.0), 10 / 52)
    assert "in the 6 months measured after the warm-up, so the cost per year counts them 2.0 times" \
        in one_off_in_a_short_run(study_config(investment=crm, years=1.0), 0.5)
    # 52.18/51: it said "1.0 times a year", as if the fee counted once
    assert "in the 51 weeks measured after the warm-up, so the cost per year counts them 1.02 times" \
        in one_off_in_a_short_run(study_config(investment=crm, years=1.5), 51 / WEEKS_PER_YEAR)
    assert "so the cost per year counts them just over once a year;" \
        in one_off_in_a_short_run(study_config(investment=crm, years=1.5), 0.998)
    assert one_off_in_a_short_run(study_config(investment=crm, years=1.5), 1.0) == ""
    assert one_off_in_a_short_run(study_config(years=1.0), 0.5) == ""  # no investment, no fee


CALIBRATE_TINY = TINY[:3]  # a study refuses sim.replications: a trial runs calibration.replications


def test_multirun_flag_after_overrides_runs_the_sweep(tmp_path):
    proc = run_cli(*TINY, "-m", "sim.seed=1,2", f"hydra.sweep.dir={tmp_path}")
    assert proc.returncode == 0, proc.stderr
    assert {p.name for p in tmp_path.iterdir() if p.is_dir()} >= {"0", "1"}


def started_apart(args: list[str], started, sigint, timeout: float = 120,
                  wait: float = 1.0) -> subprocess.Popen:
    """``python -m args`` in a process group of its own, started with SIGINT in ``sigint``'s
    hands, once ``started()`` is true and ``wait`` seconds have passed (still running)."""
    previous = signal.signal(signal.SIGINT, sigint)
    try:  # faulthandler: a command that hangs shows where (ended_or_shown)
        proc = subprocess.Popen([sys.executable, "-X", "faulthandler", "-m", *args], cwd=ROOT, text=True,
                                start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    finally:
        signal.signal(signal.SIGINT, previous)
    deadline = time.monotonic() + timeout
    while not started() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    if wait:
        time.sleep(wait)
        assert proc.poll() is None, "the command ended before it was stopped"
    return proc


def ended_or_shown(proc: subprocess.Popen, timeout: float) -> tuple[str, str]:
    """``proc``'s output once it ends; still running after ``timeout`` seconds, a failure that
    shows where each of its threads was (started_apart's processes run with faulthandler)."""
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)
        out, err = proc.communicate(timeout=30)
        pytest.fail(f"still running after {timeout} s; where it was:\n{err}")


def interrupt(args: list[str], started, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python -m args`` in its own process group and press Ctrl-C (SIGINT to the whole
    group, as a terminal does) once ``started()`` is true and a second has passed."""
    # The command must start with Ctrl-C in Python's hands, as in a terminal, even when this test
    # itself runs with SIGINT ignored (a CI job started in the background inherits that).
    proc = started_apart(args, started, signal.default_int_handler, timeout)
    os.killpg(proc.pid, signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        # A library can swallow the first Ctrl-C (Optuna's journal storage, under load): a user
        # presses it again, and the second one must end the command with the same line.
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_ctrl_c_in_a_sweep_is_one_line_and_exit_130(tmp_path):
    """Ctrl-C reaches the joblib workers too; none of them may add a traceback or a warning."""
    proc = interrupt(["salessim", "-m", "sim.replications=50", "fsm.span_of_control=5,8",
                      "hydra.launcher.n_jobs=2", f"hydra.sweep.dir={tmp_path}"],
                     lambda: (tmp_path / "multirun.yaml").exists())
    assert proc.returncode == 130, proc.stderr
    announced, *rest = proc.stderr.strip().splitlines()
    # the two workers' start (about a second each, importing salessim) is part of the work
    assert announced.startswith(f"salessim: 2 jobs to run into {tmp_path}, roughly ") and announced.endswith(
        "on its 2 workers side by side; each job says when it is done"), announced
    assert "of one core's work in all (2 workers' start included), about " in announced, announced
    # 50 replications a job: neither had finished; their folders held Hydra's record alone
    assert rest == ["salessim: interrupted; no job had finished, so nothing is kept"]
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_a_sweeps_jobs_are_checked_says_nothing_was_written(tmp_path):
    """Before its first job, a sweep checks every job's configuration (about 0.2 s a job); stopped
    then, it used to say 'finished jobs are kept' of jobs that never started."""
    start = time.monotonic()
    folder = tmp_path / "sweep"
    # 1,000 jobs take a minute or two to check: Ctrl-C 8 s in lands there even on a busy machine
    proc = interrupt(["salessim", "-m", "sim.seed=range(0,1000)", *TINY, f"hydra.sweep.dir={folder}"],
                     lambda: time.monotonic() - start > 8.0)
    assert proc.returncode == 130, proc.stderr
    checking, stopped = proc.stderr.strip().splitlines()
    assert checking.startswith("salessim: checking the 1,000 jobs of the sweep before the first starts")
    assert stopped == "salessim: interrupted; this command started no job and wrote nothing", proc.stderr
    assert not folder.exists()


def _as_timeout_does(proc) -> None:
    """`timeout -s TERM`: the command, then its whole process group, workers included (here a
    moment later, when the command is stopping its workers: two signals at once are one)."""
    proc.send_signal(signal.SIGTERM)
    time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGTERM)


def assert_group_ended(proc: subprocess.Popen) -> None:
    """Nothing of the stopped command's process group (its workers) is left within 15 s."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail("the command's workers outlived it")


@pytest.mark.parametrize("stop", [lambda proc: proc.send_signal(signal.SIGTERM), _as_timeout_does],
                         ids=["kill PID", "timeout"])
def test_a_sigterm_to_a_sweep_in_the_background_is_one_line_and_exit_143(tmp_path, stop):
    """kill PID (a batch scheduler's stop) of a sweep started in the background, where SIGINT is
    ignored: it ended the main process alone, and its workers ran on and finished the jobs. As
    `timeout` sends it, a second SIGTERM came while the first was being handled: it took the
    forced exit, whose end of loky's workers raised (a traceback, exit status 1)."""
    # SIGINT ignored, as a shell's background job has it
    proc = started_apart(["salessim", "-m", "sim.replications=50", "fsm.span_of_control=5,8",
                          f"hydra.sweep.dir={tmp_path}"], (tmp_path / "multirun.yaml").exists, signal.SIG_IGN)
    stop(proc)
    out, err = proc.communicate(timeout=60)
    # A SIGTERM that comes after the command's clean-up, as it ends, ends it by the signal: a
    # shell reports that as 143 too
    assert proc.returncode == 143 or (stop is _as_timeout_does and proc.returncode == -signal.SIGTERM), err
    assert err.strip().splitlines()[1:] == ["salessim: terminated; no job had finished, so nothing is kept"]
    assert list(tmp_path.iterdir()) == []
    assert_group_ended(proc)  # the workers went with it


@pytest.mark.parametrize("sweep", [False, True], ids=["run", "sweep"])
def test_a_closed_terminal_ends_the_command_as_a_sigterm_does(tmp_path, sweep):
    """A SIGHUP to the command's process group (its terminal closed) killed it at once, its run's
    folder left behind (.hydra and the lock's marker); a sweep's workers and loky's resource
    trackers died of it too, each with a traceback. Now it is ended as a SIGTERM is: exit 129."""
    folder = tmp_path / "out"
    args = (["salessim", "-m", "sim.replications=50", "fsm.span_of_control=5,8", f"hydra.sweep.dir={folder}"]
            if sweep else ["salessim", "sim.replications=50", f"hydra.run.dir={folder}"])
    proc = started_apart(args, (folder / ("multirun.yaml" if sweep else ".hydra")).exists,
                         signal.default_int_handler)
    os.killpg(proc.pid, signal.SIGHUP)
    out, err = ended_or_shown(proc, 60)
    assert proc.returncode == 129, err
    kept = ("no job had finished, so nothing is kept" if sweep
            else "no tables were written (a run writes them when it finishes)")
    assert err.strip().splitlines()[-1] == f"salessim: hung up; {kept}", err
    assert "Traceback" not in err and "Warning" not in err, err
    assert not folder.exists()
    assert_group_ended(proc)


def test_two_ctrl_cs_at_once_are_one_stop_and_the_run_leaves_no_folder(tmp_path):
    """`timeout -s INT` signals the command and then its process group: the second SIGINT, taken
    for a second Ctrl-C, forced the exit mid clean-up, and left the run's folder (Hydra's record
    and the folder's lock marker), in half of the tries, with the line said twice now and then."""
    for attempt in range(3):
        folder = tmp_path / f"run{attempt}"
        proc = started_apart(["salessim", "sim.replications=50", f"hydra.run.dir={folder}"],
                             (folder / ".hydra").exists, signal.default_int_handler)
        proc.send_signal(signal.SIGINT)
        time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        out, err = ended_or_shown(proc, 60)
        # not -2 either: the second, landing as the interpreter ended, had ended it by the signal
        assert proc.returncode == 130, err
        assert err.count("salessim: interrupted;") == 1, err
        assert not folder.exists(), sorted(p.name for p in folder.rglob("*"))


_SWALLOWS_THE_SIGTERM = """
import sys, time
from salessim.interrupt import interrupt_ends_quietly
with interrupt_ends_quietly("salessim", "finished jobs are kept"):
    print("waiting", flush=True)
    try:  # as Ray's ray.get does with every signal it checks for
        time.sleep(60)
    except KeyboardInterrupt:
        raise KeyboardInterrupt from None
"""


_DROPS_THE_STOP = """
import _thread, signal, sys, time
from salessim.interrupt import interrupt_ends_quietly
relay = sys.argv[1] == "relay"
signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, even under a background CI job

class DropsWhatItRaises:
    def __del__(self):  # Python drops an error raised in a finalizer, as numpy does some
        _thread.interrupt_main(signal.SIGINT if relay else signal.SIGTERM)  # the stop lands here
        for _ in range(1000):
            pass

with interrupt_ends_quietly("salessim", "nothing is kept", starts_workers=relay):
    DropsWhatItRaises()
    for _ in range(500):  # 5 s of work
        time.sleep(0.01)
    print("ran to its end", flush=True)
"""


@pytest.mark.parametrize("stop", ["relay", "sigterm_alone"])
def test_a_stop_a_library_drops_is_raised_again(stop):
    """numpy can drop the KeyboardInterrupt of a Ctrl-C that lands in Python code it calls (pandas
    comparing dtypes), as a finalizer does: a run went on after Ctrl-C, and `timeout -s INT`'s
    second SIGINT, 20 ms later, was taken for the same stop (CI caught it, now and then). The
    stop is raised again, and the command ends with its one line, without a word of the drop."""
    proc = subprocess.run([sys.executable, "-c", _DROPS_THE_STOP, stop], cwd=ROOT, text=True,
                          capture_output=True, timeout=60)
    word, status = ("interrupted", 130) if stop == "relay" else ("terminated", 143)
    # stopped, not "ran to its end"
    assert (proc.returncode, proc.stderr, proc.stdout) == (status, f"salessim: {word}; nothing is kept\n", "")


_CTRL_C_AMID_NUMPY = """
import os, signal, threading, time
import numpy as np, pandas as pd
from salessim.interrupt import interrupt_ends_quietly
signal.signal(signal.SIGINT, signal.default_int_handler)
made_by_pandas, numpys = pd.StringDtype("pyarrow"), np.dtype(object)
with interrupt_ends_quietly("salessim", "nothing is kept"):
    threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
    end = time.monotonic() + 5
    while time.monotonic() < end:  # as pandas does, making a run's tables (Index._get_engine_target)
        for _ in range(1000):
            numpys == made_by_pandas
    print("ran to its end", flush=True)
"""


def test_a_stop_taken_for_dropped_and_caught_since_lets_a_later_one_force_the_exit(monkeypatch, capfd):
    """A library that swaps the stop for a KeyboardInterrupt of its own frees the stop, which is
    taken for dropped; once the command caught the swap, a Ctrl-C seconds later raised yet another
    stop inside the command's clean-up, not the forced exit, and the command ended without a line.
    The context also gives sys.unraisablehook back as it ends."""
    from salessim import interrupt

    before = sys.unraisablehook
    stops = interrupt._Stops("salessim", "nothing is kept")
    assert sys.unraisablehook == stops._quiet_about_stops
    stops.interrupted, stops.stopped_at = True, time.monotonic() - 2 * interrupt.SAME_STOP_SECONDS
    stops.dropped = stops.caught = True

    def exit_now(status):
        raise SystemExit(status)
    monkeypatch.setattr(interrupt.multiprocessing, "active_children", lambda: [])
    monkeypatch.setattr(interrupt.os, "_exit", exit_now)
    try:
        with pytest.raises(SystemExit) as ended:
            stops._on_stop(signal.SIGINT, None)
    finally:
        stops.end()
    assert ended.value.code == 130
    assert capfd.readouterr().err == "salessim: interrupted; nothing is kept\n"
    assert sys.unraisablehook is before


def test_a_ctrl_c_that_numpy_drops_is_raised_again():
    """numpy, comparing its dtype with pandas' string dtype, dropped 17 of 20 Ctrl-Cs that came
    while it did (and pandas does, for each table a run makes)."""
    proc = subprocess.run([sys.executable, "-c", _CTRL_C_AMID_NUMPY], cwd=ROOT, text=True,
                          capture_output=True, timeout=60)
    assert (proc.returncode, proc.stderr, proc.stdout) == (130, "salessim: interrupted; nothing is kept\n",
                                                           "")


def test_a_sigterm_stays_terminated_when_a_library_raises_a_plain_keyboardinterrupt_for_it():
    """Ray's ray.get catches the Terminated a SIGTERM raises and raises a plain KeyboardInterrupt
    in its place: a sweep on Ray stopped by a batch scheduler said 'interrupted', exit status 130
    (CI caught it, now and then: only when the signal came during ray.get)."""
    proc = subprocess.Popen([sys.executable, "-c", _SWALLOWS_THE_SIGTERM], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline() == "waiting\n"
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, err) == (143, "salessim: terminated; finished jobs are kept\n")


def test_a_second_sigterm_is_the_same_stop_at_once_and_forces_the_exit_later(monkeypatch, capfd):
    """`timeout` and batch schedulers send SIGTERM to the command and to its process group: one
    coming while the first is handled is the same stop. A later one ends the workers and the
    command at once, loky's too, which have no kill() of their own (that raised, with a
    traceback and exit status 1)."""
    from types import SimpleNamespace

    from salessim import interrupt

    relay = object.__new__(interrupt._SigintRelay)
    relay.prog, relay.kept = "salessim", "finished jobs are kept"
    relay.interrupted, relay.terminated_at = True, time.monotonic()
    relay.stopped_at = relay.terminated_at
    relay.dropped = False
    assert relay._on_stop(signal.SIGTERM, None) is None  # the same stop: nothing more to do
    # `timeout -s INT` signals the command, then its group: a Ctrl-C the same moment is the same stop
    assert relay._on_stop(signal.SIGINT, None) is None
    worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    loky_like = SimpleNamespace(pid=worker.pid, _popen=object())  # no kill(), as loky's Popen
    monkeypatch.setattr(interrupt.multiprocessing, "active_children", lambda: [loky_like])

    def exit_now(status):
        raise SystemExit(status)
    monkeypatch.setattr(interrupt.os, "_exit", exit_now)
    relay.stopped_at -= 2 * interrupt.SAME_STOP_SECONDS
    with pytest.raises(SystemExit) as ended:
        relay._on_stop(signal.SIGTERM, None)
    assert ended.value.code == 143
    assert worker.wait(timeout=10) == -signal.SIGKILL
    assert capfd.readouterr().err == "salessim: terminated; finished jobs are kept\n"


def test_a_stopped_sweep_keeps_its_finished_jobs_and_says_so_and_drops_the_folders_of_the_rest(tmp_path):
    """A sweep stopped before any job finished said 'finished jobs are kept' and left each started
    job's folder holding Hydra's record alone; one stopped later did not say how many had finished."""
    from salessim.cli import _stopped_sweep_tidied
    from salessim.folder_claim import MARKER
    (tmp_path / "multirun.yaml").write_text("hydra: {}\n")
    (tmp_path / MARKER).write_text("1")
    for job in ("0", "1", "2"):
        (tmp_path / job / ".hydra").mkdir(parents=True)
        for name in ("config.yaml", "hydra.yaml", "overrides.yaml"):
            (tmp_path / job / ".hydra" / name).write_text("{}\n")
    (tmp_path / "0" / "manifest.json").write_text("{}")
    (tmp_path / "2" / "summary.parquet").write_text("")  # a resumed job's earlier tables: kept
    (tmp_path / "notes").mkdir()  # a folder of the user's, empty: not the sweep's to clear
    jobs = ["0", "1", "2", "3"]
    said = _stopped_sweep_tidied(str(tmp_path), jobs)
    assert said == ("1 of 4 jobs had finished: its results are kept (resume: the same command with "
                    f"hydra.sweep.dir={tmp_path} sim.resume=true)")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([MARKER, "0", "2", "multirun.yaml", "notes"])
    (tmp_path / "0" / "manifest.json").unlink()
    (tmp_path / "2" / "summary.parquet").unlink()
    (tmp_path / "notes").rmdir()
    assert _stopped_sweep_tidied(str(tmp_path), jobs) == "no job had finished, so nothing is kept"
    assert [p.name for p in tmp_path.iterdir()] == [MARKER]


def test_the_resume_hint_gives_a_folder_as_the_shell_and_hydra_read_it():
    from salessim.cli import _kept
    assert _kept(True, "/tmp/a b,c[1]") == ("finished jobs are kept (resume: the same command with "
                                            "\"hydra.sweep.dir='/tmp/a b,c[1]'\" sim.resume=true)")
    assert "'hydra.sweep.dir='\"'\"'/tmp/$x'\"'\"''" in _kept(True, "/tmp/$x")
    assert _kept(True) == "finished jobs are kept (resume a sweep with sim.resume=true)"


def test_ctrl_c_in_a_single_run_says_nothing_was_written(tmp_path):
    """Nor does it leave the folder it made, with Hydra's record and an empty log in it: a folder
    that reads as a run that crashed."""
    run = tmp_path / "run"
    proc = interrupt(["salessim", "sim.replications=50", f"hydra.run.dir={run}"],
                     lambda: (run / ".hydra").exists())
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "salessim: interrupted; no tables were written (a run writes them when it finishes)"]
    assert not run.exists()
    # A folder the user made keeps what Hydra wrote: only the command's own folder goes.
    proc = interrupt(["salessim", "sim.replications=50", f"hydra.run.dir={tmp_path}"],
                     lambda: (tmp_path / ".hydra").exists())
    assert proc.returncode == 130, proc.stderr
    assert (tmp_path / ".hydra").is_dir() and not list(tmp_path.glob("*.parquet"))


def test_ctrl_c_in_salessim_calibrate_is_one_line_and_exit_130(tmp_path):
    out = tmp_path / "study"
    # One free parameter: the shipped eight outnumber the targets' facts, which a study says first
    proc = interrupt(["salessim.calibration.cli", "calibration.name=ctrl_c_test",
                      "calibration.n_trials=100000", "calibration.free=[market.neutral_quality]",
                      *CALIBRATE_TINY, f"hydra.run.dir={out}"],
                     lambda: (out / "study.journal").exists())
    assert proc.returncode == 130, proc.stderr
    # stopped as the study opens, most likely before its first trial ended
    assert proc.stderr.strip().splitlines() in (
        ["salessim-calibrate: interrupted; finished trials are kept (run the same command again "
         "to resume the study)"],
        ["salessim-calibrate: interrupted; no trial had finished, so none is kept (run the same "
         "command again to start the study, with these settings or others)"]), proc.stderr


def test_ctrl_c_before_a_studys_first_trial_ended_holds_it_to_no_setup(tmp_path, monkeypatch, capsys):
    """Stopped before its first trial ended, a study said 'finished trials are kept', and the
    same study with another number of replications was refused as made with another setup, with
    no trial to compare (a researcher's walk)."""
    from salessim.calibration import cli
    from salessim.calibration.study import Problem

    def pressed(*args, **kwargs):
        raise KeyboardInterrupt

    out = tmp_path / "study"
    args = ["calibration.name=first", "calibration.n_trials=1", "calibration.free=[market.neutral_quality]",
            *CALIBRATE_TINY, f"hydra.run.dir={out}"]
    with monkeypatch.context() as m:
        m.setattr(Problem, "simulate", pressed)
        m.setattr(sys, "argv", ["salessim-calibrate", *args])
        with pytest.raises(SystemExit) as stopped:
            cli.main()
    assert stopped.value.code == 130
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "salessim-calibrate: interrupted; no trial had finished, so none is kept (run the same command "
        "again to start the study, with these settings or others)")
    assert (out / "study.journal").is_file()
    again = run_module("salessim.calibration.cli", *args, "calibration.replications=1",
                       "calibration.final_replications=2")
    assert again.returncode == 0, again.stderr[-2000:]
    assert "another setup" not in again.stderr and (out / "calibrated.yaml").is_file()
    assert ("salessim-calibrate: study 'first' had no trial that finished under the setup it was made "
            "with; it takes this command's") in again.stderr


def test_ctrl_c_in_a_score_is_one_line_and_leaves_no_folder(tmp_path):
    """A score (calibration.free=[]) writes its files at its end: stopped, it left a folder holding
    Hydra's record alone."""
    out = tmp_path / "score"
    proc = interrupt(["salessim.calibration.cli", "calibration.name=ctrl_c_score", "calibration.free=[]",
                      "calibration.final_replications=2000", *CALIBRATE_TINY, f"hydra.run.dir={out}"],
                     lambda: (out / ".hydra").exists())
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == (
        "salessim-calibrate: interrupted; a score writes its fit.csv at its end: run the same command again")
    assert not out.exists()


def _pressed(*args, **kwargs):
    raise KeyboardInterrupt


def _pressed_and_turned_into_another_error(*args, **kwargs):
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt:
        raise RuntimeError("a library's own error, raised while handling the stop") from None


@pytest.mark.parametrize("where, pressed", [("fit_setup", _pressed),
                                            ("_score", _pressed_and_turned_into_another_error)])
def test_ctrl_c_as_a_score_sets_itself_up_leaves_no_folder_either(where, pressed, tmp_path, monkeypatch,
                                                                  capsys):
    """Before its replications a score imports matplotlib, seconds on a busy host: stopped there,
    it left a folder holding Hydra's record alone (the test above, under load). A library can
    also turn Ctrl-C into an error of its own, raised while handling it: the stop's line was said,
    but the folder stayed (a CI run)."""
    from salessim.calibration import cli

    monkeypatch.setattr(cli, where, pressed)
    out = tmp_path / "score"
    monkeypatch.setattr(sys, "argv", ["salessim-calibrate", "calibration.name=ctrl_c_setup",
                                      "calibration.free=[]", *CALIBRATE_TINY, f"hydra.run.dir={out}"])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 130
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "salessim-calibrate: interrupted; a score writes its fit.csv at its end: run the same command again")
    assert not out.exists()


def test_ctrl_c_as_a_new_study_sets_itself_up_says_it_ran_no_trial(tmp_path, monkeypatch, capsys):
    """Stopped before its study opened, it said 'finished trials are kept' of a study with no trial
    and, since, no folder (a review)."""
    from salessim.calibration import cli

    built = []
    build = cli.build

    def pressed_in_the_study(*args, **kwargs):  # the first build is the checks' before the study
        built.append(1)
        if len(built) > 1:
            raise KeyboardInterrupt
        return build(*args, **kwargs)

    monkeypatch.setattr(cli, "build", pressed_in_the_study)
    out = tmp_path / "study"
    monkeypatch.setattr(sys, "argv", ["salessim-calibrate", "calibration.name=ctrl_c_study",
                                      "calibration.n_trials=2", "calibration.free=[market.neutral_quality]",
                                      *CALIBRATE_TINY,
                                      f"hydra.run.dir={out}"])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 130 and len(built) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "salessim-calibrate: interrupted; it stopped before the study opened, so it ran no trial (run the "
        "same command again to start the study, or resume it)")
    assert not out.exists()


def test_a_stopped_study_says_the_fit_in_its_folder_is_an_earlier_runs(tmp_path, monkeypatch):
    """A resume stopped before its fit left the fit files of the run before it, from fewer trials,
    with nothing to say they no longer hold the study's trials."""
    from salessim.calibration import cli

    monkeypatch.setattr(cli, "_EARLIER_FIT", {"out": tmp_path, "mtime": None})
    assert cli._kept() == cli.KEPT  # no fit in the folder as the command began
    (tmp_path / "fit.csv").write_text("target\n")
    monkeypatch.setattr(cli, "_EARLIER_FIT", {"out": tmp_path, "mtime": cli._fit_time(tmp_path)})
    assert cli._kept() == (
        f"{cli.KEPT}; the fit in {tmp_path} (calibrated.yaml, fit.csv, parameter_spread.csv, trials.csv, "
        "fit_report.html) is still the one its last finished run made, without the trials since")
    # a resume that ran no trial, stopped as it made the fit again: no trials since (a walk); but
    # trials since the fit was made, by a resume stopped before, are (a review)
    monkeypatch.setattr(cli, "_finished_now", lambda: 4)
    monkeypatch.setitem(cli._EARLIER_FIT, "fit_trials", 4)
    assert cli._kept().endswith("is still the one its last finished run made")
    monkeypatch.setitem(cli._EARLIER_FIT, "fit_trials", 3)
    assert cli._kept().endswith("is still the one its last finished run made, without the trials since")
    import pandas as pd
    pd.DataFrame({"number": [0, 1, 2], "state": ["COMPLETE", "PRUNED", "FAIL"]}).to_csv(
        tmp_path / "trials.csv", index=False)
    assert cli._fit_trials(tmp_path) == 2 and cli._fit_trials(tmp_path / "none") is None
    monkeypatch.setattr(cli, "_finished_now", lambda: 0)  # none finished: nothing to resume
    assert cli._kept().startswith("no trial had finished, so none is kept")
    monkeypatch.setattr(cli, "_finished_now", lambda: None)
    os.utime(tmp_path / "fit.csv", (1.0, 1.0))  # written again by this run: its own, and current
    assert cli._kept() == cli.KEPT


def test_a_large_run_is_announced_before_it_starts(tmp_path, monkeypatch, capsys):
    """The estimate follows make bench's figures (docs/performance.md: 0.9-1.1 s and 15-18 s
    before keyed draws, which added a fifth), and a run expected to take more than half an hour
    says so before it starts."""
    from salessim import cli, runner
    from salessim.config import Config

    default, large = Config(), Config()
    large.org.sellers = 1000
    assert 1.2 < runner.expected_hours(default) * 3600 / default.sim.replications < 1.5
    assert 19 < runner.expected_hours(large) * 3600 / large.sim.replications < 23
    # Side by side, replications end sooner; the cores' work is the same, with the workers' start.
    parallel = Config()
    parallel.sim.workers, parallel.sim.replications = 2, 40
    assert runner.expected_hours(parallel, of_one_core=True) > 2 * runner.expected_hours(parallel) - 0.001
    assert runner.expected_hours(default, of_one_core=True) == runner.expected_hours(default)
    def stop_before_running(*args, **kwargs):
        raise SystemExit(0)

    monkeypatch.setattr(cli, "run_scenario", stop_before_running)
    for argv, announced in ((["sim.replications=2"], False),
                            (["org.sellers=100000", "sim.replications=10000"], True)):
        monkeypatch.setattr(sys, "argv", ["salessim", *argv, f"hydra.run.dir={tmp_path}"])
        with pytest.raises(SystemExit):
            cli._task()
        assert ("a large run, roughly" in capsys.readouterr().err) is announced


def test_a_run_made_long_by_its_inbound_leads_is_announced_and_says_so(tmp_path, monkeypatch, capsys):
    """10,000 accounts a seller at 100 inbound leads a year each (a typo away from the defaults)
    runs for hours: the estimate counts the leads beyond the defaults', and the notice names them.
    The defaults' own estimate does not move."""
    from salessim import cli, runner
    from salessim.config import Config

    typo = Config()
    typo.coverage.accounts_per_seller["mid_market"] = 10_000.0
    typo.market.segments["mid_market"].inbound_leads_per_account_year = 100.0
    # 40% of the seats: 400,000 leads a seller-year, about 8 us each on make bench's quiet host
    assert runner.inbound_leads_per_seller_year(typo) == pytest.approx(400_010.56)
    assert 3.1 < runner.expected_hours(typo) * 3600 / typo.sim.replications / typo.sim.years / 100 < 3.3
    assert runner.expected_hours(Config()) * 3600 / Config().sim.replications < 1.5

    def stop_before_running(*args, **kwargs):
        raise SystemExit(0)

    monkeypatch.setattr(cli, "run_scenario", stop_before_running)
    monkeypatch.setattr(sys, "argv", ["salessim", "coverage.accounts_per_seller.mid_market=10000",
                                      "market.segments.mid_market.inbound_leads_per_account_year=100",
                                      f"hydra.run.dir={tmp_path}"])
    with pytest.raises(SystemExit):
        cli._task()
    err = capsys.readouterr().err
    assert "a large run, roughly" in err and ("400,011 inbound leads a seller a year (coverage.accounts_per_seller "
                                              "× market.segments.<segment>.inbound_leads_per_account_year)") in err


def test_a_large_sweep_is_announced_once_and_a_resume_without_its_folder_is_refused(tmp_path, monkeypatch,
                                                                                     capsys):
    """The main process sums its jobs' estimates; a resume into a folder named by the clock can
    find nothing to resume: it used to say so and run every job again into a new folder (hours,
    for a slip, a sales-ops walk found); it is refused, naming the latest folder there."""
    from salessim import cli

    ran = []
    monkeypatch.setattr(cli, "_task", lambda: ran.append(1))
    monkeypatch.chdir(tmp_path)
    for var in ("RAY_DEDUP_LOGS", "RAY_COLOR_PREFIX"):
        monkeypatch.setenv(var, "")  # so that the test's end restores the variable as it was
        monkeypatch.delenv(var)
    monkeypatch.setattr(sys, "argv", ["salessim", "-m", "fsm.span_of_control=6,12", "org.sellers=100000",
                                      "sim.replications=10000", f"hydra.sweep.dir={tmp_path / 's'}"])
    cli.main()
    err = capsys.readouterr().err
    assert err.count(f"salessim: a large sweep: 2 jobs to run into {tmp_path / 's'}, roughly") == 1, err
    assert os.environ["RAY_DEDUP_LOGS"] == "0"
    # the jobs hear the sweep's size from their config, wherever they run
    assert f"++hydra.job.env_set.{cli.SWEEP_JOBS_VARIABLE}=2" in sys.argv, sys.argv
    monkeypatch.setattr(sys, "argv", ["salessim", *TINY, "sim.resume=true"])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 2
    assert ("salessim: error: sim.resume=true is not allowed without the folder to resume: "
            "hydra.run.dir=FOLDER (the results would go to a new folder named by the clock, and everything would run again)\n"
            ) == capsys.readouterr().err
    (tmp_path / "results" / "sweeps" / "2026-12-01_10-00-00").mkdir(parents=True)
    (tmp_path / "results" / "sweeps" / "2026-12-01_10-00-00" / "multirun.yaml").write_text("{}")
    (tmp_path / "results" / "sweeps" / "notes").mkdir()  # newer, and no sweep: not named
    # a setting a sweep's notice is about (the plan's base share) adds no line to the refusal (a walk)
    monkeypatch.setattr(sys, "argv", ["salessim", "-m", *TINY, "fsm.span_of_control=5,10", "sim.resume=true",
                                      "compensation.base_share=0.5"])
    with pytest.raises(SystemExit):
        cli.main()
    err = capsys.readouterr().err
    assert err.startswith("salessim: error: sim.resume=true") and err.count("\n") == 1, err
    assert err.endswith("; the latest there: hydra.sweep.dir=results/sweeps/2026-12-01_10-00-00\n")
    assert ran == [1] and not (tmp_path / "results" / "runs").exists()


def test_a_long_check_of_a_sweeps_jobs_shows_a_bar_of_the_jobs_checked_at_a_terminal(tmp_path, monkeypatch,
                                                                                     capsys):
    """10,000 jobs take half an hour to check: the line that announces it was all a terminal
    showed until the first job started. (MANY_JOBS lowered: the same code path for 3 jobs.)"""
    from salessim import preflight

    monkeypatch.setattr(preflight, "MANY_JOBS", 3)
    sweep = ["-m", "org=small", "fsm.span_of_control=5,8,12", f"hydra.sweep.dir={tmp_path / 's'}"]
    assert preflight.check_command(sweep) == 3
    err = capsys.readouterr().err
    assert "checking the 3 jobs of the sweep" in err and "checking jobs" not in err  # into a file: no bar
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert preflight.check_command(sweep) == 3
    err = capsys.readouterr().err
    assert "checking jobs:   0%|          | 0/3" in err, err
    assert err.endswith("\r"), err  # cleared when done: the lines that follow start on a clean line
    assert preflight.check_command(["-m", "org=small", "fsm.span_of_control=5,8",
                                    f"hydra.sweep.dir={tmp_path / 't'}"]) == 2  # fewer jobs: no bar
    assert "checking jobs" not in capsys.readouterr().err


def test_a_sweeps_jobs_are_composed_by_the_check_and_the_launcher_not_again_by_hydras_sweeper(
        tmp_path, monkeypatch, capsys):
    """Hydra's basic sweeper composed every job before launching it, a third time after salessim's
    check and before the launcher's own composition: 0.14-0.22 s of the main process a job. Only
    the launcher composes a job the check composed; a job the check did not expand, or a sweeper
    that samples its jobs, keeps Hydra's check."""
    from hydra._internal.config_loader_impl import ConfigLoaderImpl
    from hydra.plugins.sweeper import Sweeper

    from salessim import cli

    composed = []
    hydras_load = ConfigLoaderImpl.load_sweep_config
    monkeypatch.setattr(ConfigLoaderImpl, "load_sweep_config",
                        lambda self, *a, **k: composed.append(1) or hydras_load(self, *a, **k))
    hydras_check = Sweeper.validate_batch_is_legal
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["salessim", "-m", "fsm.span_of_control=6,12", *TINY,
                                      "hydra.launcher.n_jobs=1", "hydra.sweep.dir=s"])
    cli.main()
    assert "sweep ended: 2 of 2 jobs have results" in capsys.readouterr().out
    assert len(composed) == 2  # one a job: the launcher's
    assert Sweeper.validate_batch_is_legal is hydras_check  # as Hydra left it, after the sweep

    class Sampling(Sweeper):  # another sweeper: its jobs are not the ones salessim checked
        setup = sweep = lambda self, *a, **k: None

    checked = []
    monkeypatch.setattr(Sweeper, "validate_batch_is_legal", lambda self, batch: checked.append(batch))
    basic = type("BasicSweeper", (Sampling,), {})()
    with cli._jobs_composed_once([["a=1", "hydra.sweep.dir=s"], ["a=2", "hydra.sweep.dir=s"]]):
        Sampling().validate_batch_is_legal([["a=1"]])
        basic.validate_batch_is_legal([["a=2"], ["a=1"]])  # checked: Hydra's own settings aside
        # a job the check did not expand (as a -cd folder's configs in a glob once were)
        basic.validate_batch_is_legal([["a=1"], ["a=3"]])
    assert checked == [[["a=1"]], [["a=1"], ["a=3"]]]


def test_a_sweep_on_ray_shuts_ray_down_before_its_last_line(tmp_path, monkeypatch, capsys):
    """Ray's exit hook shut it down after the sweep's last line: the jobs' last lines came after it,
    and a Ctrl-C there printed a traceback and exited 0. The command now waits for the lines on
    their way, shuts Ray down, and then says the sweep ended; a Ctrl-C while Ray starts shuts down
    what it has started."""
    import types

    from salessim import cli, interrupt

    said = []
    fake_ray = types.SimpleNamespace(is_initialized=lambda: True, shutdown=lambda: said.append("shutdown"))
    monkeypatch.setitem(sys.modules, "ray", fake_ray)
    monkeypatch.setattr(interrupt, "RAY_LOG_RELAY_SECONDS", 0.0)
    monkeypatch.setattr(cli, "_task", lambda: said.append("jobs"))
    ended = cli._sweep_ended
    monkeypatch.setattr(cli, "_sweep_ended", lambda *a: said.append("ended") or ended(*a))
    monkeypatch.setattr(sys, "argv", ["salessim", "-m", *TINY, "sim.seed=1,2", f"hydra.sweep.dir={tmp_path / 's'}"])
    cli.main()
    assert said == ["jobs", "shutdown", "ended"]

    said.clear()
    fake_ray.is_initialized = lambda: False  # stopped inside ray.init
    fake_ray.init = lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt)
    relay = types.SimpleNamespace(reclaim=lambda: None)
    with pytest.raises(KeyboardInterrupt):
        with interrupt._with_ray(relay):
            fake_ray.init()
    assert said == ["shutdown"]


def test_settings_ray_cannot_start_with_are_one_line_and_leave_no_sweep_folder(tmp_path, monkeypatch, capsys):
    """+hydra.launcher.ray.init.num_cpu=2 (num_cpus misspelt) ended in Ray's traceback through
    Hydra's, exit 1, and left the sweep's folder with Hydra's multirun.yaml in it. On Ray, the
    workers get the sweep folder whole: a relative one, read from their own working folders, put
    the jobs elsewhere."""
    import types
    from pathlib import Path

    from salessim import cli

    def refuse(**settings):
        raise RuntimeError("Unknown keyword argument(s): num_cpu")

    monkeypatch.setitem(sys.modules, "ray", types.SimpleNamespace(
        init=refuse, is_initialized=lambda: False, shutdown=lambda: None))
    checked = cli.check_command

    def on_ray(argv, **kwargs):
        checked(argv, **kwargs)
        kwargs["output"]["on_ray"] = True  # as with hydra/launcher=ray, without Ray installed

    def launch():  # as Hydra's Ray launcher does: its record of the sweep, then ray.init
        given = [a for a in sys.argv if a.startswith("hydra.sweep.dir=")]
        assert len(given) == 1, given
        folder = Path(given[0].split("=", 1)[1].strip("'"))
        assert folder.is_absolute()
        (folder / "multirun.yaml").write_text("hydra: {}")
        sys.modules["ray"].init(address="local", num_cpu=2)

    monkeypatch.setattr(cli, "check_command", on_ray)
    monkeypatch.setattr(cli, "_task", launch)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["salessim", "-m", *TINY, "sim.seed=1,2", "hydra.sweep.dir=rel"])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "salessim: error: hydra.launcher.ray.init.num_cpu=2 is not allowed: a keyword argument "
        "ray.init takes (Ray: Unknown keyword argument(s): num_cpu; docs/distributed.md)")
    assert not (tmp_path / "rel").exists()


def test_a_sweep_record_is_dropped_only_when_it_is_all_a_folder_holds(tmp_path):
    """A sweep stopped or ended with no job folder here (Ray's nodes keep theirs) keeps its record:
    a resume and a comparison read it. Only a refused sweep's lone record goes."""
    from salessim.folder_claim import drop_sweep_record_alone

    (tmp_path / "multirun.yaml").write_text("hydra: {}")
    (tmp_path / "0").mkdir()
    drop_sweep_record_alone(tmp_path)
    assert (tmp_path / "multirun.yaml").exists()
    (tmp_path / "0").rmdir()
    drop_sweep_record_alone(tmp_path)
    assert not (tmp_path / "multirun.yaml").exists()


def test_a_sweep_ends_naming_its_folder_and_the_command_that_compares_it(tmp_path, monkeypatch, capsys):
    """Each job's line names its own folder; the last line names the sweep's, how many of its jobs
    have results there, and the comparison to run next."""
    from salessim import cli

    folder = tmp_path / "my sweep"

    def two_jobs_one_finished():
        for num in ("0", "1"):
            (folder / num).mkdir(parents=True)
        (folder / "0" / "manifest.json").write_text("{}")

    monkeypatch.setattr(cli, "_task", two_jobs_one_finished)
    monkeypatch.setattr(sys, "argv", ["salessim", "-m", *TINY, "sim.seed=1,2", f"hydra.sweep.dir={folder}"])
    cli.main()
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == (f"salessim: sweep ended: 1 of 2 jobs has results in {folder}; compare them with "
                    f"the baseline: salessim-compare '{folder}'"), last
    # Resumed, it holds the comparison of its earlier jobs: that one is not today's once a job
    # finished after it; a resume that only skipped finished jobs leaves it current.
    from salessim.sweep_folder import COMPARISON_FILES
    (folder / "comparison").mkdir()
    for name in COMPARISON_FILES:
        (folder / "comparison" / name).write_text("x")
    assert "compare them with the baseline: " in cli._sweep_ended(str(folder), 2)
    compared = (folder / "comparison" / COMPARISON_FILES[0]).stat().st_mtime
    os.utime(folder / "0" / "manifest.json", (compared + 5, compared + 5))  # job 0 finished since
    assert "compare them with the baseline (again: its comparisons are older than some of these results): " in cli._sweep_ended(
        str(folder), 2)
    # Compared while the sweep ran: written after the last job's results, it left job 1 out, which
    # has results now
    os.utime(folder / "0" / "manifest.json", (compared - 5, compared - 5))
    import csv

    from salessim.sweep_folder import NOT_STARTED, UNFINISHED

    def left_out(job, problem):  # incomplete_jobs.csv as salessim-compare writes it
        with open(folder / "comparison" / "incomplete_jobs.csv", "w", newline="") as f:
            csv.writer(f).writerows([("job", "scenario", "problem", "path"), (job, "sim.seed=2", problem, "")])

    for job, problem in (("1", UNFINISHED), ("#1", NOT_STARTED)):  # a job not started is '#1'
        left_out(job, problem)
        assert "compare them with the baseline: " in cli._sweep_ended(str(folder), 2)  # job 1 has none yet
        (folder / "1" / "manifest.json").write_text("{}")
        os.utime(folder / "1" / "manifest.json", (compared - 5, compared - 5))
        assert "(again: its comparisons are older than some of these results)" in cli._sweep_ended(str(folder), 2)
        (folder / "1" / "manifest.json").unlink()
    # a job left out for a broken table, which has its manifest, stays left out: nothing is newer
    left_out("0", "summary.parquet could not be read")
    assert "compare them with the baseline: " in cli._sweep_ended(str(folder), 2)
    # a sweep of one job (-m with nothing swept) has no other job for its baseline: a run apart
    for invests in (False, True):  # an investing job's too: salessim-compare refuses the sweep alone
        assert cli._sweep_ended(str(folder), 1, every_job_invests=invests).endswith(
            "a sweep of one job has nothing to compare within it: compare it with a run apart, "
            f"salessim-compare {shlex.quote(str(folder))} --baseline RUN_FOLDER, or sweep two values or "
            "more, key=a,b")
    # A rerun kept inside a job's folder (salessim-rerun SWEEP/0 --out SWEEP/0/again) is no job.
    (folder / "0" / "again").mkdir()
    (folder / "0" / "again" / "manifest.json").write_text("{}")
    assert "sweep ended: 1 of 2 jobs has results" in cli._sweep_ended(str(folder), 2)


def test_a_sweep_whose_every_job_invests_ends_naming_a_baseline_run_that_does_not(tmp_path, monkeypatch,
                                                                                   capsys):
    """A sweep of an investment's own settings ended with 'compare them with the baseline', and
    that baseline, its first job, invests too: the line says so, and how to compare against not
    investing. A sweep with a job that does not invest ends as before."""
    from salessim import cli

    def jobs_finished():
        for num in ("0", "1"):
            (folder / num).mkdir(parents=True)
            (folder / num / "manifest.json").write_text("{}")

    monkeypatch.setattr(cli, "_task", jobs_finished)
    folder = tmp_path / "crm"
    monkeypatch.setattr(sys, "argv", ["salessim", "-m", *TINY, "investment=[crm]",
                                      "investment.crm.admin_hours_saved=2,6", f"hydra.sweep.dir={folder}"])
    cli.main()
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == (f"salessim: sweep ended: 2 of 2 jobs have results in {folder}; every job invests, so "
                    f"its baseline does too: salessim-compare {folder}; against not investing, add "
                    "--baseline with a run of the sweep's other settings and investment=[] (an earlier "
                    "sweep's job, as a report's next step names it, or a run of your own, into "
                    "results/runs/<time>)"), last
    folder = tmp_path / "some"
    monkeypatch.setattr(sys, "argv", ["salessim", "-m", *TINY, "investment=[],[crm]",
                                      f"hydra.sweep.dir={folder}"])
    cli.main()
    assert capsys.readouterr().out.strip().splitlines()[-1].endswith(
        f"compare them with the baseline: salessim-compare {folder}")


def test_a_resumed_sweeps_skipped_jobs_are_named_as_its_finished_ones_are(tmp_path, monkeypatch, capsys):
    """'job 0 (...) skipped', as 'job 6 (...) done': a skipped job was named by its scenario alone."""
    from salessim import cli

    monkeypatch.setattr(cli, "is_complete", lambda folder, config: True)
    monkeypatch.setattr(sys, "argv", ["salessim", "-m", *TINY, "sim.seed=1,2", "sim.resume=true",
                                      "hydra/launcher=basic", f"hydra.sweep.dir={tmp_path}"])
    cli._task()
    out = capsys.readouterr().out
    for num, seed in ((0, 1), (1, 2)):
        assert re.search(rf"^salessim: job {num} \([^)]*sim\.seed={seed}[^)]*\) skipped: complete results of "
                         rf"this config already in {re.escape(str(tmp_path / str(num)))}$", out, re.M), out
    # a folder under the working one is said from it, as a finished job's 'results in' says it
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["salessim", "-m", *TINY, "sim.seed=1,2", "sim.resume=true",
                                      "hydra/launcher=basic", "hydra.sweep.dir=sweep"])
    cli._task()
    assert "skipped: complete results of this config already in sweep/1\n" in capsys.readouterr().out


def test_a_resumed_job_that_runs_again_drops_its_old_manifest_first(tmp_path, monkeypatch):
    """A sweep counts its finished jobs by the manifests in place: a job a resume runs again kept
    its old one until its new tables were written, so a job finishing meanwhile counted it as
    finished ('6 of 6 jobs finished' said twice)."""
    from salessim import cli

    job = tmp_path / "0"
    job.mkdir()
    (job / "manifest.json").write_text('{"config": {}, "config_hash": "0"}')
    seen = []

    def stop_before_running(*args, **kwargs):
        seen.append((job / "manifest.json").exists())
        raise SystemExit(0)

    monkeypatch.setattr(cli, "run_scenario", stop_before_running)
    monkeypatch.setattr(sys, "argv", ["salessim", "-m", *TINY, "sim.seed=1", "sim.resume=true",
                                      "hydra/launcher=basic", f"hydra.sweep.dir={tmp_path}"])
    with pytest.raises(SystemExit):
        cli._task()
    assert seen == [False]


def test_a_sweeps_jobs_leave_the_large_run_warning_to_the_sweep(tmp_path, monkeypatch, capsys):
    """main() announces a large sweep once; its jobs do not repeat it one by one."""
    from salessim import cli

    reached = []

    def stop_before_running(*args, **kwargs):
        reached.append(1)
        raise SystemExit(0)

    monkeypatch.setattr(cli, "run_scenario", stop_before_running)
    monkeypatch.setattr(sys, "argv", ["salessim", "-m", "sim.seed=1,2", "org.sellers=100000",
                                      "sim.replications=10000", "hydra/launcher=basic",
                                      f"hydra.sweep.dir={tmp_path}"])
    with pytest.raises(SystemExit):
        cli._task()
    assert reached and "a large run" not in capsys.readouterr().err


def test_spans_of_control_that_make_the_same_teams_are_named_before_the_sweep_runs(tmp_path, capsys):
    """20 sellers make 2 FSM teams at spans 8.5 and 12: jobs that differ only in those spans
    simulate alike, which the sweep says before it spends their time (salessim-compare says so
    after they ran, which is too late to choose other spans)."""
    from salessim.preflight import check_command

    assert check_command(["-m", "org=small", "fsm.span_of_control=5,8.5,12", "investment=[],[crm]",
                          f"hydra.sweep.dir={tmp_path / 's'}"]) == 6
    err = capsys.readouterr().err
    # once, though two pairs of jobs (with the CRM and without) are alike
    assert err.count("simulate alike") == 1, err
    assert ("salessim: fsm.span_of_control=8.5 and 12 both make the same 2 FSM teams of the 20 sellers "
            "(teams are whole: 20 / 8.5 and 20 / 12 round to 2), so jobs that differ only in those spans "
            "will simulate alike") in err
    assert "a span of 20 / n makes n: 6.7 makes 3 and 20 makes 1" in err

    def said(*swept: str) -> int:
        check_command(["-m", "org=small", *swept, f"hydra.sweep.dir={tmp_path / 't'}"])
        return capsys.readouterr().err.count("simulate alike")

    # spans that make other teams, and seats a coverage investment adds, which form teams of the
    # span asked, so that the spans may part the jobs: no word
    assert said("fsm.span_of_control=5,8.5") == 0
    assert said("fsm.span_of_control=8.5,12", "investment=[enterprise_headcount]") == 0
    # jobs on other seeds are not alike, but those on one seed are
    assert said("fsm.span_of_control=8.5,12", "sim.seed=1,2") == 1
    # a range of spans, many of them alike: counted in one line, not listed
    from salessim.config import Config
    from salessim.validation import to_validated
    from salessim.whole_teams import SpansAlike

    def small(span: int) -> Config:
        cfg = Config()
        cfg.org.sellers, cfg.fsm.span_of_control = 20, span
        return to_validated(cfg)

    spans_alike = SpansAlike()
    for span in range(1, 101):
        spans_alike.add(small(span))
    assert spans_alike.notes() == [
        "92 of the sweep's 100 jobs differ from another only in a span of control that makes the same whole "
        "FSM teams (sellers / span, rounded, of 20 sellers), so each will simulate as that job does, with "
        "identical bookings in every replication: the sweep holds 8 different simulations; a span of "
        "sellers / n makes n teams, so sweep one span per number of teams to compare them"]


def test_spans_said_to_make_the_same_teams_simulate_alike():
    """What the sweep's notice above claims: the same deals at spans 8.5 and 12 for 20 sellers,
    other deals at 5."""
    import salessim

    def bookings(span: float) -> list[float]:
        res = salessim.run({"org": "small", "fsm.span_of_control": span, "sim.years": 1,
                            "sim.warmup_months": 1, "sim.replications": 2}, progress=False)
        return list(res.summary.sort_values("replication")["bookings_usd"])

    at_12 = bookings(12)
    assert bookings(8.5) == at_12 and bookings(5) != at_12


def test_an_investment_still_rolling_out_at_the_horizon_is_named(tmp_path, monkeypatch, capsys):
    """Its return would be read as a programme's, though it was measured part-way in."""
    from salessim import cli

    def stop_before_running(*args, **kwargs):
        raise SystemExit(0)

    monkeypatch.setattr(cli, "run_scenario", stop_before_running)
    for rollout, named in ((6, False), (7, True)):  # a 1-year run, the investment from month 6
        monkeypatch.setattr(sys, "argv", ["salessim", "investment=[crm]", "sim.years=1",
                                          f"investment.crm.rollout_months={rollout}",
                                          f"hydra.run.dir={tmp_path / str(rollout)}"])
        with pytest.raises(SystemExit):
            cli._task()
        err = capsys.readouterr().err
        assert ("investment crm rolls out over 7 months, and the run ends 6 months after it "
                "starts: it is measured before it is fully in place" in err) is named


def test_version_names_salessim():
    from salessim import __version__
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith(f"salessim {__version__} (Hydra "), proc


def test_a_window_of_a_few_weeks_is_said_to_be_short(tmp_path):
    short = run_cli("org=small", "sim.years=0.51", "sim.replications=1", f"hydra.run.dir={tmp_path / 'a'}")
    assert short.returncode == 0, short.stderr[-2000:]
    assert ("salessim: org=small,sim.years=0.51: only 1 week measured after the 6-month warm-up "
            "(sim.years=0.51): "
            "yearly figures such as turnover are extrapolated from them") in short.stderr
    usual = run_cli("org=small", "sim.years=1", "sim.replications=1", f"hydra.run.dir={tmp_path / 'b'}")
    assert usual.returncode == 0 and "measured after" not in usual.stderr


@pytest.mark.parametrize("module, entry, kept", [
    ("salessim.compare_command", "main", "a comparison folder is replaced only by a complete one"),
    ("salessim.rerun", "cli", "the check did not finish"),
])
def test_ctrl_c_in_compare_and_rerun_is_one_line_and_exit_130(module, entry, kept, monkeypatch, capsys):
    import importlib
    mod = importlib.import_module(module)

    def pressed(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(mod, "run" if entry == "main" else "main", pressed)
    with pytest.raises(SystemExit) as ended:
        getattr(mod, entry)()
    assert ended.value.code == 130
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [f"{mod.PROG}: interrupted; {mod.KEPT}"] and kept in err


def test_ctrl_c_while_a_command_imports_its_modules_is_one_line(monkeypatch, capsys):
    import importlib

    from salessim import commands

    def pressed(name):
        raise KeyboardInterrupt
    monkeypatch.setattr(importlib, "import_module", pressed)
    with pytest.raises(SystemExit) as ended:
        commands.salessim_compare()
    assert ended.value.code == 130
    assert capsys.readouterr().err == "salessim-compare: interrupted; nothing was written (it was starting)\n"


def test_an_error_in_a_librarys_clean_up_after_ctrl_c_is_taken_for_the_ctrl_c():
    """Ctrl-C inside Optuna's journal lock made its release fail (FileNotFoundError), which
    Hydra reported with a traceback and exit 1 instead of salessim-calibrate's one line."""
    from salessim.interrupt import caused_by_interrupt, interrupt_seen_through

    def lock_released_after_ctrl_c():
        try:
            raise KeyboardInterrupt
        finally:
            raise FileNotFoundError("study.journal.lock...rename")

    with pytest.raises(KeyboardInterrupt), interrupt_seen_through():
        lock_released_after_ctrl_c()
    with pytest.raises(ValueError), interrupt_seen_through():
        raise ValueError("a real error stays itself")
    assert not caused_by_interrupt(ValueError())

    from salessim.interrupt import Terminated

    def lock_released_after_sigterm():
        try:
            raise Terminated
        finally:
            raise FileNotFoundError("study.journal.lock...rename")

    with pytest.raises(Terminated), interrupt_seen_through():  # "terminated" and 143, not 130
        lock_released_after_sigterm()


def test_optunas_report_of_the_trial_ctrl_c_stopped_is_hidden_whatever_it_became():
    """Optuna logs the trial that Ctrl-C stopped as failed; when its lock's release failed, the
    logged error is the FileNotFoundError, with the KeyboardInterrupt in its context."""
    import logging

    from salessim.calibration.cli import _HideInterruptedTrial

    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise FileNotFoundError("study.journal.lock...rename")
    except FileNotFoundError as e:
        failed = e
    hide = _HideInterruptedTrial()
    record = logging.LogRecord("optuna", logging.WARNING, "", 0, "Trial 3 failed", None,
                               (type(failed), failed, failed.__traceback__))
    later = logging.LogRecord("optuna", logging.WARNING, "", 0, "Trial 3 failed with value None", None, None)
    assert not hide.filter(record) and not hide.filter(later)
    assert _HideInterruptedTrial().filter(logging.LogRecord("optuna", logging.INFO, "", 0, "ok", None, None))


def test_salessim_calibrates_task_takes_an_error_of_a_ctrl_c_for_the_ctrl_c(monkeypatch):
    """The wiring of the test above: salessim-calibrate's Hydra task converts such an error."""
    from types import SimpleNamespace

    from salessim.calibration import cli

    def opening_the_study_after_ctrl_c(*args):
        try:
            raise KeyboardInterrupt
        finally:
            raise FileNotFoundError("study.journal.lock...rename")

    from omegaconf import OmegaConf
    hydra = SimpleNamespace(overrides=SimpleNamespace(task=[], hydra=[]),
                            runtime=SimpleNamespace(output_dir="."), output_subdir=None)
    monkeypatch.setattr(cli, "HydraConfig", SimpleNamespace(get=lambda: hydra))
    monkeypatch.setattr(cli, "build", opening_the_study_after_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        cli._task.__wrapped__(OmegaConf.create({"calibration": {"storage": None}}))  # under @hydra.main


def test_compare_and_rerun_answer_version_as_salessim_does(capsys):
    from salessim import __version__, compare_command, rerun

    compare_command.main(["--version"])
    assert rerun.main(["--version"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"salessim-compare {__version__} (Hydra ")
    assert out[1].startswith(f"salessim-rerun {__version__} (Hydra ")



def _finished_jobs(sweep: Path, written: dict[str, float], ns: bool = False) -> None:
    """Job folders of ``sweep`` whose manifests were written at ``written`` (seconds, or ``ns``
    nanoseconds, by job)."""
    from salessim.outputs import MANIFEST

    for job, at in written.items():
        (sweep / job).mkdir(parents=True)
        (sweep / job / MANIFEST).write_text("{}")
        if ns:
            os.utime(sweep / job / MANIFEST, ns=(int(at), int(at)))
        else:
            os.utime(sweep / job / MANIFEST, (at, at))

def test_jobs_that_finish_together_are_counted_in_the_order_their_results_were_written(tmp_path, monkeypatch):
    """'done (k of n jobs finished)': two jobs side by side that finish within a moment of each
    other each count the manifests written up to their own, so neither says what the other does."""
    from salessim.cli import SWEEP_JOBS_VARIABLE, SWEEP_STARTED_VARIABLE, _sweep_progress

    monkeypatch.setenv(SWEEP_JOBS_VARIABLE, "3")
    monkeypatch.delenv(SWEEP_STARTED_VARIABLE, raising=False)  # no time left said: counts alone
    _finished_jobs(tmp_path, {"0": 2_000, "1": 1_000, "2": 2_000}, ns=True)  # 0 and 2 in the same instant
    said = {job: _sweep_progress(tmp_path / job) for job in ("0", "1", "2")}
    assert said == {"1": " (1 of 3 jobs finished)", "0": " (2 of 3 jobs finished)",
                    "2": " (3 of 3 jobs finished)"}
    monkeypatch.setenv(SWEEP_JOBS_VARIABLE, "1")  # a sweep of one job: '1 of 1 jobs' it said
    assert _sweep_progress(tmp_path / "1") == " (1 of 1 job finished)"


def test_jobs_finishing_in_one_tick_of_the_clock_are_counted_in_the_order_they_said_so(tmp_path,
                                                                                       monkeypatch):
    """Two joblib workers' manifests landed in one tick of the file system's clock: both jobs said
    '1 of 2 jobs finished'. Each job now counts those that said they finished before it, in a log
    kept under a lock in the sweep's folder; a job finished before the command (a resume skipped
    it) counts too, and another command's lines do not."""
    from salessim.cli import SWEEP_JOBS_VARIABLE, SWEEP_STARTED_VARIABLE, _sweep_progress
    from salessim.finished_order import FINISHED_LOG

    monkeypatch.setenv(SWEEP_JOBS_VARIABLE, "3")
    monkeypatch.setenv(SWEEP_STARTED_VARIABLE, "1000.000")
    (tmp_path / FINISHED_LOG).write_text("900.000 1\n900.000 2\n")  # an earlier command's
    _finished_jobs(tmp_path, {"0": 500, "1": 1010, "2": 1010})  # 1 and 2 in one tick
    assert _sweep_progress(tmp_path / "2") == " (2 of 3 jobs finished)"  # 0, from before, and itself
    assert _sweep_progress(tmp_path / "1") == " (3 of 3 jobs finished)"
    assert (tmp_path / FINISHED_LOG).read_text().endswith("1000.000 nan 2\n1000.000 nan 1\n")


def test_the_time_left_of_jobs_side_by_side_is_the_jobs_own_time_not_a_round_counted_thrice(
        tmp_path, monkeypatch):
    """Two workers finish a job each every 2 s, in rounds that end together: at the fourth job,
    the pace from the first job finished counted three jobs over one round's 2.1 s and said 3 s
    for the four jobs left, which take 4 s (a third low, as a new user's sweep showed). Each job
    now writes the seconds it took to the log of finished jobs: four jobs left of 2 s each, two at
    a time, take 4 s. A job folder named with a space is read whole."""
    from salessim.cli import SWEEP_JOBS_VARIABLE, SWEEP_STARTED_VARIABLE, _sweep_progress
    from salessim.finished_order import FINISHED_LOG, finished_before

    monkeypatch.setenv(SWEEP_JOBS_VARIABLE, "8")
    monkeypatch.setenv(SWEEP_STARTED_VARIABLE, "1000.000")
    _finished_jobs(tmp_path, {"0": 1005.0, "1": 1005.1, "2": 1007.0, "3": 1007.1})
    (tmp_path / FINISHED_LOG).write_text("1000.000 2.000 0\n1000.000 2.100 1\n1000.000 1.900 2\n")
    assert _sweep_progress(tmp_path / "3", 2, 2.0) == " (4 of 8 jobs finished; about 4 s left)"
    # without the seconds (a log by hand), the pace from the first job finished, a third low
    (tmp_path / FINISHED_LOG).write_text("1000.000 0\n1000.000 1\n1000.000 2\n")
    assert _sweep_progress(tmp_path / "3", 2, 2.0) == " (4 of 8 jobs finished; about 3 s left)"
    (tmp_path / FINISHED_LOG).write_text("")
    assert finished_before(tmp_path, "a b", "1000.000", 1.5) == {}
    assert finished_before(tmp_path, "c", "1000.000", 2.5) == {"a b": 1.5}


def test_the_time_left_of_a_sweep_of_growing_jobs_reads_what_each_job_left_is_expected_to_take(
        tmp_path, monkeypatch):
    """A sweep of 30 to 300 sellers said 13 s left where 38 s were: the mean of the small jobs
    finished, for the large ones left. The command writes what each job should take
    (runner.expected_hours) before they start; the jobs left take that, scaled by what the
    finished ones took against theirs, two at a time, the last running alone: jobs 4 and 5 of 5 s
    and 6 s, job 4 half done and job 5 just started, end in 6 s (by the mean, 3 s)."""
    from salessim.cli import SWEEP_JOBS_VARIABLE, SWEEP_STARTED_VARIABLE, _scheduled, _sweep_progress
    from salessim.finished_order import FINISHED_LOG, expected_of, write_expected

    monkeypatch.setenv(SWEEP_JOBS_VARIABLE, "6")
    monkeypatch.setenv(SWEEP_STARTED_VARIABLE, "1000.000")
    _finished_jobs(tmp_path, {"0": 1001.0, "1": 1002.0, "2": 1004.0, "3": 1006.0})
    (tmp_path / FINISHED_LOG).write_text("1000.000 2.000 0\n1000.000 4.000 1\n1000.000 6.000 2\n")
    write_expected(tmp_path, "1000.000", {str(j): float(j + 1) for j in range(6)})
    assert expected_of(tmp_path, "1000.000") == {str(j): float(j + 1) for j in range(6)}
    assert expected_of(tmp_path, "999.000") is None  # another command's
    # the jobs read the command's start as Hydra hands it to them, a float: 1000.0, not 1000.000
    assert expected_of(tmp_path, "1000.0") == expected_of(tmp_path, "1000.000")
    # twice what they were expected to take: jobs 4 and 5 take 10 s and 12 s
    assert _sweep_progress(tmp_path / "3", 2, 8.0) == " (4 of 6 jobs finished; about 12 s left)"
    (tmp_path / FINISHED_LOG).write_text("1000.000 2.000 0\n1000.000 4.000 1\n1000.000 6.000 2\n")
    (tmp_path / ".salessim-expected").write_text("not json")  # unreadable: by the mean, 5 s a job
    assert _sweep_progress(tmp_path / "3", 2, 8.0) == " (4 of 6 jobs finished; about 5 s left)"
    # on Ray, whose workers the command cannot count: the 20 s taken in the 6 s since the start kept
    # 3.3 workers busy, and the 22 s left take 6.6 s
    (tmp_path / FINISHED_LOG).write_text("1000.000 2.000 0\n1000.000 4.000 1\n1000.000 6.000 2\n")
    write_expected(tmp_path, "1000.000", {str(j): float(j + 1) for j in range(6)})
    assert _sweep_progress(tmp_path / "3", None, 8.0) == " (4 of 6 jobs finished; about 7 s left)"
    # one at a time, the jobs left end one after the other; more workers than jobs, the longest
    assert _scheduled([5.0, 6.0], 1) == 11.0 and _scheduled([5.0, 6.0], 2) == 6.0
    assert _scheduled([5.0, 6.0], 4) == 3.0 and _scheduled([2.0, 2.0, 2.0, 2.0], 2) == 4.0


def test_a_sweeps_done_lines_say_how_long_the_jobs_left_take_at_the_pace_so_far(tmp_path, monkeypatch):
    """'(4 of 8 jobs finished; about 40 s left)': the command's time over the jobs it finished (a
    resume's skipped jobs, finished before it started, set none); nothing before three have
    finished, nor once all are done. Jobs side by side finish together: four workers that finish
    their first round at once, 10 s in, keep a pace of 2.5 s a job, not of nothing."""
    from salessim.cli import SWEEP_JOBS_VARIABLE, SWEEP_STARTED_VARIABLE, _sweep_progress

    monkeypatch.setenv(SWEEP_JOBS_VARIABLE, "8")
    monkeypatch.setenv(SWEEP_STARTED_VARIABLE, "1000.0")
    # job 0 was skipped (finished before the command); then one every 10 s
    _finished_jobs(tmp_path, {"0": 500, "1": 1010, "2": 1020, "3": 1030, "4": 1040})
    # the manifests' times order the jobs here (where the log of finished_order.py cannot be kept)
    monkeypatch.setattr("salessim.cli.finished_before", lambda *_: None)
    assert _sweep_progress(tmp_path / "1") == " (2 of 8 jobs finished)"
    assert _sweep_progress(tmp_path / "2") == " (3 of 8 jobs finished)"
    assert _sweep_progress(tmp_path / "3") == " (4 of 8 jobs finished; about 40 s left)"
    assert _sweep_progress(tmp_path / "4") == " (5 of 8 jobs finished; about 30 s left)"
    # one at a time, known: the pace from the first job finished (its 10 s include the start)
    assert _sweep_progress(tmp_path / "4", 1) == " (5 of 8 jobs finished; about 30 s left)"
    monkeypatch.setenv(SWEEP_JOBS_VARIABLE, "5")
    assert _sweep_progress(tmp_path / "4") == " (5 of 5 jobs finished)"

    side_by_side = tmp_path / "side_by_side"
    monkeypatch.setenv(SWEEP_JOBS_VARIABLE, "20")
    _finished_jobs(side_by_side, {"0": 1_010_000_000_000, "1": 1_010_000_000_100, "2": 1_010_000_000_200,
                                  "3": 1_010_000_000_300}, ns=True)
    assert _sweep_progress(side_by_side / "3") == " (4 of 20 jobs finished; about 40 s left)"


def test_the_time_left_of_jobs_side_by_side_leaves_the_workers_start_out(tmp_path, monkeypatch):
    """Two workers took 3 s to start and import salessim, then finished a job each every 2 s: at
    the third job, the pace from the command's start (7 s for 3 jobs: 12 s for the 5 left) said
    over twice the time the jobs left take. From the first job finished, once more than a round
    has finished, the pace is the workers' (2 s for the 2 jobs after it: 5 s); nothing is said
    before."""
    from salessim.cli import SWEEP_JOBS_VARIABLE, SWEEP_STARTED_VARIABLE, _sweep_progress

    monkeypatch.setenv(SWEEP_JOBS_VARIABLE, "8")
    monkeypatch.setenv(SWEEP_STARTED_VARIABLE, "1000.0")
    monkeypatch.setattr("salessim.cli.finished_before", lambda *_: None)  # ordered by the manifests' times
    _finished_jobs(tmp_path, {"0": 1005.0, "1": 1005.1, "2": 1007.0, "3": 1007.1})
    assert _sweep_progress(tmp_path / "2") == " (3 of 8 jobs finished; about 12 s left)"  # pace unknown
    assert _sweep_progress(tmp_path / "2", 2) == " (3 of 8 jobs finished; about 5 s left)"
    assert _sweep_progress(tmp_path / "1", 2) == " (2 of 8 jobs finished)"
    assert _sweep_progress(tmp_path / "3", 4) == " (4 of 8 jobs finished)"  # a round not yet done


@pytest.mark.parametrize("commit,versions,said", [
    ("unknown", {"salessim": "0.1.0"}, "at version 0.1.0, run outside a git checkout"),
    ("unknown", {"salessim": "not installed"}, "at a version it does not record, run outside a git checkout"),
    (None, None, "at a version it does not record, run outside a git checkout"),
    ("0123abc+dirty", {"salessim": "0.1.0"}, "at commit 0123abc+dirty"),
])
def test_a_manifest_written_outside_a_git_checkout_names_the_version_not_commit_unknown(
        commit, versions, said, tmp_path):
    """A job run by an installed salessim, or a copy without its .git, records git_commit
    "unknown": the manifest's readers (salessim-rerun, salessim-compare) said it was made "at
    commit unknown", though the manifest records the package's version."""
    import json

    from salessim.config import Config
    from salessim.errors import UserError
    from salessim.manifest import read_manifest
    from salessim.rerun import _check_complete

    meta = {"config": {"sim": {"years": -1}}, "git_commit": commit, "versions": versions, "tables": []}
    (tmp_path / "manifest.json").write_text(json.dumps(meta))
    with pytest.raises(UserError) as refused:
        read_manifest(tmp_path)
    assert f"(it was edited, or written by a salessim other than this one: made {said}): sim.years=-1" in \
        refused.value.message
    with pytest.raises(UserError) as lacking:  # a rerun of a manifest that lacks keys
        _check_complete(Config(), meta, tmp_path / "manifest.json")
    assert f"or written by a salessim without that key (made {said})" in lacking.value.message


def test_a_process_records_one_commit_for_all_its_jobs(monkeypatch):
    """A sales-ops walk's sweep, its code committed while it ran, was recorded as run by three
    versions: its workers read git again for each job, not the code they had loaded."""
    import subprocess as sp

    from salessim import outputs

    outputs.git_commit.cache_clear()
    first = outputs.git_commit()
    monkeypatch.setattr(sp, "run", lambda *a, **k: (_ for _ in ()).throw(OSError("no git")))
    assert outputs.git_commit() == first  # read once a process
    outputs.git_commit.cache_clear()
    assert outputs.git_commit() == "unknown"
    outputs.git_commit.cache_clear()


def test_an_installed_salessim_inside_another_projects_work_tree_records_no_commit(tmp_path):
    """salessim installed into a virtual environment inside another project's git work tree
    recorded that project's commit as its own."""
    import shutil

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    project = tmp_path / "project"
    shutil.copytree(ROOT / "salessim", project / ".venv" / "site-packages" / "salessim",
                    ignore=shutil.ignore_patterns("__pycache__"))
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "another project"], check=True)
    proc = subprocess.run([sys.executable, "-c", "from salessim.outputs import git_commit; print(git_commit())"],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(project / ".venv" / "site-packages")})
    assert proc.stdout.strip() == "unknown", proc.stderr


def test_an_error_a_library_raises_as_ctrl_c_unwinds_it_ends_as_the_interruption(capsys):
    """Ctrl-C while Hydra composed a sweep's jobs landed in OmegaConf's clean-up, which raised an
    AttributeError of its own: the command printed that traceback instead of its one line."""
    from salessim.interrupt import interrupt_ends_quietly

    with pytest.raises(SystemExit) as ended:
        with interrupt_ends_quietly("salessim", "nothing was written", starts_workers=False):
            try:
                raise KeyboardInterrupt
            except KeyboardInterrupt:
                raise AttributeError("'NoneType' object has no attribute '_invalidate_flags_cache'")
    assert ended.value.code == 130
    assert capsys.readouterr().err == "salessim: interrupted; nothing was written\n"
    with pytest.raises(AttributeError):  # an error of its own is not taken for one
        with interrupt_ends_quietly("salessim", "nothing was written", starts_workers=False):
            raise AttributeError("no interruption behind it")


def test_a_sweep_on_ray_stopped_before_any_job_finished_says_so(tmp_path):
    """A sales-ops walk stopped a sweep while Ray was still connecting: 'finished jobs are kept',
    though none had run. Its folder stays, with Hydra's record, for a resume."""
    from salessim.cli import _ray_sweep_kept

    assert _ray_sweep_kept(str(tmp_path), 4) == (
        f"no job had finished (resume: the same command with hydra.sweep.dir={tmp_path} sim.resume=true)")
    (tmp_path / "1").mkdir()
    (tmp_path / "1" / "manifest.json").write_text("{}")
    assert _ray_sweep_kept(str(tmp_path), 4).startswith("1 of 4 jobs had finished: its results are kept")


def test_an_error_left_by_a_ctrl_c_a_library_dropped_ends_as_the_interruption(capsys):
    """A sales-ops walk's Ctrl-C landed in matplotlib as salessim-compare saved a figure: the stop
    was dropped there, and the 'Invalid bounding box' it left ended the command with a traceback
    and exit 1. Heard by the command's own stops, the error after it is the interruption."""
    from salessim.interrupt import interrupt_ends_quietly

    # Ctrl-C in Python's hands, as in a terminal, even where the tests run with SIGINT ignored (a
    # CI job started in the background inherits that, and a command then hears no Ctrl-C)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(SystemExit) as ended:
            with interrupt_ends_quietly("salessim-compare", "nothing was written", starts_workers=False):
                try:
                    signal.raise_signal(signal.SIGINT)
                except KeyboardInterrupt:
                    pass  # dropped, as a library's callback drops it
                raise ValueError("Invalid bounding box")
        assert ended.value.code == 130
        assert capsys.readouterr().err == "salessim-compare: interrupted; nothing was written\n"
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # given back
    finally:
        signal.signal(signal.SIGINT, previous)


def test_ctrl_c_in_omegaconfs_clean_up_while_a_job_is_composed_is_no_input_error(monkeypatch):
    """Ctrl-C landing in OmegaConf's clean-up while Hydra composed a job raised an OmegaConf error
    of its own, which the checks of the command took for bad input: 'error: defaults='?' is not
    allowed', exit 2. It is the interruption."""
    from omegaconf.errors import ConfigAttributeError

    from salessim import compose

    def interrupted(**_):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise ConfigAttributeError("'NoneType' object has no attribute '_invalidate_flags_cache'")

    monkeypatch.setattr(compose, "compose", interrupted)
    with pytest.raises(KeyboardInterrupt):
        compose.compose_config(["sim.years=1"])


def test_the_workers_a_sweep_starts_are_counted_as_joblib_counts_them():
    """os.cpu_count() counted cores the process may not use (CPU affinity, a container's limit),
    and one job at a time, which joblib runs in the command's own process, as a worker started."""
    from salessim.launchers import worker_processes

    def launcher(n_jobs, backend=None, prefer="processes"):
        return {"hydra.launcher._target_": "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher",
                "hydra.launcher.n_jobs": n_jobs, "hydra.launcher.backend": backend,
                "hydra.launcher.prefer": prefer}
    usable = len(os.sched_getaffinity(0))
    assert worker_processes(launcher(-1)) == (0 if usable == 1 else usable)
    assert worker_processes(launcher(1)) == 0 and worker_processes(launcher(3)) == 3
    assert worker_processes(launcher(2, prefer="threads")) == 0
    basic = "hydra._internal.core_plugins.basic_launcher.BasicLauncher"
    assert worker_processes({"hydra.launcher._target_": basic}) == 0


def test_a_sweeps_job_lines_name_their_folders_as_the_sweeps_last_line_does(tmp_path):
    """'results in /abs/path/to/results/sweeps/<time>/0' made every job line some 40 characters
    longer than the folder the user typed and the last line names: from the working folder."""
    proc = subprocess.run([sys.executable, "-m", "salessim", "-m", *TINY, "fsm.span_of_control=8,12",
                           "hydra.launcher.n_jobs=1", "hydra.sweep.dir=mine"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].endswith("results in mine/0") and lines[1].endswith("results in mine/1"), lines
    assert lines[-1].endswith("salessim-compare mine")
    # named by what sets them apart, the settings every job has said once before they start: each
    # line repeated org=small,sim.warmup_months=...,sim.years=... (170 characters, wrapped)
    assert lines[0].startswith("salessim: job 0 (fsm.span_of_control=8) done (1 of 2 jobs finished): "), lines
    assert lines[1].startswith("salessim: job 1 (fsm.span_of_control=12) done (2 of 2 jobs finished): "), lines
    shared = " ".join(o for o in TINY if not o.startswith("sim.replications"))
    assert f"each job says when it is done; every job has {shared}, left out of its lines" in proc.stderr


def test_a_sweep_job_is_named_without_the_settings_every_job_has(monkeypatch):
    from salessim.cli import SWEEP_SHARED_VARIABLE, _job_named, _sweep_size_override, shared_settings

    jobs = [["org=small", "fsm.span_of_control=8", "sim.replications=2", "hydra.launcher.n_jobs=1"],
            ["org=small", "fsm.span_of_control=12", "sim.replications=2", "hydra.launcher.n_jobs=1"]]
    assert shared_settings(jobs) == ["org=small"]  # what no name holds is not left out of one
    assert shared_settings(jobs[:1]) == []  # a sweep of one job: its whole name
    value = _sweep_size_override(2, ["org=small", "investment=[crm,tools]"], "1000.000")[-1]
    value = value.split("=", 1)[1]
    monkeypatch.setenv(SWEEP_SHARED_VARIABLE, value)
    assert _job_named("fsm.span_of_control=8,investment=[crm,tools],org=small") == "fsm.span_of_control=8"
    assert _job_named("investment=[crm,tools],org=small") == "the shared settings only"
    # a list group chosen without brackets is in the name as the list it composes
    value = _sweep_size_override(2, ["+calibrated=fit", "investment=crm"], "1000.000")[-1].split("=", 1)[1]
    monkeypatch.setenv(SWEEP_SHARED_VARIABLE, value)
    assert _job_named("+calibrated=[fit],fsm.span_of_control=8,investment=[crm]") == "fsm.span_of_control=8"
    monkeypatch.setenv(SWEEP_SHARED_VARIABLE, "by hand")
    assert _job_named("org=small") == "org=small"


def test_a_glob_sweep_lists_the_configs_of_a_cd_folder_as_hydras_sweep_does(tmp_path):
    """Hydra's glob(...) lists the configs of a -cd folder; the check's did not: it counted and
    checked 3 jobs of 5 ('4 of 3 jobs finished'), and a bad config there failed after others ran."""
    from salessim.errors import UserError
    from salessim.preflight import check_command

    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "aa_tiny.yaml").write_text("# @package org\nsellers: 2\n")
    sweep = ["-m", "-cd", str(tmp_path), "org=glob(*,exclude=[default,large])", "sim.years=1"]
    assert check_command(sweep) == 2  # aa_tiny, small
    (tmp_path / "org" / "zz_bad.yaml").write_text("# @package org\nsellers: lots\n")
    with pytest.raises(UserError) as info:
        check_command(sweep)
    assert info.value.message.startswith("org.sellers='lots' is not allowed") and "zz_bad.yaml" in info.value.message


@pytest.mark.parametrize("target,said", [
    ("hydra.sweeper._target_=foo.Bar", "hydra.sweeper._target_='foo.Bar' is not allowed: a sweeper Hydra "
                                       "has installed, chosen as hydra/sweeper=NAME: "
                                       "hydra._internal.core_plugins.basic_sweeper.BasicSweeper"),
    ("hydra.launcher._target_=foo.Bar", "hydra.launcher._target_='foo.Bar' is not allowed: a launcher "
                                        "Hydra has installed, chosen as hydra/launcher=NAME: "),
])
def test_a_sweep_with_a_launcher_or_sweeper_hydra_has_not_found_is_refused_in_one_line(target, said, tmp_path):
    """Hydra stopped such a sweep with a traceback ('Invalid plugin ...: not the hydra_plugins
    package') once it had begun."""
    from salessim.errors import UserError
    from salessim.preflight import check_command

    with pytest.raises(UserError) as info:
        check_command(["-m", target, "fsm.span_of_control=6,8", *TINY, f"hydra.sweep.dir={tmp_path / 's'}"])
    assert info.value.message.startswith(said), info.value.message
    assert not (tmp_path / "s").exists()


def test_a_folder_typed_with_a_tilde_is_in_the_home_folder_for_every_command(tmp_path):
    """hydra.sweep.dir='~/sweep' wrote a folder named '~' in the working folder and then said to
    compare '~/sweep', which salessim-compare read as the home folder for the tables (pandas
    expands '~') but not for the manifests: another sweep there was compared under this one's
    names. Unquoted, as zsh and sh leave it, Hydra refused the '~'. Every command now reads '~'
    as the home folder."""
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home)}
    for typed, name in (("~/sweep", "sweep"), ("'~/my sweep'", "my sweep")):
        proc = run_module("salessim", "-m", *TINY, "sim.seed=1,2", f"hydra.sweep.dir={typed}",
                          cwd=tmp_path, env=env)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert (home / name / "1" / "manifest.json").exists()
    assert not (tmp_path / "~").exists()
    assert proc.stdout.strip().splitlines()[-1].endswith(f"salessim-compare '{home / 'my sweep'}'")
    compared = run_module("salessim.compare_command", "~/sweep", "--no-plots", "--out", "~/cmp",
                          cwd=tmp_path, env=env)
    assert compared.returncode == 0 and f"2 finished jobs of 2 in {home / 'sweep'}" in compared.stdout, \
        compared.stderr
    assert (home / "cmp" / "comparison.csv").exists()
    rerun = run_module("salessim.rerun", "~/sweep/0", cwd=tmp_path, env=env)
    assert rerun.returncode == 0 and "identical" in rerun.stdout, rerun.stderr
    # Several folders are refused as any sweep of Hydra's folder is: expanded and quoted whole,
    # they made one folder, HOME/a,~/b
    two = run_module("salessim", "-m", *TINY, "sim.seed=1,2", "hydra.sweep.dir=~/a,~/b", cwd=tmp_path, env=env)
    assert two.returncode == 2 and two.stderr.startswith(f"salessim: error: hydra.sweep.dir='{str(home)[:40]}"), \
        two.stderr  # shortened, as the refusal shortens a long value
    assert "is not allowed: a single value: Hydra's own settings" in two.stderr
    assert sorted(p.name for p in home.iterdir() if not p.name.startswith(".")) == ["cmp", "my sweep", "sweep"]
    spaced = tmp_path / "my home"  # each folder quoted on its own: the list stays a list, refused
    spaced.mkdir()
    two = run_module("salessim", "-m", *TINY, "sim.seed=1,2", "hydra.sweep.dir=~/a,~/b", cwd=tmp_path,
                     env={**env, "HOME": str(spaced)})
    assert two.returncode == 2 and "is not allowed: a single value: Hydra's own settings" in two.stderr, two.stderr
    assert not [p for p in spaced.iterdir() if not p.name.startswith(".")]


def test_a_key_typed_twice_names_the_run_by_the_value_it_ran_with(tmp_path):
    """Hydra runs a key's last value (a wrapper's defaults, then the user's), but named the run
    'fsm.coaching_quality=0.3,fsm.coaching_quality=0.7,...', which read as 0.3."""
    proc = run_cli(*TINY, "fsm.coaching_quality=0.3", "fsm.coaching_quality=0.7", "org=default", "org=small",
                   f"hydra.run.dir={tmp_path / 'run'}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    named = next(line for line in proc.stdout.splitlines() if line.startswith("salessim: "))
    assert named.startswith("salessim: fsm.coaching_quality=0.7,org=small,sim.warmup_months=1,sim.years=0.5: "), named
    assert "0.3" not in named and "org=default" not in named
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert manifest["scenario"] == named.split(": ")[1] and manifest["config"]["fsm"]["coaching_quality"] == 0.7


def test_a_sweep_whose_reader_leaves_says_it_stopped_and_how_to_resume(tmp_path):
    """`salessim -m ... | head -2` stopped the sweep at its next job line, exit status 141, without
    a word: the jobs it had yet to run were never started."""
    folder = tmp_path / "sweep"
    proc = subprocess.Popen([sys.executable, "-m", "salessim", "-m", *TINY, "sim.seed=1,2,3,4,5,6",
                             "hydra.launcher.n_jobs=1", f"hydra.sweep.dir={folder}"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().startswith("salessim: job 0 ")
    proc.stdout.close()  # as head does, having read its line
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 141
    # the jobs that had finished counted, as Ctrl-C counts them (a sales-ops walk missed the count)
    assert err.strip().splitlines()[-1] == (
        "salessim: the output's reader left (| head?), so the sweep stopped; 2 of 6 jobs had finished: "
        f"their results are kept (resume: the same command with hydra.sweep.dir={folder} "
        "sim.resume=true)"), err
    assert err.count("reader left") == 1 and len(list(folder.glob("*/manifest.json"))) == 2
    # stderr to the same reader (2>&1 | head): it stopped too, where its word, failing to be
    # written, ended the job instead, and Hydra ran the rest (exit status 1)
    both = subprocess.Popen([sys.executable, "-m", "salessim", "-m", *TINY, "sim.seed=1,2,3,4,5,6",
                             "hydra.launcher.n_jobs=1", f"hydra.sweep.dir={tmp_path / 'both'}"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    while not both.stdout.readline().startswith("salessim: job 0 "):
        pass
    both.stdout.close()
    assert both.wait(timeout=120) == 141
    assert len(list((tmp_path / "both").glob("*/manifest.json"))) < 6


def test_a_job_in_its_own_working_folder_names_its_results_from_the_commands(tmp_path):
    """hydra.job.chdir=true ran each job in its folder, which its line then called '.'."""
    proc = run_cli(*TINY, "hydra.job.chdir=true", "hydra.run.dir=run", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "1 replication, results in run\n" in proc.stdout


def test_the_overrides_hydra_runs_are_the_last_of_each_key():
    """'key=1 ++key=2' ran 2 and was named with both; a '+key' a later setting needs stays."""
    from salessim.overrides import without_overridden

    assert without_overridden(["a=1", "b=3", "a=2"]) == ["b=3", "a=2"]
    assert without_overridden(["a=1", "++a=2"]) == ["++a=2"]
    assert without_overridden(["+a=1", "++a=2"]) == ["++a=2"]
    assert without_overridden(["++a=1", "a=2"]) == ["++a=1", "a=2"]  # the key ++ may have added
    assert without_overridden(["+a=1", "a=2"]) == ["+a=1", "a=2"]
    assert without_overridden(["a=1", "~a"]) == ["a=1", "~a"]


def test_a_commands_long_lines_wrap_at_a_terminals_width_and_stay_whole_in_a_pipe(monkeypatch):
    """A sweep's first line ran to some 180 characters, its job lines and its last to 150, and the
    terminal cut them mid-word; into a file or a pipe each stays one line, for a reader to grep."""
    import io

    from salessim import terminal

    folder = "/tmp/my results/sweep one"
    line = (f"salessim: sweep ended: 4 of 4 jobs have results in {folder}; compare them with the "
            f"baseline: salessim-compare '{folder}'")
    assert terminal.terminal_line(line, io.StringIO()) == line  # not a terminal
    monkeypatch.setattr(terminal, "terminal_width", lambda stream=None: 60)
    lines = terminal.terminal_line(line, whole=[folder]).splitlines()
    assert len(lines) > 1 and all(len(x) <= 60 for x in lines) and lines[0].startswith("salessim: sweep ended")
    assert all(x.startswith("  ") for x in lines[1:])
    assert " ".join(x.strip() for x in lines) == line  # no word cut, none lost
    assert sum(folder in x for x in lines) == 2  # the folder never split at its spaces


def test_a_stop_line_wraps_but_never_inside_the_folder_to_resume(monkeypatch, capsys):
    """The line of a stopped sweep names its folder in the resume command: it was wrapped without
    that folder held whole, and a folder with spaces could break across lines."""
    from salessim import terminal
    from salessim.cli import _as_written, _kept
    from salessim.interrupt import interrupt_ends_quietly
    from salessim.typed_folders import folder_setting

    monkeypatch.setattr(terminal, "terminal_width", lambda stream=None: 60)
    # an apostrophe is escaped in the resume's setting: the folder as it is was no longer in the line
    for folder in ("/tmp/my results/the sweep of the whole quarter", "/tmp/Bob's sweep of the quarter"):
        with pytest.raises(SystemExit) as ended:
            with interrupt_ends_quietly("salessim", _kept(True, folder), starts_workers=False,
                                        whole=_as_written(folder)):
                raise KeyboardInterrupt
        lines = capsys.readouterr().err.splitlines()
        setting = folder_setting("hydra.sweep.dir", folder)
        assert ended.value.code == 130 and len(lines) > 1, lines
        assert all(len(x) <= 60 or setting in x for x in lines) and any(setting in x for x in lines), lines


def test_the_width_is_the_terminal_of_the_stream_written_to(monkeypatch):
    """Lines to stderr were wrapped at stdout's terminal: with stdout sent to a file, at none."""
    import fcntl
    import pty
    import struct
    import termios

    from salessim.terminal import terminal_width

    main_fd, other_fd = pty.openpty()
    fcntl.ioctl(other_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 77, 0, 0))
    with os.fdopen(other_fd, "w") as tty, os.fdopen(main_fd, "rb"):
        monkeypatch.delenv("COLUMNS", raising=False)
        assert terminal_width(tty) == 77
        monkeypatch.setenv("COLUMNS", "50")  # as a shell sets it: first
        assert terminal_width(tty) == 50


def test_a_command_that_has_ended_ignores_a_late_stop():
    """A stop that came as the interpreter ended (the second of `timeout`'s two signals, or a
    Ctrl-C a moment late) found the signals in their default hands: the command died by the signal,
    without a word, with status 130 after its complete results and closing line."""
    from salessim.commands import _command
    from salessim.interrupt import handler_behind

    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _command("salessim", "os", "getcwd")()  # a command that ends at once
        for sig in previous:
            assert signal.getsignal(sig)(sig, None) is None  # ignored, at first
            # and later ended by the signal: a shutdown that hangs can still be stopped
            assert handler_behind(sig) is signal.SIG_DFL
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a background job's
        _command("salessim", "os", "getcwd")()
        assert handler_behind(signal.SIGINT) is signal.SIG_IGN  # stays ignored
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C", "SIGTERM"])
def test_a_stop_just_after_a_commands_last_line_does_not_kill_it(sig):
    """Python gives a signal with a handler of its own back to SIG_DFL as it finishes: a stop a
    moment after the command's last line, in that teardown, ended it by the signal (status 130 or
    143, no word) after its complete output."""
    for attempt in range(4):
        # 30 to 120 ms after, where the teardown runs (at once, it can land before the command's
        # work has returned, and end it in one line: the test after this one)
        delay = 0.03 * (attempt + 1)
        proc = started_apart(["salessim", "--version"], lambda: True, signal.default_int_handler, wait=0)
        assert proc.stdout.readline().startswith("salessim ")
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):  # ended already
            proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
        assert (proc.returncode, err) == (0, ""), (delay, proc.returncode, err)


def test_a_stop_as_version_prints_its_line_is_one_line_not_a_traceback(monkeypatch, capsys):
    """A stop landing as --version's line prints (in a busy full suite, once in three runs)
    came before the command's end quiets stops: a KeyboardInterrupt traceback. Now it ends as
    any stop does: one line, status 130."""
    from salessim.commands import version_asked

    class Stopped:  # the line's write is where the Ctrl-C lands
        def write(self, text):
            raise KeyboardInterrupt

        def flush(self):
            pass

    monkeypatch.setattr(sys, "stdout", Stopped())
    try:
        version_asked(["--version"], "salessim")
    except KeyboardInterrupt:  # caught here: one escaping would end the test session itself
        pytest.fail("the stop escaped --version as a KeyboardInterrupt: a traceback")
    except SystemExit as e:
        assert e.code == 130 and capsys.readouterr().err == "salessim: interrupted; nothing was written\n"
    else:
        pytest.fail("the stop went unheard")


def test_a_quiet_handler_passes_its_signal_on_after_its_deadline():
    """The handlers a stop and a command's end leave ignore the signal for a moment only: a
    stop after it ends what hangs (the handler before them has it)."""
    from salessim.interrupt import handler_behind, quiet_until

    heard = []
    previous = signal.signal(signal.SIGUSR1, lambda signum, frame: heard.append(signum))
    try:
        then = signal.getsignal(signal.SIGUSR1)
        signal.signal(signal.SIGUSR1, quiet_until(time.monotonic() + 60, then))
        signal.raise_signal(signal.SIGUSR1)
        assert heard == [] and handler_behind(signal.SIGUSR1) is then
        # one stopped in-process run after another: each in front of the last, a layer deeper
        # each time (past the recursion limit, a stop raised RecursionError)
        for _ in range(3000):
            signal.signal(signal.SIGUSR1, quiet_until(time.monotonic() - 1, signal.getsignal(signal.SIGUSR1)))
        signal.raise_signal(signal.SIGUSR1)
        assert heard == [signal.SIGUSR1] and signal.getsignal(signal.SIGUSR1) is then
        assert handler_behind(signal.SIGUSR1) is then
        signal.signal(signal.SIGUSR1, quiet_until(0, None))  # a handler not set from Python
        assert handler_behind(signal.SIGUSR1) is signal.SIG_DFL
    finally:
        signal.signal(signal.SIGUSR1, previous)


_STOPPED_TWICE_IN_PROCESS = """
import sys, time
from salessim.interrupt import interrupt_ends_quietly
for attempt in range(2):
    try:
        with interrupt_ends_quietly("salessim", f"stop {attempt}"):
            print("waiting", flush=True)
            time.sleep(60)
    except SystemExit as e:
        print(e.code, flush=True)
"""


def test_an_in_process_caller_stopped_once_is_heard_again_the_second_time():
    """After a stopped in-process run, the handlers of the stop's end stood where the defaults
    had been: a second in-process run started no relay, and its stop killed the process."""
    proc = subprocess.Popen([sys.executable, "-c", _STOPPED_TWICE_IN_PROCESS], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for attempt in range(2):
        assert proc.stdout.readline() == "waiting\n"
        proc.send_signal(signal.SIGTERM)
        assert proc.stdout.readline() == "143\n"
        time.sleep(1.5)  # later than the same stop's second signal could come
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, err) == (0, "salessim: terminated; stop 0\nsalessim: terminated; stop 1\n")


def test_a_sweep_without_the_usual_values_ends_naming_the_first_job_as_its_baseline(tmp_path):
    """A strategist's walk: `-m org.sellers=90,80` ended with 'compare them with the baseline', and
    that comparison measured both against 90 sellers, not the organization as set (100), said only
    on its second line. The sweep's last line names the first job and how to measure against the
    usual values; a sweep that holds them ends as before."""
    from salessim import cli

    def sweep(folder, *jobs):
        folder.mkdir()
        (folder / "multirun.yaml").write_text("org:\n  sellers: 100\nsim:\n  years: 1.0\n")
        for num, overrides in enumerate(jobs):
            (folder / str(num) / ".hydra").mkdir(parents=True)
            (folder / str(num) / ".hydra" / "overrides.yaml").write_text(
                "".join(f"- {o}\n" for o in [*overrides, "sim.years=1"]))
            (folder / str(num) / "manifest.json").write_text("{}")
        return folder

    cut = sweep(tmp_path / "cut", ["org.sellers=90"], ["org.sellers=80"])
    assert cli._sweep_ended(str(cut), 2) == (
        f"salessim: sweep ended: 2 of 2 jobs have results in {cut}; no job runs the swept settings at their "
        "usual values, so a comparison measures them against the first job (org.sellers=90; against the "
        f"usual values, sweep them too, or add --baseline with a run of them): salessim-compare {cut}")
    usual = sweep(tmp_path / "usual", ["org.sellers=90"], ["org.sellers=100"])
    ended = cli._sweep_ended(str(usual), 2)
    assert ended.endswith(f"compare them with the baseline: salessim-compare {usual}"), ended
    marked = sweep(tmp_path / "marked", ["org.sellers=90"], ["org.sellers=80", "sim.baseline=true"])
    assert "compare them with the baseline" in cli._sweep_ended(str(marked), 2)
    # a sweep of seeds too: the usual 100 sellers on each seed is the baseline
    seeds = sweep(tmp_path / "seeds", ["sim.seed=1", "org.sellers=100"], ["sim.seed=1", "org.sellers=20"],
                  ["sim.seed=2", "org.sellers=100"], ["sim.seed=2", "org.sellers=20"])
    assert "compare them with the baseline" in cli._sweep_ended(str(seeds), 4)


def test_a_sweep_of_jobs_side_by_side_says_once_that_replication_workers_gain_nothing(tmp_path, monkeypatch,
                                                                                       capsys):
    """joblib runs the replication workers of a job it runs beside others as threads of its worker
    process, which take turns on one core (measured slower than one worker): said once, before
    the jobs start; a sweep one job at a time, or a single run, starts them as processes."""
    from salessim.preflight import check_command

    monkeypatch.chdir(tmp_path)
    said = "sim.workers=2 gains nothing in a sweep of 2 jobs at a time (hydra.launcher.n_jobs)"
    swept = ["-m", "org=small", "sim.workers=2", "sim.seed=1,2,3", "hydra.launcher.n_jobs=2"]
    assert check_command(swept) == 3
    assert capsys.readouterr().err.count(said) == 1
    for quiet in (["-m", "org=small", "sim.workers=2", "sim.seed=1,2", "hydra.launcher.n_jobs=1"],
                  ["-m", "org=small", "sim.seed=1,2", "hydra.launcher.n_jobs=2"],
                  ["org=small", "sim.workers=2"]):
        check_command(quiet)
        assert "gains nothing" not in capsys.readouterr().err, quiet
