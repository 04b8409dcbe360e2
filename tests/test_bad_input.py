"""Bad input ends with one readable line naming the key, the value and what is allowed;
exit status 2, no traceback, nothing written."""

import shutil
import subprocess

import pytest

from salessim.errors import UserError
from salessim.preflight import check_command
from tests.commands import run_module
from tests.conftest import run_cli

# (command line, words the message must contain)
BAD = [
    (["org.sellerz=10"], ["org.sellerz", "known key", "sellers"]),
    (["org.sellers=many"], ["org.sellers", "'many'", "integer"]),
    # as typed: a whole number read into a float setting was echoed 0.0, its bounds 1.0 and 100.0
    (["fsm.span_of_control=0"], ["fsm.span_of_control=0 is not allowed: a number >= 1 and <= 100"]),
    # Hydra said "package 'hydra.sweeper' not found in config", exit status 1
    (["--cfg", "job", "-p", "hydra.sweeper"], ["-p hydra.sweeper is not allowed with --cfg job",
                                               "--cfg hydra -p hydra.sweeper"]),
    (["--cfg", "job", "-p", "fsm.span_of_contrl"], ["the config has no fsm.span_of_contrl",
                                                    "did you mean fsm.span_of_control?"]),
    (["--cfg", "job", "-p", "experiment_question"], ["experiment_question is null", "--cfg job without -p"]),
    # a value that cannot be resolved was called null
    (["--cfg", "job", "-p", "sim.years", "sim.years=${nope}"], ["sim.years='${nope}' is not allowed: a value "
                                                               "that can be resolved"]),
    # a key Hydra sets as a job starts was met with "did you mean hydra.job.num?", its own name
    (["--cfg", "hydra", "-p", "hydra.job.num"], ["hydra.job.num has no value before a job starts (???)",
                                                 "allowed: -p hydra.job"]),
    (["market.segments.smb.competitor_presence=1.7"], ["competitor_presence", "1.7", "<= 1"]),
    (["sim.years=-1"], ["sim.years", "-1", "> 0"]),
    (["fsm.coaching_quality=1.7"], ["fsm.coaching_quality", "1.7", "<= 1"]),
    (["sim.replications=0"], ["sim.replications", "0", ">= 1"]),
    (["sim.seed=1.5"], ["sim.seed", "1.5", "integer"]),
    (["sim.trace=maybe"], ["sim.trace", "maybe", "true or false"]),
    # OmegaConf reads these as true: sim.baseline=2 ran as the marked baseline
    (["sim.baseline=2"], ["sim.baseline=2 is not allowed: true or false"]),
    (["sim.resume=yes"], ["sim.resume='yes' is not allowed: true or false"]),
    (["org=huge"], ["org", "huge", "default", "large"]),
    (["experiment=nope"], ["experiment", "nope", "fsm_span"]),
    (["market.decision_rule=vote"], ["market.decision_rule", "vote", "weighted_consensus"]),
    (["sim.warmup_months=40"], ["sim.warmup_months", "40", "horizon"]),
    (["org.segment_mix.smb=0.9"], ["org.segment_mix", "sum to 1"]),
    (["org.segment_mix={mid_market:0.5,enterprise:0.5}"],
     ["org.segment_mix", "sum to 1.4", "left out", "keeps its configured share", "0.0"]),
    (["+foo=1"], ["foo", "known key"]),
    (["+org.bar=1"], ["org.bar", "known key"]),
    (["market.segments.smb.stakeholders_min=5"], ["stakeholders_min", "5", "stakeholders_max"]),
    (["coverage.customer_share.smb=1.5"], ["coverage.customer_share.smb", "1.5"]),
    (["tools.admin_hours=45"], ["tools.admin_hours", "45", "weekly_hours"]),
    (["compensation.cap_attainment=0.5"], ["cap_attainment", "0.5", ">= 1"]),
    (["fsm.span_of_control=3,4"], ["sweep", "-m"]),
    (["-m", "fsm.span_of_control=4,0"], ["fsm.span_of_control", "0", ">= 1"]),
    (["sim.years=nan"], ["sim.years", "nan"]),
    (["org.sellers="], ["org.sellers", "integer"]),
    (["--frobnicate"], ["--frobnicate", "allowed"]),
    (["fsm.span_of_control=[1,2"], ["could not read"]),
    # the value Hydra uses (the last), the key as typed, what is allowed
    (["org.sellers=10", "org.sellers=1.5"], ["org.sellers=1.5 ", "integer"]),
    (["market.segments.foo.complexity=0.5"],
     ["market.segments.foo.complexity", "0.5", "smb, mid_market, enterprise"]),
    (["+market.segments.foo.complexity=0.5"],
     ["market.segments.foo.complexity", "0.5", "smb, mid_market, enterprise"]),
    (["investment=null"], ["investment", "null", "crm", "investment=[]"]),
    (["experiment=null"], ["experiment", "null", "fsm_span"]),
    # Hydra's own flags: checked, and a config shown with --cfg or --info is a config checked
    (["-p", "sim"], ["-p/--package", "--cfg"]),
    (["--resolve"], ["--resolve", "--cfg"]),
    (["--shell-completion"], ["--shell-completion", "install=SHELL"]),
    # Hydra's query takes a shell too, and raised a ValueError traceback for another value
    (["-sc", "query=a"], ["--shell-completion query=a", "query=SHELL", "bash, fish, zsh"]),
    (["-sc", "query=bash"], ["query=bash", "COMP_LINE", "install=SHELL"]),  # a KeyError traceback
    (["-m", "--cfg", "job"], ["--multirun", "--cfg", "cannot be combined"]),
    (["--info", "config", "org=nope"], ["org", "nope", "default", "large"]),
    (["--cfg", "job", "org.sellers=abc"], ["org.sellers", "abc", "integer"]),
    (["--cfg", "job", "experiment=nope"], ["experiment", "nope", "fsm_span"]),
    # Hydra's package syntax moves a config; salessim's have fixed places
    (["org@foo=small"], ["org@foo", "'small'", "org=small"]),
    (["+org@foo=small"], ["org@foo", "'small'", "org=small"]),
    (["~org@foo"], ["org@foo", "~org"]),
    # a choice and its deletion: Hydra deletes it whatever the order, and runs the defaults
    (["org=small", "~org"], ["~org", "with org=small", "give one of them"]),
    (["~fsm", "fsm=default"], ["~fsm", "with fsm=default"]),
    # a key part longer than a file name: Hydra's search for a group of that name raised
    (["a" * 5000 + "=1"], ["5000 characters", "known key", "sim, org", "255"]),
    (["market." + "b" * 300 + "=1"], ["307 characters", "market has segments", "255"]),
    # Hydra reads hydra.mode in place of -m: a sweep asked that way skipped every check of its
    # folder and replaced another sweep's jobs; with -m, RUN ran the first job alone, with a warning
    (["org=small", "hydra.mode=MULTIRUN"], ["hydra.mode='MULTIRUN' is not allowed: not set: a sweep is "
                                            "asked with -m"]),
    (["-m", "org=small", "hydra.mode=RUN"], ["hydra.mode='RUN' is not allowed"]),
]


