"""The report's table of what each investment assumes: every setting the model reads, with its
meaning, its value (defaults filled in) and, where jobs differ, each job's."""

from types import SimpleNamespace

from salessim.investment_assumptions import investments_assumed


def job(name, warmup=6, **investments):
    return SimpleNamespace(name=name, config={"investment": investments},
                           cfg=SimpleNamespace(sim=SimpleNamespace(warmup_months=warmup)))


def rows(assumed):
    return {key: value for key, _, value in assumed.settings}


def test_each_setting_is_said_with_its_meaning_and_the_defaults_a_file_leaves_out():
    crm = {"kind": "tools", "description": "New CRM", "admin_hours_saved": 6.0, "start_month": None}
    held, = investments_assumed([job("0"), job("1", crm=crm)])
    assert (held.name, held.kind, held.description, held.jobs) == ("crm", "tools", "New CRM", ["1"])
    said = rows(held)
    assert said["admin_hours_saved"] == "6"  # the file's
    assert said["license_per_seller_year_usd"] == "1,200"  # salessim's default
    assert said["start_month"] == "month 6, the end of the warm-up"
    meanings = {key: meaning for key, meaning, _ in held.settings}
    assert meanings["admin_hours_saved"] == "weekly admin hours saved at full adoption"
    assert all(meanings.values()), meanings  # every setting of a kind says what it means
    # the effect first, then its scale, its timing, and the costs last
    order = [key for key, _, _ in held.settings]
    assert order.index("adoption_max") < order.index("effect_scale") < order.index("start_month") \
        < order.index("rollout_months") < order.index("one_off_cost_usd")
    assert {"one_off_cost_usd", "license_per_seller_year_usd", "running_cost_usd_per_year"} == set(order[-3:])


def test_values_that_differ_between_jobs_name_the_jobs_and_unset_terms_are_left_out():
    def plan(scale):
        return {"kind": "training", "boost": 0.1, "effect_scale": scale, "connected": scale > 0.7}
    held, = investments_assumed([job("1", t=plan(0.5)), job("2", t=plan(1.0)), job("3", t=plan(1.0))])
    said = rows(held)
    assert said["effect_scale"] == "0.5 (job 1); 1 (jobs 2, 3)"
    assert said["connected"] == "false (job 1); true (jobs 2, 3)"
    assert said["boost"] == "0.1"
    accelerators, = investments_assumed([job("1", a={"kind": "compensation", "accelerator": 2.5})])
    assert "accelerator" in rows(accelerators) and "base_share" not in rows(accelerators)  # not set: unchanged
    assert "rollout_months" not in rows(accelerators)  # it acts once: no rollout to speak of


def test_what_a_job_recorded_it_ran_is_said_over_todays_defaults():
    """A job's manifest records every setting it ran, with its own salessim's defaults: a job of an
    older salessim ran those, whatever today's are."""
    older = job("1", crm={"kind": "tools"})
    older.manifest = {"investments": {"crm": {"kind": "tools", "description": "", "start_month": 9,
                                              "admin_hours_saved": 3.0, "retired_setting": 2}}}
    said = rows(investments_assumed([older])[0])
    assert said["admin_hours_saved"] == "3" and said["start_month"] == "9" and said["retired_setting"] == "2"
    assert "license_per_seller_year_usd" not in said  # the job ran without it


def test_a_kind_this_salessim_does_not_know_shows_what_its_jobs_gave():
    held, = investments_assumed([job("1", old={"kind": "gone", "reach": 3})])
    assert held.settings == [("reach", "", "3")]


def test_the_report_lists_them_and_offers_effect_scale_only_for_investments_that_have_one():
    from salessim.report import _assumptions_section

    def result(**investments):
        base = job("0")
        return SimpleNamespace(jobs=[base, job("1", **investments)], baseline=base)

    crm = _assumptions_section(result(crm={"kind": "tools"}))
    assert "<b>crm</b>: crm (tools, docs/model.md section 16.5); job 1" in crm
    assert "effect_scale=0.5,1" in crm and "<details open>" in crm
    plan = _assumptions_section(result(p={"kind": "compensation"}, s={"kind": "coverage"}))
    assert "effect_scale" not in plan
    assert _assumptions_section(result()) == ""
    many = _assumptions_section(result(**{f"t{i}": {"kind": "training"} for i in range(5)}))
    assert many.count("<details>") == 5  # folded: five tables would bury the ranking


def test_a_coverage_roles_pay_and_quota_are_said_beside_those_of_the_segments_field_seats():
    """A strategist's walk read inside sales' on-target earnings of 75,000 without learning that
    the SMB sellers it converts earn 110,000 now."""
    from salessim.config import Config

    inside = {"kind": "coverage", "segment": "smb", "convert_share": 1.0, "on_target_earnings_usd": 75_000.0,
              "quota_usd": 480_000.0}
    holder = job("1", inside=inside)
    holder.cfg = Config()
    said = rows(investments_assumed([holder])[0])
    assert said["on_target_earnings_usd"] == "75,000 (the segment's field seats: 110,000)"
    assert said["quota_usd"] == "480,000 (the segment's field seats: 580,000)"
    assert said["step_hours_factor"] == "0.6"  # no field seats' figure beside the others
