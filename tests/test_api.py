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
