"""The commands' own help: what they do, examples, and where their keys are documented."""

import subprocess
import sys

from tests.conftest import ROOT, run_cli


def test_help_names_salessim_and_its_commands():
    proc = run_cli("--help")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("salessim: a discrete-event simulation")
    for needed in ("salessim-compare", "salessim-calibrate", "docs/model.md", "docs/results.md",
                   "== Configuration groups ==", "== Config =="):
        assert needed in out
    assert "powered by Hydra" not in out


def test_calibrate_help_names_the_command_and_its_docs():
    proc = subprocess.run([sys.executable, "-m", "salessim.calibration.cli", "--help"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("salessim-calibrate: fit salessim")
    assert "docs/calibration.md" in proc.stdout and "powered by Hydra" not in proc.stdout


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
