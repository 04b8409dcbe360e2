import pytest

import salessim
from salessim.errors import UserError

SMALL = {"org": "small", "sim.years": 0.5, "sim.warmup_months": 1, "sim.replications": 2}


def test_run_returns_tables_and_load_reads_them_back(tmp_path):
    res = salessim.run(SMALL, out_dir=tmp_path)
    assert len(res.summary) == 2
    assert set(res.opportunities.outcome) <= {"won", "lost_competitor", "no_decision", "open"}
    back = salessim.load(tmp_path)
    assert back.summary.bookings_usd.tolist() == res.summary.bookings_usd.tolist()
    assert back.manifest["seed"] == res.manifest["seed"]


def test_run_rejects_bad_overrides_with_one_line():
    with pytest.raises(UserError, match="fsm.span_of_control"):
        salessim.run({"fsm.span_of_control": 0})
    with pytest.raises(salessim.ConfigError, match=r"overrides=\{5: 3\} is not allowed: a mapping whose keys"):
        salessim.run({5: 3})
    # A sweep cannot run here: the message says what to do in Python, not only on the command line.
    with pytest.raises(salessim.ConfigError, match="salessim.run runs one scenario: call it once"):
        salessim.run({"experiment": "fsm_span"})
    with pytest.raises(UserError, match=r"is quoted: \{'sim.scenario': \"'a,b'\"\}"):
        salessim.run({"sim.scenario": "a,b"})
    # The command line's advice is replaced, not repeated; a key without its value is named as such.
    with pytest.raises(UserError) as info:
        salessim.run({"fsm.span_of_control": "5,8"})
    assert info.value.message.count("salessim -m") == 1, info.value.message
    # A list for one value, a sweep as Python writes it: not the command line's way of writing it
    with pytest.raises(salessim.ConfigError) as info:
        salessim.run({"fsm.span_of_control": [5, 8]})
    assert info.value.message.startswith("fsm.span_of_control='[5,8]' is not allowed: a number >= 1 "
                                         "and <= 100; salessim.run runs one scenario: call it once")
    assert "without brackets" not in info.value.message
    with pytest.raises(UserError, match=r"could not read the override 'fsm.span_of_control': it has no "
                                        r"'=', so fsm.span_of_control is given no value; write "
                                        r"fsm.span_of_control=VALUE"):
        salessim.run("fsm.span_of_control")
    # A flag of the command is named as one (it was Hydra's LexerNoViableAltException, with the
    # command line's advice "(with -m)").
    for flag in (["-m", "fsm.span_of_control=5,8"], ["-cd", "mine", "org=acme"]):
        with pytest.raises(UserError) as info:
            salessim.run(flag)
        assert info.value.message.startswith(f"'{flag[0]}' is a flag of the salessim command, not an "
                                             "override (allowed: 'key=value' strings"), info.value.message
        assert "Exception" not in info.value.message and "(with -m)" not in info.value.message


# Overrides Hydra cannot read, or reads and salessim refuses, as a notebook may type them.
AS_THE_COMMAND_LINE_SAYS = [
    ["org.sellers"], ["org.selers"], ["+org.sellers"], ["+investment.x.kind"], ["experiment"],
    ["8"], [",8"], ["[crm]"], ["org.sellers", "8"], ["org=small", "org.selers"],
    ["org.sellers 8"], ["org.sellers: 8"], ["org.sellers=range(5,8"], ["investment=[crm"],
    ["~org.sellers"], ["~org.selers"], ["+org.sellers=5"], ["org.selers=5"],
]


@pytest.mark.parametrize("overrides", AS_THE_COMMAND_LINE_SAYS, ids=repr)
def test_a_bad_override_is_said_as_the_command_line_says_it(overrides, tmp_path):
    """salessim.run had a check of its own for a key without '=VALUE', run before the command
    line's: org.selers got no did-you-mean, and 8 (a value without its key) was told to write
    '8=VALUE'. Whatever the command line says of an override, salessim.run says, and writes
    nothing; but for the command line's sweeps (-m), which it does not run."""
    from salessim.preflight import check_command

    with pytest.raises(UserError) as by_the_command_line:
        check_command(overrides)
    with pytest.raises(UserError) as info:
        salessim.run(overrides, out_dir=tmp_path / "out")
    assert info.value.message == by_the_command_line.value.message.replace(", key=a,b,c (with -m)", "")
    assert not (tmp_path / "out").exists()