@pytest.mark.parametrize("argv,words", BAD, ids=[" ".join(a)[:60] for a, _ in BAD])
def test_preflight_names_key_value_and_what_is_allowed(argv, words):
    with pytest.raises(UserError) as info:
        check_command(argv)
    message = info.value.message
    assert "\n" not in message
    for word in words:
        assert word in message, message


@pytest.mark.parametrize("argv,words", [
    # Hydra composed the experiment from the config folder the commands share, and its sweep or
    # replications were refused, without a word of whose group it is
    (["+experiment=decision_rules"], ["experiment='decision_rules'", "a group of salessim, not of this "
                                      "command: salessim -m experiment=decision_rules"]),
    # an experiment is a sweep, which salessim refuses without -m
    (["experiment=fsm_span"], ["experiment='fsm_span'", "a group of salessim, not of this command: "
                               "salessim -m experiment=fsm_span"]),
])
def test_salessim_calibrate_names_salessims_groups_as_salessims(argv, words):
    from salessim.calibration.cli import _validate
    with pytest.raises(UserError) as info:
        check_command(argv, "calibrate", _validate)
    for word in words:
        assert word in info.value.message, info.value.message


CLI_CASES = [
    ["fsm.span_of_control=0"],
    ["market.segments.smb.competitor_presence=1.7"],
    ["org.nonsense=3"],
    ["sim.years=-2"],
    ["-m", "fsm.coaching_quality=0.5,1.7"],
    ["-p", "sim", "org.sellers=-1"],
    ["--resolve"],
    ["--cfg", "hydra", "-p", "org"],
    ["-m", "fsm.span_of_control=5,8", "hydra.launcher.n_jobs=0"],
    ["-m", "fsm.span_of_control=5,8", "hydra.sweep.subdir=same"],
]


@pytest.mark.parametrize("argv", CLI_CASES, ids=[" ".join(a) for a in CLI_CASES])
def test_cli_exits_2_with_one_line_and_writes_nothing(tmp_path, argv):
    out = tmp_path / "out"
    proc = run_cli(*argv, f"hydra.run.dir={out}", f"hydra.sweep.dir={out}")
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("salessim: error: ")
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not out.exists()


def assert_one_line(proc: subprocess.CompletedProcess, prog: str, *words: str) -> None:
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert len(lines) == 1 and lines[0].startswith(f"{prog}: error: "), proc.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize("where", [
    ["hydra.run.dir={file}"],
    ["hydra.run.dir={file}/run"],
    ["hydra.run.dir=/proc/salessim-nope/run"],
    ["-m", "fsm.span_of_control=5,8", "hydra.sweep.dir={file}"],
])
def test_an_output_folder_that_cannot_be_made_is_refused_before_anything_is_written(tmp_path, where):
    file = tmp_path / "a_file"
    file.write_text("mine")
    argv = [a.replace("{file}", str(file)) for a in where]
    proc = run_cli(*argv)
    key = argv[-1].split("=")[0]
    assert_one_line(proc, "salessim", key, "a folder salessim can create and write")
    assert file.read_text() == "mine" and sorted(tmp_path.iterdir()) == [file]


