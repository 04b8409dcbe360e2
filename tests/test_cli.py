"""The command's own help: what salessim is, its commands and where its keys are documented."""

from tests.conftest import run_cli


def test_help_names_salessim_and_its_commands():
    proc = run_cli("--help")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("salessim: a discrete-event simulation")
    for needed in ("salessim-compare", "salessim-calibrate", "docs/model.md", "docs/results.md",
                   "== Configuration groups ==", "== Config =="):
        assert needed in out
    assert "powered by Hydra" not in out