def test_a_key_or_a_value_alone_is_named_with_the_override_to_write():
    for typed, said in [
            ("org.selers", "it has no '=', so org.selers is given no value, and org.selers is not a "
                           "known key (did you mean sellers?); write org.sellers=VALUE"),
            ("8", "it has no '=', so 8 is a value without its key; write KEY=8"),
            ("+org.sellers", "it has no '=', so org.sellers is given no value; write org.sellers=VALUE")]:
        with pytest.raises(UserError) as info:
            salessim.run([typed])
        assert info.value.message.startswith(f"could not read the override '{typed}': {said}; "
                                             "allowed: key=value"), info.value.message
    with pytest.raises(UserError, match=r"'8' follows as an argument of its own: .*; write org.sellers=8;"):
        salessim.run(["org.sellers", "8"])
    # One string with a space for its '=' (it was "org.sellers 8 is a value without its key;
    # write KEY=org.sellers 8").
    with pytest.raises(UserError, match=r"'org.sellers 8': it has no '=': a space stands for it; "
                                        r"write org.sellers=8; allowed: key=value$"):
        salessim.run("org.sellers 8")


def test_a_text_with_a_character_hydra_reads_only_quoted_is_offered_quoted_without_the_shells_quotes():
    with pytest.raises(UserError) as info:
        salessim.run(["sim.scenario=a;b"])
    assert info.value.message.startswith("could not read the override 'sim.scenario=a;b': Hydra reads ';' in "
                                         "a value only quoted; write sim.scenario='a;b'; allowed: key=value")


@pytest.mark.parametrize("typed,write", [("org.sellers=5;8", "org.sellers=5")])
def test_values_it_cannot_read_are_offered_as_one_value_not_a_sweep(typed, write):
    """The command line's "the values of a sweep are separated by ','; write org.sellers=5,8" and
    "allowed: ..., key=a,b,c (with -m)" offered a sweep, which salessim.run refuses: it says what
    salessim-calibrate, which runs one study, says."""
    with pytest.raises(UserError) as info:
        salessim.run([typed])
    assert info.value.message.startswith(
        f"could not read the override '{typed}': ';' does not separate values, and salessim.run runs "
        f"one scenario, with one value of each key; write {write}; allowed: key=value"), info.value.message
    assert "with -m" not in info.value.message and "sweep" not in info.value.message


def test_load_refuses_a_folder_that_is_not_a_job(tmp_path):
    with pytest.raises(UserError, match="manifest.json"):
        salessim.load(tmp_path)


def test_load_names_a_folder_that_does_not_exist(tmp_path):
    with pytest.raises(UserError, match="nope is not a folder"):
        salessim.load(tmp_path / "nope")


@pytest.mark.parametrize("text", ["[]", '{"tables": ', '{"tables": 5}'])
def test_load_refuses_a_manifest_it_cannot_read_in_one_line(tmp_path, text):
    (tmp_path / "manifest.json").write_text(text)
    with pytest.raises(UserError, match="cannot be read as a salessim manifest"):
        salessim.load(tmp_path)