def test_the_jobs_of_a_sweep_must_not_share_a_folder(tmp_path):
    with pytest.raises(UserError) as info:
        check_command(["-m", "fsm.span_of_control=5,8", f"hydra.sweep.dir={tmp_path}",
                       "hydra.sweep.subdir=${sim.seed}"])
    assert "hydra.sweep.subdir='${sim.seed}'" in info.value.message
    assert "jobs 0 and 1 would both write to" in info.value.message
    assert check_command(["-m", "fsm.span_of_control=5,8", f"hydra.sweep.dir={tmp_path}",
                          "hydra.sweep.subdir=${hydra.job.override_dirname}"]) == 2
    assert list(tmp_path.iterdir()) == []


def test_a_resume_must_run_every_finished_job_of_its_sweep_folder(tmp_path):
    """Hydra rewrites multirun.yaml for the command it runs: a job it leaves out would then look
    like another sweep's to salessim-compare."""
    (tmp_path / "2").mkdir()
    (tmp_path / "2" / "manifest.json").write_text('{"config": {}}')
    sweep = ["-m", "fsm.span_of_control=5,8", f"hydra.sweep.dir={tmp_path}", "sim.resume=true"]
    with pytest.raises(UserError) as info:
        check_command(sweep)
    assert f"hydra.sweep.dir='{tmp_path}'" in info.value.message
    assert "it holds finished job 2, which this 2-job sweep does not include" in info.value.message
    assert check_command(["-m", "fsm.span_of_control=5,8,12", *sweep[2:]]) == 3
    assert check_command(["-m", "fsm.span_of_control=5,8,12", *sweep[2:], "hydra.sweep.subdir=./${hydra.job.num}"]) == 3


def test_a_file_where_a_job_writes_is_refused_before_the_sweep_starts(tmp_path):
    """A file named as a job's folder in a sweep's folder stopped the sweep half-way, with a
    62-line traceback from the job that could not make its folder."""
    (tmp_path / "multirun.yaml").write_text("{}")
    (tmp_path / "1").write_text("x")
    with pytest.raises(UserError) as info:
        check_command(["-m", "fsm.span_of_control=5,8", f"hydra.sweep.dir={tmp_path}"])
    assert info.value.message.endswith(f"({tmp_path / '1'} is a file: job 1 writes its results there)")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1", "multirun.yaml"]


def test_a_bad_calibration_storage_is_refused_before_the_run_folder_is_made(tmp_path):
    out = tmp_path / "out"
    proc = run_module("salessim.calibration.cli", "calibration.storage=foo://bar",
                      "calibration.n_trials=1", f"hydra.run.dir={out}", timeout=120)
    assert_one_line(proc, "salessim-calibrate", "calibration.storage='foo://bar'", "RDB URL")
    assert not out.exists()


def test_valid_command_passes_preflight():
    assert check_command(["org=small", "fsm.span_of_control=6"]) == 1
    assert check_command(["-m", "fsm.span_of_control=6,8", "fsm.coaching_quality=0.3,0.6"]) == 4
    assert check_command(["-m", "experiment=decision_rules"]) == 4
    # one scenario on several seeds may carry one name (its jobs are that scenario's replications)
    assert check_command(["-m", "sim.seed=1,2", "sim.scenario=test", "sim.replications=2"]) == 2


def test_a_scenario_name_written_as_a_number_is_text_not_a_repeated_value():
    """8 and 8.0 are one span of control, but "1" and "1.0" are two scenario names."""
    assert check_command(["-m", "sim.scenario=1,1.0", "org=small"]) == 2


def test_a_run_and_a_sweep_never_share_a_folder(tmp_path, monkeypatch):
    """Each would make the other unreadable: a sweep folder with a run's manifest at its top
    reads as a single run to salessim-compare, and the other way round."""
    sweep, run = tmp_path / "sweep", tmp_path / "run"
    sweep.mkdir()
    (sweep / "multirun.yaml").write_text("hydra: {}\n")
    run.mkdir()
    (run / "manifest.json").write_text('{"config": {}}')
    with pytest.raises(UserError) as info:
        check_command(["org=small", f"hydra.run.dir={sweep}"])
    assert "a folder of its own for the run" in info.value.message
    with pytest.raises(UserError) as info:
        check_command(["-m", "fsm.span_of_control=5,8", f"hydra.sweep.dir={run}"])
    assert "a folder of its own for the sweep (this one holds a single run's results)" in info.value.message
    # A sweep's job folder, or its comparison, were said to be a single run's and someone else's
    job, comparison = sweep / "0", sweep / "comparison"
    job.mkdir()
    (job / "manifest.json").write_text('{"config": {}}')
    comparison.mkdir()
    for name in ("comparison.csv", "report.html", "payback.csv"):
        (comparison / name).write_text("")
    with pytest.raises(UserError) as info:
        check_command(["-m", "fsm.span_of_control=5,8", f"hydra.sweep.dir={job}"])
    assert f"(this one holds job 0 of the sweep in {sweep})" in info.value.message
    monkeypatch.chdir(job)  # the folder typed as '.', from inside it: it was 'a single run's'
    with pytest.raises(UserError) as info:
        check_command(["-m", "fsm.span_of_control=5,8", "hydra.sweep.dir=."])
    assert f"(this one holds job 0 of the sweep in {sweep})" in info.value.message
    for key, argv in (("hydra.run.dir", []), ("hydra.sweep.dir", ["-m", "fsm.span_of_control=5,8"])):
        with pytest.raises(UserError) as info:
            check_command([*argv, f"{key}={comparison}"])
        assert f"{key} {comparison} holds a comparison salessim-compare wrote" in info.value.message