def test_the_package_api_is_the_documented_functions_imported_on_first_use():
    import subprocess
    import sys

    # help(salessim.run) shows the real signature and docstring, not a wrapper's
    from salessim import api
    assert salessim.run is api.run and salessim.load is api.load
    assert {"run", "load", "UserError", "ConfigError", "Results", "RunNotice"} <= set(dir(salessim))
    from salessim.notices import RunNotice
    from salessim.runner import Results
    assert salessim.Results is Results and salessim.RunNotice is RunNotice
    assert "salessim.run(" in salessim.__doc__ and ".key" in salessim.__doc__  # help(salessim) shows them
    assert salessim.UserError is UserError
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        salessim.nope  # noqa: B018
    # ... and importing the package alone (as every command does first) loads neither the API
    # nor pandas.
    code = "import sys, salessim; print('salessim.api' in sys.modules, 'pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_a_scenario_is_named_as_the_command_line_names_it(tmp_path):
    import json

    from tests.conftest import run_cli

    overrides = ["org=small", "sim.years=1", "sim.warmup_months=1", "sim.replications=1",
                 "investment=[crm]", "fsm.span_of_control=9"]
    done = run_cli(*overrides, f"hydra.run.dir={tmp_path / 'cli'}")
    assert done.returncode == 0, done.stderr[-2000:]
    by_cli = json.loads((tmp_path / "cli" / "manifest.json").read_text())["scenario"]
    # The horizon and the warm-up change what is simulated and measured: they name the scenario;
    # the number of replications does not.
    assert by_cli == ("fsm.span_of_control=9,investment=[crm],org=small,sim.warmup_months=1,"
                      "sim.years=1")
    assert salessim.run(overrides).manifest["scenario"] == by_cli
    assert salessim.run(overrides, scenario="mine").manifest["scenario"] == "mine"
    run_control = ["sim.replications=1", "sim.workers=1", "sim.progress=false", "sim.trace=true"]
    only_run_control = salessim.run(overrides[1:3] + run_control).manifest["scenario"]
    assert only_run_control == "sim.warmup_months=1,sim.years=1"
    # Marking the comparison's baseline is no setting of the organization: not in the name.
    assert salessim.run(overrides + ["sim.baseline=true"]).manifest["scenario"] == by_cli
    # Nor is the question a sweep asks: it opens the report, it is not part of every job's name.
    assert salessim.run(overrides + ["experiment_question='Where should 1.5M go?'"]
                        ).manifest["scenario"] == by_cli
    # One investment chosen without brackets composes the same config: the same name.
    unbracketed = [o if o != "investment=[crm]" else "investment=crm" for o in overrides]
    assert salessim.run(unbracketed).manifest["scenario"] == by_cli


def test_a_list_group_chosen_without_brackets_is_named_as_the_list_it_composes():
    from salessim.report_table import scenario_name_of

    assert scenario_name_of("investment=crm,org=small") == "investment=[crm],org=small"
    assert scenario_name_of("+calibrated=own_fit") == "+calibrated=[own_fit]"
    for kept in ("investment=[crm,accelerators]", "investment=null", "~investment", "a='x,y'", ""):
        assert scenario_name_of(kept) == kept


def test_a_mapping_is_typed_as_on_the_command_line():
    from salessim.api import _as_overrides

    assert _as_overrides({"investment": ["crm", "accelerators"], "sim.baseline": True, "x": None,
                          "m": {"a": 1, "b": [1, 2]}, "f": 0.5}) == [
        "investment=[crm,accelerators]", "sim.baseline=true", "x=null", "m.a=1", "m.b=[1,2]", "f=0.5"]


def test_an_array_is_typed_as_a_list():
    """A numpy array or a pandas Series of investments names the scenario as a list does."""
    import numpy as np
    import pandas as pd
    from salessim.api import _as_overrides

    for value in (np.array(["crm"]), pd.Series(["crm"]), ("crm",)):
        assert _as_overrides({"investment": value}) == ["investment=[crm]"]
    assert _as_overrides({"sim.years": np.float64(1.5), "sim.seed": np.int64(3)}) == ["sim.years=1.5", "sim.seed=3"]