@pytest.mark.parametrize("folder,words", [
    ("", ["hydra.run.dir=''", "a path, not an empty value"]),  # Hydra would write into the current folder
    ("{someone}", ["holds files salessim did not write (notes.txt)", "a new or empty folder, or one salessim wrote"]),
    ("{tmp}/" + "x" * 300, ["has a name of 300", "at most 255"]),
])
def test_a_run_folder_that_is_empty_someone_elses_or_unnameable_is_refused(tmp_path, folder, words):
    someone = tmp_path / "theirs"
    someone.mkdir()
    (someone / "notes.txt").write_text("mine")
    folder = folder.replace("{someone}", str(someone)).replace("{tmp}", str(tmp_path))
    for key, argv in (("hydra.run.dir", []), ("hydra.sweep.dir", ["-m", "fsm.span_of_control=5,8"])):
        with pytest.raises(UserError) as info:
            check_command([*argv, f"{key}={folder}"])
        assert "\n" not in info.value.message
        for word in words:
            assert word.replace("hydra.run.dir", key) in info.value.message, info.value.message
    assert sorted(tmp_path.iterdir()) == [someone] and list(someone.iterdir()) == [someone / "notes.txt"]


def test_a_folder_of_hidden_files_or_a_studys_is_not_someone_elses(tmp_path):
    """.DS_Store or .gitkeep alone leave a folder empty for the purpose; a calibration study's
    folder (its journal) is salessim's; --out of salessim-rerun and salessim.run's out_dir are
    checked alike."""
    from salessim.outputs import check_new_output_folder
    hidden, study, theirs = tmp_path / "hidden", tmp_path / "study", tmp_path / "theirs"
    for folder, name in ((hidden, ".DS_Store"), (study, "study.journal"), (theirs, "notes.txt")):
        folder.mkdir()
        (folder / name).write_text("")
    assert check_command([f"hydra.run.dir={hidden}"]) == 1
    assert check_command([f"hydra.run.dir={study}"]) == 1
    check_new_output_folder(hidden, "--out")
    with pytest.raises(UserError) as info:
        check_new_output_folder(theirs, "--out")
    assert info.value.message.startswith(f"--out {theirs} holds files salessim did not write (notes.txt)")


def test_a_folder_salessim_wrote_is_not_someone_elses(tmp_path):
    """A job's folder that crashed before its manifest holds .hydra: run again, it is not refused
    as someone else's (a folder holding results is the resume's business)."""
    (tmp_path / ".hydra").mkdir()
    (tmp_path / "notes.txt").write_text("mine")
    assert check_command([f"hydra.run.dir={tmp_path}"]) == 1



@pytest.mark.parametrize("argv", [
    ["~org"],  # a group's choice may be deleted: its schema defaults stay
    ["hydra.output_subdir=null"], ["hydra.output_subdir=./.hydra"],
    # two coverage investments' travel changes: each sets its own seats' hours, they do not add up
    ["investment=[smb_inside_sales,enterprise_headcount]", "investment.smb_inside_sales.internal_hours_change=12",
     "investment.enterprise_headcount.internal_hours_change=12"],
    ["org=large", "fsm.span_of_control=36"],  # 1,000 sellers in 28 teams of 35 or 36
    # seats added after a span change form teams of that span, not of fsm.span_of_control: 110
    # sellers fit teams of 37.5, and the 4 seats added after the span of 6 a team of 4
    ["org.sellers=110", "fsm.span_of_control=37.5", "+investment.s.kind=fsm_span",
     "+investment.s.span_of_control=6", "+investment.s.start_month=6", "+investment.t.kind=coverage",
     "+investment.t.segment=mid_market", "+investment.t.added_sellers=4", "+investment.t.account_share=0.1",
     "+investment.t.start_month=7"],
    ["-m", "fsm.span_of_control=5,8", "hydra.launcher.n_jobs=-3"],  # joblib counts back, at least 1
    ["-m", "fsm.span_of_control=5,8", "hydra.launcher.pre_dispatch=n_jobs*2"],
    ["-m", "fsm.span_of_control=5,8", "hydra.launcher.backend=dask"],
    ["-m", "fsm.span_of_control=5,8", "hydra.launcher.batch_size=4"],
    ["hydra.job_logging.root.level=${oc.env:SALESSIM_NO_SUCH_LEVEL,WARNING}"],  # resolved as the job starts
], ids=lambda a: " ".join(a))
def test_valid_input_near_the_refused_is_let_through(argv, tmp_path):
    """The checks of bad input refuse only what Hydra or joblib would refuse, or get wrong."""
    assert check_command([*argv, f"hydra.run.dir={tmp_path / 'o'}", f"hydra.sweep.dir={tmp_path / 'o'}"]) >= 1