def test_calls_from_several_threads_compose_one_at_a_time():
    """Hydra composes through one global per process: calls from threads took it from each other
    (ValueError: GlobalHydra is already initialized)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(span):
        return salessim.run({**SMALL, "sim.replications": 1, "fsm.span_of_control": span}).manifest["scenario"]
    with ThreadPoolExecutor(4) as pool:
        names = list(pool.map(one, [6, 7, 8, 9, 10, 11]))
    assert names == [f"fsm.span_of_control={s},org=small,sim.warmup_months=1,sim.years=0.5"
                     for s in (6, 7, 8, 9, 10, 11)]


def test_a_nested_mapping_runs_and_is_named_as_its_dotted_keys():
    """{"sim": {"years": 1}} is sim.years=1: run-control keys (replications) stay out of the
    scenario's name, and a setting of an investment gets the command line's checks."""
    from salessim.api import _as_overrides

    assert _as_overrides({"org": "small", "sim": {"years": 1, "replications": 1},
                          "market": {"segments": {"smb": {"complexity": 0.5}}}, "investment": {}}) == [
        "org=small", "sim.years=1", "sim.replications=1", "market.segments.smb.complexity=0.5",
        "investment={}"]
    res = salessim.run({"org": "small", "sim": {"years": 1, "warmup_months": 1, "replications": 1},
                        "market": {"segments": {"smb": {"complexity": 0.2}}}})
    assert res.manifest["scenario"] == ("market.segments.smb.complexity=0.2,org=small,"
                                        "sim.warmup_months=1,sim.years=1")
    assert res.manifest["config"]["market"]["segments"]["smb"]["complexity"] == 0.2
    with pytest.raises(UserError) as info:
        salessim.run({"investment": {"crm": {"rollout_months": 5}}})
    assert "select it with investment=[crm]" in str(info.value)


@pytest.mark.parametrize("hydra", [{"hydra.run.dir": "X"}, {"hydra": {"run": {"dir": "X"}}}])
def test_a_hydra_key_that_would_do_nothing_is_refused(tmp_path, hydra):
    with pytest.raises(UserError) as info:
        salessim.run({"org": "small", **hydra})
    assert str(info.value).startswith("hydra.run.dir='X' is not allowed: ")
    assert "out_dir=" in str(info.value)


def test_load_names_a_corrupt_table_in_one_line(tmp_path):
    res = salessim.run(SMALL, out_dir=tmp_path / "job")
    assert len(res.summary)
    (tmp_path / "job" / "kpis.parquet").write_bytes(b"not parquet")
    with pytest.raises(UserError, match=r"job/kpis.parquet is unreadable \(\w+\) \(allowed: the tables"):
        salessim.load(tmp_path / "job")
    # A table rewritten without a column it had is not taken for the job's.
    res.kpis.drop(columns=["leads"]).to_parquet(tmp_path / "job" / "kpis.parquet", index=False)
    with pytest.raises(UserError, match=r"kpis.parquet is not as it was written \(it lacks leads\)"):
        salessim.load(tmp_path / "job")
    # A sweep's folder is named as one, with one of its jobs; a folder of runs is no sweep.
    (tmp_path / "sweep").mkdir()
    (tmp_path / "job").rename(tmp_path / "sweep" / "0")
    with pytest.raises(UserError, match=r"sweep is a folder of jobs, not a job \(allowed: one of its job"):
        salessim.load(tmp_path / "sweep")
    (tmp_path / "sweep" / "multirun.yaml").write_text("hydra: {}\n")  # as Hydra writes in a sweep's
    with pytest.raises(UserError, match=r"sweep is a sweep folder \(allowed: one of its job folders"):
        salessim.load(tmp_path / "sweep")
    # The sweep's comparison is named as one (it was "not a finished salessim job").
    (tmp_path / "sweep" / "comparison").mkdir()
    for name in ("comparison.csv", "report.html"):
        (tmp_path / "sweep" / "comparison" / name).write_text("")
    with pytest.raises(UserError, match=r"comparison is a comparison that salessim-compare wrote, not a "
                                        r"job \(allowed: one of the sweep's job folders, e.g. .*sweep/0\)"):
        salessim.load(tmp_path / "sweep" / "comparison")
    # Its manifest.json is answered with the folder that holds it.
    with pytest.raises(UserError, match=r"0/manifest.json is a job's manifest.json, not its folder "
                                        r"\(allowed: the folder that holds it, .*sweep/0\)"):
        salessim.load(tmp_path / "sweep" / "0" / "manifest.json")


def test_run_says_what_the_command_line_says_of_a_run_as_warnings():
    """A short window and an investment still rolling out at the end come as RunNotice warnings
    (the command line prints them on stderr); a run of proper length says nothing."""
    from salessim.notices import RunNotice

    with pytest.warns(RunNotice, match=r"salessim: org=small,sim.warmup_months=1,sim.years=0.3: "
                      r"only \d+ weeks measured after the 1-month"):
        salessim.run({**SMALL, "sim.years": 0.3, "sim.replications": 1})
    with pytest.warns(RunNotice, match="investment enablement_content rolls out over 6 months"):
        salessim.run({**SMALL, "sim.replications": 1, "investment": ["enablement_content"]})
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        salessim.run({**SMALL, "sim.replications": 1})


def test_run_refuses_what_a_merged_mapping_or_pandas_hands_it():
    import pandas as pd
    with pytest.raises(salessim.ConfigError, match="sets fsm.span_of_control twice, to 12 and to 9"):
        salessim.run({**SMALL, "fsm": {"span_of_control": 12}, "fsm.span_of_control": 9})
    with pytest.raises(salessim.ConfigError, match=r"fsm.span_of_control=null is not allowed: a number"):
        salessim.run({**SMALL, "fsm.span_of_control": pd.NA})
    with pytest.raises(salessim.ConfigError, match="a key without spaces, such as 'fsm.span_of_control'"):
        salessim.run({**SMALL, " fsm.span_of_control": 12})
    with pytest.raises(salessim.ConfigError, match="' sim.scenario'=<NA> is not allowed: a key without"):
        salessim.run({**SMALL, " sim.scenario": pd.NA})
    with pytest.raises(salessim.ConfigError, match=r"hydra/launcher='basic' is not allowed"):
        salessim.run({**SMALL, "hydra/launcher": "basic"})
    # an investment that exists nowhere, set key by key: say how to define one
    with pytest.raises(salessim.ConfigError, match=r"my_crm is neither: add a new one whole, with a '\+'"):
        salessim.run({**SMALL, "investment": {"my_crm": {"kind": "tools"}}})


def test_run_quotes_text_hydra_would_not_read_and_passes_typed_values_as_the_command_line_would():
    one = {**SMALL, "sim.replications": 1}
    for text in ("Q3 (EMEA) it's", "Zürich", "~x", "a ~b"):
        assert salessim.run({**one, "sim.scenario": text}).summary.scenario[0] == text
    # typed values, spaces at their ends dropped as on the command line
    for typed in (" [crm]", " crm", "[crm]"):
        assert list(salessim.run({**one, "investment": typed}).manifest["investments"]) == ["crm"]
    assert salessim.run({**one, "sim.scenario": " padded "}).summary.scenario[0] == "padded"


def test_run_gives_a_notebooks_own_hydra_back():
    from hydra import initialize
    from hydra.core.global_hydra import GlobalHydra
    with initialize(version_base="1.3", config_path=None):
        salessim.run({**SMALL, "sim.replications": 1})
        assert GlobalHydra.instance().is_initialized()


def test_load_refuses_a_table_whose_column_holds_another_kind_of_value(tmp_path):
    import pandas as pd
    salessim.run({**SMALL, "sim.replications": 1}, out_dir=tmp_path)
    summary = pd.read_parquet(tmp_path / "summary.parquet")
    summary.assign(win_rate=summary.win_rate.astype(str)).to_parquet(tmp_path / "summary.parquet", index=False)
    with pytest.raises(UserError, match="column win_rate holds str values, not float64"):
        salessim.load(tmp_path)
    opportunities = pd.read_parquet(tmp_path / "opportunities.parquet")
    summary.to_parquet(tmp_path / "summary.parquet", index=False)
    opportunities.assign(rounds=opportunities.rounds.astype(float)).to_parquet(
        tmp_path / "opportunities.parquet", index=False)
    with pytest.raises(UserError, match="column rounds holds float64 values, not int64"):
        salessim.load(tmp_path)
    # a column without any value has no kind to check (an older writer's empty or all-missing one)
    opportunities.assign(gate_day=None, segment=opportunities.segment.astype("category")).to_parquet(
        tmp_path / "opportunities.parquet", index=False)
    assert salessim.load(tmp_path).opportunities.gate_day.isna().all()
    # A text column of one's own in the summary is read, as salessim-compare reads it.
    import json
    summary.assign(analyst_note="checked").to_parquet(tmp_path / "summary.parquet", index=False)
    meta = json.loads((tmp_path / "manifest.json").read_text())
    meta["columns"]["summary"].append("analyst_note")
    (tmp_path / "manifest.json").write_text(json.dumps(meta))
    assert (salessim.load(tmp_path).summary.analyst_note == "checked").all()


def test_two_runs_into_one_out_dir_do_not_overwrite_each_other(tmp_path):
    """out_dir was checked before a run and written after it: two threads (or a run and a command)
    given one folder both wrote there, the last one's tables left without a word. A run holds its
    folder as a command does: the second is refused in one line, the first's tables stay."""
    import threading

    said, refused, folder = [], [], tmp_path / "run"

    def one(seed):
        try:
            salessim.run({**SMALL, "sim.replications": 1, "sim.seed": seed}, out_dir=folder)
        except UserError as e:
            said.append(e.message)
            refused.append(seed)
    threads = [threading.Thread(target=one, args=(seed,)) for seed in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # refused while the first runs, or, had it finished by then, for the results it left there
    assert len(said) == 1 and ("a folder no other salessim command is writing to" in said[0]
                               or "holds a job's results" in said[0]), said
    assert salessim.load(folder).manifest["seed"] == 3 - refused[0]  # the tables of the run that went on
    assert not (folder / ".salessim-writing").exists()


def test_a_notebook_run_again_with_resume_reads_its_finished_results(tmp_path):
    """sim.resume=True: an out_dir with complete results of this very config is read, not run
    again, as the command skips a finished job; another config's results are refused, naming
    what differs."""
    import warnings

    import pandas as pd

    from salessim.errors import ConfigError
    from salessim.notices import RunNotice

    folder = tmp_path / "run"
    first = salessim.run({**SMALL, "sim.replications": 1}, out_dir=folder)
    made = (folder / "manifest.json").read_text()
    with pytest.raises(ConfigError, match=r"out_dir=.* holds a job's results .*sim.resume=true"):
        salessim.run({**SMALL, "sim.replications": 1}, out_dir=folder)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        again = salessim.run({**SMALL, "sim.replications": 1, "sim.resume": True}, out_dir=folder)
    assert [str(w.message) for w in seen if w.category is RunNotice] == [
        f"salessim: {first.manifest['scenario']}: complete results of this config already in {folder}: read, "
        "not run again (sim.resume=true)"]
    assert (folder / "manifest.json").read_text() == made  # not written again
    for name, table in first.tables().items():
        pd.testing.assert_frame_equal(again.tables()[name], table)
    with pytest.raises(ConfigError, match=r"it holds this config's under the scenario name 'org=small,"
                                          r".*', not 'renamed' \(give scenario="):
        salessim.run({**SMALL, "sim.replications": 1, "sim.resume": True}, scenario="renamed", out_dir=folder)
    with pytest.raises(ConfigError, match=r"holds results of another config.*sim.seed is 20261128 "
                                          r"there and 5 here"):
        salessim.run({**SMALL, "sim.replications": 1, "sim.resume": True, "sim.seed": 5}, out_dir=folder)
    assert (folder / "manifest.json").read_text() == made
    # Results a resume cannot keep (a table gone) are made again there.
    (folder / "kpis.parquet").unlink()
    redone = salessim.run({**SMALL, "sim.replications": 1, "sim.resume": True}, out_dir=folder)
    pd.testing.assert_frame_equal(redone.kpis, first.kpis)
    assert salessim.load(folder).kpis.equals(first.kpis)


def test_overrides_built_in_python_are_read_and_named_as_a_command_line_types_them(tmp_path):
    """Spaces at an override's ends (an f-string's) named the scenario with them; a pandas row and
    a set got messages about their printouts."""
    import pandas as pd

    from salessim.api import _as_overrides

    assert _as_overrides([" org=small", "sim.years=2 "]) == ["org=small", "sim.years=2"]
    assert _as_overrides({"fsm.span_of_control": "12 ", "market.decision_rule": " soft_veto"}) == [
        "fsm.span_of_control=12", "market.decision_rule=soft_veto"]
    for given, said in ((pd.Series({"org": "small"}), "a pandas Series is not allowed"),
                        (["org=small", " "], "one of them is empty"),
                        ([" -m"], "'-m' is a flag of the salessim command"),
                        (pd.DataFrame({"org": ["small"]}), "a pandas DataFrame is not allowed"),
                        ({"investment": {"crm"}}, "investment={'crm'} is not allowed: a list")):
        with pytest.raises(UserError, match=said):
            _as_overrides(given)


def test_load_refuses_a_summary_copied_from_another_job(tmp_path):
    import shutil
    salessim.run({**SMALL, "sim.replications": 1}, out_dir=tmp_path / "a")
    salessim.run({**SMALL, "sim.replications": 1, "fsm.span_of_control": 12}, out_dir=tmp_path / "b")
    shutil.copy(tmp_path / "a" / "summary.parquet", tmp_path / "b" / "summary.parquet")
    with pytest.raises(UserError, match=r"b/summary.parquet is not as it was written: it is of scenario "
                                        r"'org=small,.*', the manifest's 'fsm.span_of_control=12,"):
        salessim.load(tmp_path / "b")


def test_what_a_python_caller_hands_over_by_mistake_is_refused_in_one_line(tmp_path, monkeypatch):
    from salessim.config import Config

    with pytest.raises(UserError) as info:  # its repr, the whole config, was the message
        salessim.run(Config())
    assert info.value.message.startswith("overrides=Config(...) is not allowed") and len(info.value.message) < 300
    with pytest.raises(salessim.ConfigError, match="the list sets org.sellers twice, to 20 and to 30"):
        salessim.run(["org=small", "org.sellers=20", "org.sellers=30"])  # ran 30, named after both
    with pytest.raises(salessim.ConfigError, match="progress='no' is not allowed"):
        salessim.run(SMALL, progress="no")  # a truthy text: a bar
    # None is Python's 'no investment', as [] is the command line's
    assert salessim.run({**SMALL, "sim.replications": 1, "investment": None}).manifest["scenario"].startswith(
        "investment=[],")
    # A run refused (or stopped) leaves none of the folders its out_dir would have made
    with pytest.raises(salessim.ConfigError):
        salessim.run({**SMALL, "org.sellers": -5}, out_dir=tmp_path / "a" / "b" / "c")
    assert not (tmp_path / "a").exists()
    # '~' is the home folder, as in a shell: a run wrote to $HOME and left a folder named '~'
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    salessim.run({**SMALL, "sim.replications": 1}, out_dir="~/mine")
    assert (tmp_path / "mine" / "manifest.json").is_file() and not (tmp_path / "~").exists()
    assert salessim.load("~/mine").summary.shape[0] == 1


def test_load_says_which_tables_a_manifest_leaves_out(tmp_path):
    """A manifest listing too few tables raised a TypeError; one without its list blamed
    journey_events, which only a traced run writes."""
    import json

    salessim.run({**SMALL, "sim.replications": 1}, out_dir=tmp_path / "run")
    manifest = tmp_path / "run" / "manifest.json"
    meta = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**meta, "tables": ["summary"]}))
    with pytest.raises(UserError, match=r"lists no opportunities, sellers, kpis, fsm_months \(allowed"):
        salessim.load(tmp_path / "run")
    del meta["tables"]
    manifest.write_text(json.dumps(meta))
    assert len(salessim.load(tmp_path / "run").summary) == 1