def test_an_investment_file_with_a_defaults_list_is_read_for_its_investment(tmp_path):
    """Its defaults list is no investment: it was refused as "defines defaults, crm2". One that
    chooses another investment is refused for that (the corpus)."""
    (tmp_path / "investment").mkdir()
    (tmp_path / "investment" / "crm2.yaml").write_text(
        "# @package investment\ndefaults:\n  - _self_\ncrm2:\n  kind: tools\n  admin_hours_saved: 2.0\n")
    argv = ["investment=[crm2]", f"hydra.searchpath=[file://{tmp_path}]", f"hydra.run.dir={tmp_path / 'o'}"]
    assert check_command(argv) == 1


def test_an_investment_file_built_on_a_base_file_or_on_one_selected_too_runs(tmp_path):
    """A review: a base file that sets part of the investment itself (mine_base defines mine) was
    refused as adding an investment called mine_base, and a file adding crm was refused though
    crm was selected beside it, told to type what it had typed."""
    (tmp_path / "investment").mkdir()
    files = {"mine_base": "mine:\n  kind: tools\n  admin_hours_saved: 2.0\n",
             "mine": "defaults:\n  - mine_base\n  - _self_\nmine:\n  admin_hours_saved: 3.0\n",
             "with_crm": "defaults:\n  - crm\n  - _self_\nwith_crm:\n  kind: tools\n"}
    for name, body in files.items():
        (tmp_path / "investment" / f"{name}.yaml").write_text("# @package investment\n" + body)
    where = [f"hydra.searchpath=[file://{tmp_path}]", f"hydra.run.dir={tmp_path / 'o'}"]
    assert check_command(["investment=[mine]", *where]) == 1
    assert check_command(["investment=[with_crm,crm]", *where]) == 1
    with pytest.raises(UserError) as info:
        check_command(["investment=[with_crm]", *where])
    assert "defaults list adds crm, which would run beside with_crm" in info.value.message


def test_a_file_an_experiment_includes_whole_is_read_as_the_experiment_is(tmp_path):
    """A review: '- /experiment/NAME' (what salessim advises for one experiment built on another)
    was not followed, so an investment's kind given there was said to be missing."""
    (tmp_path / "experiment").mkdir()
    (tmp_path / "investment").mkdir()
    (tmp_path / "investment" / "kindless.yaml").write_text(
        "# @package investment\nkindless:\n  admin_hours_saved: 2\n")
    (tmp_path / "experiment" / "kinds.yaml").write_text(
        "# @package _global_\ninvestment:\n  kindless:\n    kind: tools\n")
    (tmp_path / "experiment" / "built_on.yaml").write_text(
        "# @package _global_\ndefaults:\n  - /experiment/kinds\n  - _self_\n")
    where = [f"hydra.searchpath=[file://{tmp_path}]", f"hydra.run.dir={tmp_path / 'o'}"]
    assert check_command(["experiment=kinds", "investment=[kindless]", *where]) == 1
    assert check_command(["experiment=built_on", "investment=[kindless]", *where]) == 1


@pytest.mark.parametrize("group,name", [("org", "default"), ("investment", "crm")])
@pytest.mark.parametrize("how", ["searchpath", "-cd"])
def test_a_file_of_ones_own_with_a_shipped_configs_name_is_refused(tmp_path, group, name, how):
    """Hydra reads the shipped config first: a copy edited under the same name would be ignored."""
    (tmp_path / group).mkdir()
    (tmp_path / group / f"{name}.yaml").write_text(f"# @package {group}\nsellers: 250\n")
    where = [f"hydra.searchpath=[file://{tmp_path}]"] if how == "searchpath" else ["-cd", str(tmp_path)]
    with pytest.raises(UserError) as info:
        check_command([*where, f"hydra.run.dir={tmp_path / 'o'}"])
    message = info.value.message
    for word in (f"{tmp_path / group / name}.yaml", "the name of a config salessim ships",
                 "would be ignored", f"{group}/{name}_own.yaml"):
        assert word in message, message


@pytest.mark.parametrize("name", ["config", "calibrate"])
@pytest.mark.parametrize("how", ["searchpath", "-cd"])
def test_a_primary_config_of_ones_own_is_refused_as_ignored(tmp_path, name, how):
    """A bad-input hunt: config.yaml in a -cd folder, holding anything at all, ran without a word
    (Hydra reads salessim's own)."""
    (tmp_path / f"{name}.yaml").write_text("defaults: [nosuch]\nfoo: 1\n")
    where = [f"hydra.searchpath=[file://{tmp_path}]"] if how == "searchpath" else ["-cd", str(tmp_path)]
    with pytest.raises(UserError) as info:
        check_command([*where, f"hydra.run.dir={tmp_path / 'o'}"])
    message = info.value.message
    for word in (f"{tmp_path / name}.yaml has the name of salessim's own primary config",
                 "would be ignored", "GROUP/NAME.yaml"):
        assert word in message, message


def test_a_did_you_mean_finds_the_name_meant():
    """One rule behind every "did you mean": the name in another case, then the one name of the
    same words in another order, then the one name a word starts, then the closest spelling;
    nothing for a start that fits several names, or a word far from any."""
    from salessim.errors import nearest_name

    keys = ["sim", "org", "fsm", "span_of_control", "coaching_quality", "coaching_focus", "sellers"]
    assert nearest_name("Fsm", keys) == nearest_name("FSM", keys) == "fsm"  # was sim, then nothing
    assert nearest_name("span", keys) == "span_of_control"
    assert nearest_name("selers", keys) == "sellers"
    assert nearest_name("coach", keys) is None  # the start of two keys: neither is meant more
    assert nearest_name("sp", keys) is None  # too short to be a start that says much
    assert nearest_name("quota", keys) is None
    assert nearest_name("crmm", ["crm", "training"], cutoff=0.75) == "crm"
    # the same words in another order (it offered median_cycle_days_smb, the closer spelling)
    metrics = ["median_cycle_days", "median_cycle_days_smb", "win_rate"]
    assert nearest_name("cycle_days_median", metrics) == "median_cycle_days"
    assert nearest_name("rate_win", metrics) == "win_rate"


def test_a_sweep_set_by_a_files_hydra_mode_is_refused_naming_the_file(tmp_path):
    (tmp_path / "experiment").mkdir()
    (tmp_path / "experiment" / "mine.yaml").write_text(
        "# @package _global_\nhydra:\n  mode: MULTIRUN\n"
        "  sweeper:\n    params:\n      fsm.span_of_control: 5,8\n")
    with pytest.raises(UserError) as info:
        check_command(["-cd", str(tmp_path), "experiment=mine", "org=small"])
    assert info.value.message == (
        "hydra.mode='MULTIRUN' is not allowed: not set: a sweep is asked with -m (e.g. -m "
        f"fsm.span_of_control=5,8), a single run without it (in {tmp_path / 'experiment' / 'mine.yaml'})")


def test_an_output_folder_inside_a_comparison_or_a_jobs_folder_is_refused(tmp_path):
    """A run placed in a comparison's folder was accepted, and the next comparison, which replaces
    its folder whole, deleted it; one in a job's folder is replaced when the job runs again."""
    comparison, job = tmp_path / "sweep" / "comparison", tmp_path / "sweep" / "0"
    comparison.mkdir(parents=True)
    job.mkdir()
    for name in ("comparison.csv", "report.html"):
        (comparison / name).write_text("")
    (job / "manifest.json").write_text("{}")
    small = ["org=small", "sim.years=1"]
    for argv, inside, what in (
            ([f"hydra.run.dir={comparison / 'mine'}"], comparison, "a comparison that salessim-compare "
             "replaces whole when it compares again"),
            (["-m", f"hydra.sweep.dir={job / 'deeper' / 'sweep'}"], job, "the folder of a job's results")):
        with pytest.raises(UserError) as info:
            check_command([*argv, *small])
        assert info.value.message.endswith(
            f"is not allowed: a folder outside the folders of salessim's jobs and comparisons (it is "
            f"inside {inside}, {what})"), info.value.message
    assert not (comparison / "mine").exists() and not (job / "deeper").exists()
    # where a sweep's comparison goes: the run blocked salessim-compare on the sweep
    (comparison.parent / "multirun.yaml").write_text("hydra: {}\n")
    shutil.rmtree(comparison)
    with pytest.raises(UserError) as info:
        check_command([f"hydra.run.dir={comparison}", *small])
    assert info.value.message.endswith(f"(salessim-compare writes the comparison of the sweep "
                                       f"{comparison.parent} there)"), info.value.message
    # and inside it, before the comparison is written: salessim-compare then refused to replace it
    with pytest.raises(UserError) as info:
        check_command([f"hydra.run.dir={comparison / 'mine'}", *small])
    assert info.value.message.endswith(f"(it is inside {comparison}, where salessim-compare writes the "
                                       f"comparison of the sweep {comparison.parent}, replacing the folder "
                                       "whole)"), info.value.message


def test_where_hydras_record_cannot_be_written_is_refused_before_the_run(tmp_path):
    """A file where Hydra's record of a job goes (.hydra, hydra.output_subdir), a sweep's record
    (multirun.yaml) that is a folder, or a record named as one of salessim's files: each ended in
    a traceback once the job started."""
    run, sweep = tmp_path / "run", tmp_path / "sweep"
    (sweep / "1").mkdir(parents=True)
    run.mkdir()
    (run / ".hydra").write_text("")
    (sweep / "1" / ".hydra").write_text("")
    small = ["org=small", "sim.years=1"]
    cases = [
        ([f"hydra.run.dir={run}"], f"a folder where Hydra can write its record of the job "
         f"(hydra.output_subdir; {run / '.hydra'} is a file)"),
        (["-m", "fsm.span_of_control=5,9", f"hydra.sweep.dir={sweep}"],
         f"(hydra.output_subdir; {sweep / '1' / '.hydra'} is a file)"),
        ([f"hydra.run.dir={tmp_path / 'new'}", "hydra.output_subdir=summary.parquet"],
         "hydra.output_subdir='summary.parquet' is not allowed: a folder inside the job's folder for "
         "Hydra's record of the job (.hydra, the default), not named as a file salessim writes there"),
    ]
    for argv, words in cases:
        with pytest.raises(UserError) as info:
            check_command([*argv, *small])
        assert words in info.value.message, info.value.message
    (sweep / "1" / ".hydra").unlink()
    (sweep / "multirun.yaml").mkdir()
    with pytest.raises(UserError) as info:
        check_command(["-m", "fsm.span_of_control=5,9", f"hydra.sweep.dir={sweep}", *small])
    assert f"({sweep / 'multirun.yaml'} is a folder)" in info.value.message, info.value.message


def test_an_empty_folder_argument_is_refused_by_its_name(capsys):
    """salessim-rerun RUN --out '' was refused as "--out '.'", the current folder an empty path
    reads as; salessim-compare '' likewise."""
    from salessim.compare_command import main as compare
    from salessim.rerun import main as rerun

    for command, argv, said in ((rerun, ["results/runs/x", "--out", ""], "argument --out: ''"),
                                (compare, [""], "SWEEP_DIR ''")):
        with pytest.raises(SystemExit) as stop:
            command(argv)
        err = capsys.readouterr().err
        assert stop.value.code == 2 and err.count("\n") == 1, err
        assert f"{said} is not allowed: a folder's path, not an empty value" in err, err


def test_control_characters_typed_are_written_back_as_escapes(capsys):
    """Hydra's word on an override it could not read quoted a typed ESC raw, which recoloured the
    user's terminal."""
    from salessim.errors import exit_with

    with pytest.raises(UserError) as info:
        check_command(["org.sellers=(\x1b[31m"])
    with pytest.raises(SystemExit):
        exit_with(info.value)
    err = capsys.readouterr().err
    assert "\x1b" not in err and "org.sellers=(\\x1b[31m" in err, err


def test_a_list_cut_short_says_how_many_more_apart_from_its_last_item():
    """Items that are phrases, joined by "; ", took the count into the last one: "... was fitted
    (0.1 to 0.7), now not and 4 more" (a resumed study refused for a changed calibration.free)."""
    from salessim.errors import first_few

    assert first_few(["a", "b", "c", "d"]) == "a, b, c and 1 more"
    assert first_few(["x was fitted, now not"] * 5, sep="; ") == (
        "x was fitted, now not; x was fitted, now not; x was fitted, now not; and 2 more")
    assert first_few(["a", "b"], sep="; ") == "a; b"


def test_a_large_sweeps_last_job_is_checked_first(capsys):
    """range(1,200) for the span: its 101 was refused after the 100 jobs before it were checked,
    some 40 s; the last job, which holds a range's largest value, is checked first."""
    with pytest.raises(UserError) as info:
        check_command(["-m", "fsm.span_of_control=range(1,200)", "org=small"])
    assert info.value.message == "fsm.span_of_control=199 is not allowed: a number >= 1 and <= 100"
    assert "checking the 199 jobs" not in capsys.readouterr().err  # refused before that began


def test_a_setting_another_plugins_launcher_lacks_is_not_said_of_the_basic_launcher():
    """A launcher salessim ships no config for (a Hydra plugin of the user's) was named by the
    keys it lacked: 'the basic launcher', which it was not."""
    from salessim.compose import _unknown_launcher_setting

    said = str(_unknown_launcher_setting("hydra.launcher.timeout_mn", "5", (
        "hydra.launcher.timeout_mn", "hydra.launcher has _target_, timeout_min, cpus_per_task"), ""))
    assert said.endswith("a setting of the launcher this sweep runs on (did you mean timeout_min? it has "
                         "timeout_min, cpus_per_task)"), said


def test_a_sweep_whose_clock_ticks_between_its_jobs_passes_preflight(monkeypatch):
    """Hydra reads a sweep's clock (${now:...}) once; the check composed each job's settings apart,
    and the default folder's clock, or one reached through another key, read the next second for
    the next job: one folder taken for two. The check reads it once too, so a folder that truly
    differs by job beside the clock is still refused."""
    import datetime as real
    import hydra.core.utils

    import salessim.preflight

    class Ticking(real.datetime):
        ticks = 0

        @classmethod
        def now(cls, tz=None):
            cls.ticks += 1
            return real.datetime(2026, 12, 4, 14, 54, 0) + real.timedelta(seconds=cls.ticks)

    monkeypatch.setattr(hydra.core.utils, "datetime", Ticking)  # as the composition reads it
    monkeypatch.setattr(salessim.preflight, "datetime", Ticking)  # as the check reads it once
    assert check_command(["-m", "fsm.span_of_control=6,8"]) == 2
    assert check_command(["-m", "fsm.span_of_control=6,8", "hydra.sweep.dir=${hydra.run.dir}"]) == 2
    with pytest.raises(UserError) as info:
        check_command(["-m", "org.sellers=20,21", "hydra.sweep.dir=sw_${org.sellers}_${now:%H%M%S}"])
    assert "one folder for the whole sweep, the same for every job (job 1's would be sw_21_" in info.value.message
    # sw/20/.. and sw/21/.. are one folder
    assert check_command(["-m", "org.sellers=20,21", "hydra.sweep.dir=sw/${org.sellers}/.."]) == 2


def test_a_sweep_folder_set_from_what_the_sweep_varies_is_refused(tmp_path, monkeypatch):
    """Hydra places each job by its own resolution of the folder: with ${org.sellers} in it, the
    jobs scattered over two folders (and Hydra's record of the sweep over a third), and the
    sweep's last line counted only one folder's."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserError) as info:
        check_command(["-m", "org.sellers=20,21", "hydra.sweep.dir=sw_${org.sellers}"])
    assert info.value.message == (
        "hydra.sweep.dir='sw_${org.sellers}' is not allowed: one folder for the whole sweep, "
        "the same for every job (job 1's would be sw_21, job 0's sw_20)")
    assert not list(tmp_path.iterdir())


def test_a_value_typed_for_a_key_an_experiment_sweeps_is_said_to_replace_its_values(capsys):
    """Hydra lets the command line win: `-m experiment=investments investment=[crm]` ran one job
    of the experiment's eight without a word. Narrowing may be meant, so it runs, and is said."""
    assert check_command(["-m", "experiment=investments", "investment=[crm]", "org=small"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("salessim: investment=[crm] replaces the values experiment=investments sweeps for "
                          "investment ([],[methodology_training_connected],"), err
    assert err.endswith("...): its jobs run this one alone; to sweep values of your own, type them: "
                        "investment=a,b\n") and err.count("\n") == 1, err
    # a sweep that asks its own question (a next step's) narrows on purpose: nothing to say
    assert check_command(["-m", "experiment=investments", "investment=[crm]", "org=small",
                          "sim.replications=2,3", 'experiment_question="Is crm worth it?"']) == 2
    assert capsys.readouterr().err == ""
    # values of one's own, typed as a sweep, are what was asked for: nothing to say
    assert check_command(["-m", "experiment=fsm_span", "fsm.span_of_control=6,9", "org=small"]) == 6
    assert capsys.readouterr().err == ""


def test_what_a_sweep_is_told_is_not_said_before_a_refusal(tmp_path, capsys):
    """A refused command ends in one line: the notice that a typed value replaces an experiment's
    values came first, before the refusal of a folder checked later."""
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(UserError):
        check_command(["-m", "experiment=investments", "investment=[crm]", "org=small", f"hydra.sweep.dir={afile}"])
    assert capsys.readouterr().err == ""


def test_replications_swept_with_settings_are_refused_as_the_jobs_run_them(tmp_path, capsys):
    """Judged on the jobs: an experiment's sweep of sim.replications with investments is refused,
    naming its file; a single value typed for it replaces the experiment's (Hydra's rule) and the
    sweep runs. A sweep's record read back (salessim-compare) keeps its plan whatever it crossed."""
    from salessim.sweep_folder import planned_jobs

    own = tmp_path / "own" / "experiment"
    own.mkdir(parents=True)
    (own / "reps.yaml").write_text("# @package _global_\nhydra:\n  sweeper:\n    params:\n"
                                   "      sim.replications: 2,3\n      investment: '[],[crm]'\n")
    searchpath = f"hydra.searchpath=[file://{own.parent}]"
    with pytest.raises(UserError) as info:
        check_command(["-m", "experiment=reps", "org=small", searchpath])
    assert info.value.message.startswith("sim.replications='2,3' is not allowed: a single value when the "
                                         "sweep varies settings too (investment)")
    assert info.value.message.endswith(f"(in {own / 'reps.yaml'}, hydra.sweeper.params)")
    assert check_command(["-m", "experiment=reps", "org=small", "sim.replications=2", searchpath]) == 2
    capsys.readouterr()
    basic = "hydra._internal.core_plugins.basic_sweeper.BasicSweeper"
    record = {"hydra": {"sweeper": {"_target_": basic, "params": None}, "overrides": {"task": [
        "investment=[],[crm]", "sim.replications=2,3"]}}}
    assert planned_jobs(record) is not None and len(planned_jobs(record)) == 4


def test_a_run_into_a_folder_inside_a_sweeps_is_refused(tmp_path):
    """A sales-ops walk ran salessim hydra.run.dir=SWEEP/9: accepted, it read as a job the sweep
    never planned, and the sweep's own command could no longer resume it."""
    sweep = tmp_path / "sweep"
    sweep.mkdir()
    (sweep / "multirun.yaml").write_text("hydra: {}\n")
    with pytest.raises(UserError) as info:
        check_command(["org=small", f"hydra.run.dir={sweep / '9'}"])
    said = info.value.message  # the value typed is shortened where long (a test's folder)
    assert said.startswith("hydra.run.dir='") and said.endswith(
        f" is not allowed: a folder of its own for the run, outside a sweep's folder ({sweep} is a sweep's, "
        "which would take the run for one of its jobs)"), said
    assert not (sweep / "9").exists()
    assert check_command(["org=small", f"hydra.run.dir={tmp_path / 'apart'}"]) == 1


def test_a_resume_without_its_folder_is_refused_before_a_long_check_of_the_jobs(monkeypatch, capsys):
    """A sweep of many jobs says it is checking them (minutes for thousands) before the first
    starts: a resume that cannot be, for want of its folder, is refused before that line, its
    refusal the one line (a review found it after the whole check). (MANY_JOBS lowered: the same
    code path for 3 jobs.)"""
    from salessim import preflight

    monkeypatch.setattr(preflight, "MANY_JOBS", 3)
    with pytest.raises(UserError) as info:
        check_command(["-m", "org=small", "fsm.span_of_control=5,8,12", "sim.resume=true"])
    assert info.value.message.startswith("sim.resume=true is not allowed without the folder to resume")
    assert capsys.readouterr().err == ""
