"""A corpus of bad inputs, one for every place input enters salessim, each held to the rule:

ONE readable line on stderr, starting with "<prog>: error: ", naming what is wrong (the key and
the value for configs) and what is allowed; exit status 2; no traceback; no results written
(for ``salessim``: no .parquet file and no manifest.json under hydra.run.dir / hydra.sweep.dir).

The corpus adds to tests/test_bad_input.py and tests/test_compare.py (it does not repeat them).
Most cases run in-process (``salessim.cli.main`` with the job itself replaced by a stub, the
``main()`` of salessim-compare and salessim-rerun, ``salessim.run``); a representative subset runs
as real subprocesses, in parallel, to prove the exit status and the absence of a traceback.
Cases that revealed a bug in salessim were fixed; a new one goes in with bug(reason) (a strict xfail).
"""

from __future__ import annotations

import dataclasses
import json
import pickle
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import salessim
from salessim import cli, compare_command, rerun
from salessim.config import Config
from salessim.errors import ConfigError, UserError
from salessim.outputs import config_hash
from salessim.preflight import check_command
from salessim.runner import run_scenario
from salessim.validation import to_validated
from tests.commands import run_module
from tests.conftest import tiny_config


def bug(reason: str):
    return pytest.mark.xfail(strict=True, reason=f"BUG: {reason}")



# --- a user's own config dir (never the repo's configs/ or experiments/) --------------------------

USER_FILES = {
    "experiment/mine.yaml": "# @package _global_\nfsm:\n  span_of_control: 6\n",
    "experiment/malformed.yaml": ("# @package _global_\nfsm:\n  span_of_control: [6\n"
                                  "  coaching_quality: 0.5\n"),
    "experiment/tabs.yaml": "# @package _global_\nfsm:\n\tspan_of_control: 6\n",
    "experiment/unknown_key.yaml": "# @package _global_\nfsm:\n  spanofcontrol: 6\n",
    "experiment/wrong_type.yaml": "# @package _global_\norg:\n  sellers: lots\n",
    "experiment/not_a_mapping.yaml": "- a\n- b\n",
    "experiment/missing_ref.yaml": "# @package _global_\norg:\n  sellers: ${org.headcount}\n",
    "experiment/bad_sweep.yaml": ("# @package _global_\nhydra:\n  sweeper:\n    params:\n"
                                  "      fsm.span_of_control: 5,0\n"),
    "experiment/loop.yaml": "# @package _global_\ndefaults:\n  - /experiment: loop\n",
    # Hydra kept the command line's choice: it ran one job at the default settings, no fsm_span sweep
    "experiment/overrides_experiment.yaml": ("# @package _global_\n"
                                             "defaults: [override /experiment: fsm_span]\n"),
    "experiment/includes_fsm_span.yaml": "# @package _global_\ndefaults: [/experiment/fsm_span, _self_]\n",
    "experiment/empty.yaml": "",
    "experiment/list_params.yaml": "# @package _global_\nhydra:\n  sweeper:\n    params:\n      - a\n",
    "experiment/forced_group.yaml": ("# @package _global_\nhydra:\n  sweeper:\n    params:\n"
                                     "      ++org: small,large\n"),
    "experiment/sweep_as_list.yaml": ("# @package _global_\nhydra:\n  sweeper:\n    params:\n"
                                      "      fsm.span_of_control: [6, 10]\n"),
    "experiment/plain_default.yaml": "# @package _global_\ndefaults:\n  - /org: small\n",
    "experiment/default_again.yaml": "# @package _global_\ndefaults:\n  - /fsm: default\n",
    "experiment/group_typo.yaml": "# @package _global_\ndefaults:\n  - override /fsmm: default\n",
    "experiment/no_slash.yaml": "# @package _global_\ndefaults:\n  - override org: small\n",
    "experiment/no_slash_typo.yaml": "# @package _global_\ndefaults:\n  - override orgg: small\n",
    "experiment/no_override.yaml": "# @package _global_\ndefaults:\n  - org: small\n",
    "experiment/preset_in_body.yaml": "# @package _global_\norg: small\n",
    "compensation/org_header.yaml": "# @package org\nquota_usd: {smb: 450000}\n",  # a header copied over
    "experiment/trace_two.yaml": "# @package _global_\nsim:\n  trace: 2\n",  # read as true before
    "experiment/resume_text.yaml": "# @package _global_\nsim:\n  resume: 'no'\n",  # read as false
    # unquoted, YAML 1.1 reads them as true and false, and they were taken
    "experiment/trace_yes.yaml": "# @package _global_\nsim:\n  trace: yes\n",
    "org/progress_off.yaml": "# @package _global_\nsim:\n  progress: Off\n",
    "experiment/trace_capital.yaml": "# @package _global_\nsim:\n  trace: TRUE\n",  # a truth, any case
    "investment/connected_yes.yaml": ("# @package investment\nconnected_yes:\n  kind: training\n"
                                      "  connected: yes\n"),
    "experiment/picks_connected_yes.yaml": ("# @package _global_\ndefaults:\n"
                                            "  - override /investment: [connected_yes]\n"),
    # a key of calibration.params holds dots, so no dotted path reaches its log: read apart
    "org/log_yes.yaml": ("# @package _global_\ncalibration:\n  params:\n    market.neutral_quality: "
                         "{low: 0.45, high: 0.57, log: yes}\n"),
    "org/zero.yaml": "# @package org\nsellers: 0\n",
    "org/no_colon.yaml": "# @package org\nsellers 30\n",
    "org/header_comment.yaml": "# @package org  # our organization\nsellers: 30\n",
    "org/just_a_number.yaml": "250\n",
    "org/unfilled.yaml": "# @package org\nsellers: ???\n",
    "org/group_keyword.yaml": "# @package _group_\nsellers: 30\n",
    "org/open_mix.yaml": "# @package org\nsellers: 250\nsegment_mix: {smb: 0.15, mid_market: 0.35, enterprise: 0.5\n",
    "org/global_org.yaml": "# @package _global_\nsellers: 60\n",
    "compensation/separated.yaml": "# @package compensation\nquota_usd: {mid_market: 900,000, enterprise: 1400000}\n",
    "experiment/no_header_defaults.yaml": "defaults:\n  - override /org: small\nsim:\n  years: 1\n",
    "investment/magic.yaml": "# @package investment\nmagic:\n  kind: magic\n  start_month: 6\n",
    "investment/own_crm.yaml": ("# @package investment\nown_crm:\n  kind: tools\n"
                                "  admin_hours_saved: 2.0\n"),
    "investment/pkg_crm.yaml": "# @package investment.pkg_crm\nkind: tools\nadmin_hours_saved: 2.0\n",
    "investment/glob_crm.yaml": ("# @package _global_\ninvestment:\n  glob_crm:\n    kind: tools\n"
                                 "    admin_hours_saved: 2.0\n"),
    "investment/late.yaml": ("# @package investment\nlate:\n  kind: training\n  start_month: 500\n"),
    "investment/half_month.yaml": ("# @package investment\nhalf_month:\n  kind: compensation\n"
                                   "  start_month: 6.5\n  quota_multiplier: 2.0\n"),
    # Hydra merges whatever an investment's file holds: these would run nothing, or another one.
    "investment/empty_inv.yaml": "# @package investment\n",
    "investment/two_inv.yaml": "two_inv:\n  kind: tools\nthree_inv:\n  kind: tools\n",
    "investment/misnamed_inv.yaml": "# @package investment\nother_name:\n  kind: tools\n",
    # saved with a byte-order mark, before which Hydra reads no header: blamed for a header it has
    "experiment/with_bom.yaml": ("\ufeff# @package _global_\nhydra:\n  sweeper:\n    params:\n"
                                 "      fsm.span_of_control: 6,8\n"),
    "org/with_bom.yaml": "\ufeff# @package _global_\norg: {sellers: 30}\n",
    "org/with_bom_own_header.yaml": "\ufeff# @package org\nsellers: 30\n",  # Hydra's default: it runs
    "investment/kindless.yaml": "# @package investment\nkindless:\n  admin_hours_saved: 3\n",
    # its defaults list merged crm in beside it: crm ran, fee and all, in a scenario named for it alone
    "investment/builds_on_crm.yaml": ("# @package investment\ndefaults: [crm, _self_]\n"
                                      "builds_on_crm: {kind: tools}\n"),
    # an analyst's own presets, with the mistakes a first one has
    "org/list_mix.yaml": "# @package org\nsellers: 250\nsegment_mix: [0.15, 0.35, 0.5]\n",
    "org/typo_key.yaml": "# @package org\nsegmnet_mix:\n  smb: 0.2\n",
    "org/nested_top.yaml": "# @package org\norg:\n  sellers: 250\n",
    "market/segment_number.yaml": "# @package market\nsegments:\n  enterprise: 200000\n",
    "compensation/one_quota.yaml": "# @package compensation\nquota_usd: 1000000\n",
    "org/wrong_ext.yml": "# @package org\nsellers: 250\n",
    "investments/stray_inv.yaml": "# @package investment\nstray_inv:\n  kind: tools\n",
    "org/bad_sellers.yaml": "# @package org\nsellers: abc\n",
    # a value of the wrong type, the key typed validly on the command line too: the typed one was blamed
    "org/hours_in_words.yaml": "# @package org\nweekly_hours: forty\n",
    "org/sellers_with_point.yaml": "# @package org\nsellers: 30.0\n",
    "fsm/span_in_words.yaml": "# @package fsm\nspan_of_control: \"ten\"\n",
    "experiment/years_in_words.yaml": "# @package _global_\nsim: {years: \"one\"}\n",
    "fsm/sets_sellers.yaml": "# @package _global_\norg:\n  sellers: 40\n",  # a valid value, elsewhere
    "experiment/picks_zero.yaml": "# @package _global_\ndefaults:\n  - override /org: zero\n",
    "experiment/picks_misspelt.yaml": "# @package _global_\ndefaults:\n  - override /org: zer\n",
    "experiment/sweeps_misspelt_key.yaml": ("# @package _global_\nhydra:\n  sweeper:\n    params:\n"
                                            "      fsm.span_of_contrl: 5,8\n"),
    "experiment/sweeps_misspelt_inv.yaml": ("# @package _global_\nhydra:\n  sweeper:\n    params:\n"
                                            "      investment: '[],[crmm]'\n"),
    "experiment/sweeps_unreadable.yaml": ("# @package _global_\nhydra:\n  sweeper:\n    params:\n"
                                          "      fsm.span_of_control: 5,,8\n"),
    # params Hydra types as texts: it named none of these files, or passed {a: 1} on as a text
    "experiment/sweeps_null.yaml": ("# @package _global_\nhydra:\n  sweeper:\n    params:\n"
                                    "      fsm.span_of_control: null\n"),
    "experiment/sweeps_mapping.yaml": ("# @package _global_\nhydra:\n  sweeper:\n    params:\n"
                                       "      fsm.span_of_control: {a: 1}\n"),
    "experiment/sweeps_nested.yaml": ("# @package _global_\nhydra:\n  sweeper:\n    params:\n"
                                      "      fsm:\n        span_of_control: 6,8\n"),
    "experiment/params_text.yaml": "# @package _global_\nhydra:\n  sweeper:\n    params: hello\n",
    "experiment/sweeps_added_unknown.yaml": ("# @package _global_\nhydra:\n  sweeper:\n    params:\n"
                                             "      +foo.bar: 1,2\n"),
    "investment/neg_cost.yaml": "# @package investment\nneg_cost:\n  kind: tools\n  one_off_cost_usd: -3\n",
    "calibrated/own_fit.yaml": "# @package _global_\nmarket:\n  neutral_quality: 0.5\n",  # a fit kept elsewhere
    "not_a_run.pickle": "a note, not a pickle\n",  # for Hydra's --experimental-rerun
    "value_twice.csv": "metric,value,std_error,value,source\nwin_rate,0.4,0.05,0.5,Our review\n",  # targets
}


@pytest.fixture(scope="module")
def uc(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("user_configs")
    for rel, text in USER_FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    # Saved by an editor in Latin-1: Hydra says only that a byte cannot be decoded.
    (root / "investment" / "latin1_inv.yaml").write_bytes(
        "# @package investment\nlatin1_inv:\n  kind: tools\n  description: café\n".encode("latin-1"))
    (root / "settings.pickle").write_bytes(pickle.dumps({"org": {"sellers": 20}}))  # a pickle, not a run's
    # Named as configs that no file backs: Hydra listed them as configs, then said it found none.
    (root / "org" / "folder_preset.yaml").mkdir()
    (root / "org" / "looped.yaml").symlink_to("looped.yaml")
    return root


def _fill(argv: list[str], **paths: Path) -> list[str]:
    """Put the case's folders in for {name} (only those: ${...} interpolations stay as they are)."""
    out = []
    for arg in argv:
        for name, path in paths.items():
            arg = arg.replace("{" + name + "}", str(path))
        out.append(arg)
    return out


SP = "hydra.searchpath=[file://{uc}]"

# --- salessim: (id, argv, words the one line must contain[, bug]) -----------------------------------

SALESSIM = [
    # unknown keys, at several depths
    ("unknown segment key", ["market.segments.smb.bogus=1"],
     ["market.segments.smb.bogus", "known key", "complexity"]),
    ("unknown fsm key (typo)", ["fsm.spanofcontrol=8"],
     ["fsm.spanofcontrol", "known key", "span_of_control"]),
    ("unknown nested key", ["sim.bogus.deep=1"], ["sim.bogus", "known key", "replications"]),
    ("unknown tools key", ["tools.cost_per_seat=1"], ["tools.cost_per_seat", "known key", "admin_hours"]),
    ("+unknown market key", ["+market.bogus=1"], ["market.bogus", "known key", "decision_rule"]),
    ("+unknown segment key", ["+market.segments.smb.complexty=0.9"],
     ["market.segments.smb.complexty", "known key", "complexity"]),
    # texts a table cannot hold, or that break a job's one line or recolour the terminal
    ("a byte that is no UTF-8 in a name", ["sim.scenario='\udcff'"], ["sim.scenario", "'\\udcff'", "UTF-8"]),
    ("a newline in a name", ["sim.scenario='a\nb'"], ["sim.scenario", "'a\\nb'", "a newline"]),
    ("an escape in a description", ["+investment.x.kind=training", "+investment.x.description='a\x1b[31m'"],
     ["investment.x.description", "'a\\x1b[31m'", "other than newlines and tabs"]),
    # a group's choice that Hydra reads otherwise than it is typed
    ("a group set to nan", ["org=nan"], ["org=nan", "one of default, large, small"]),
    ("a list for a group of one config", ["org=[small,large]"],
     ["org='[small,large]'", "one config, not a list", "one of default, large, small"]),
    # wrong types
    ("list for an int", ["org.sellers=[10,20]"], ["org.sellers", "[10,20]", "integer"]),
    ("float for an int", ["org.sellers=10.5"], ["org.sellers", "10.5", "integer"]),
    ("float for an int (market)", ["market.contacts_per_round=2.5"],
     ["market.contacts_per_round", "2.5", "integer"]),
    ("list for a float", ["fsm.span_of_control=[5,6]"], ["fsm.span_of_control", "[5,6]", "number"]),
    ("string for a bool", ["sim.resume=sure"], ["sim.resume", "sure", "true or false"]),
    ("list for a bool", ["sim.progress=[true]"], ["sim.progress", "[true]", "true or false"]),
    ("bool for an int", ["org.sellers=true"], ["org.sellers", "true", "integer"]),
    ("null for an int", ["org.sellers=null"], ["org.sellers", "null", "integer"]),
    ("string for an int", ["sim.seed=abc"], ["sim.seed", "abc", "integer"]),
    ("list for a map", ["org.segment_mix=[0.5,0.5]"],
     ["org.segment_mix", "[0.5,0.5]", "a mapping of smb, mid_market, enterprise", "org.segment_mix.NAME=VALUE"]),
    # out of range, many keys
    ("negative weekly hours", ["org.weekly_hours=-5"], ["org.weekly_hours", "-5", "> 0"]),
    ("negative admin hours", ["tools.admin_hours=-1"], ["tools.admin_hours", "-1", ">= 0"]),
    ("zero fsm hours", ["fsm.weekly_hours=0"], ["fsm.weekly_hours", "0", "> 0"]),
    ("margin above 1", ["market.gross_margin=1.01"], ["market.gross_margin", "1.01", "<= 1"]),
    ("attrition above 1", ["org.attrition_base_monthly=2"], ["org.attrition_base_monthly", "2", "<= 1"]),
    ("negative probability", ["market.segments.enterprise.escalation_prob=-0.1"],
     ["market.segments.enterprise.escalation_prob", "-0.1", ">= 0"]),
    ("negative quota", ["compensation.quota_usd.mid_market=-5"],
     ["compensation.quota_usd.mid_market", "-5", "> 0"]),
    ("zero quota", ["compensation.quota_usd.smb=0"], ["compensation.quota_usd.smb", "0", "> 0"]),
    # a whole discount won deals worth $0, which still counted as wins and made customers
    ("whole push discount", ["compensation.push_discount=1"], ["compensation.push_discount", "1", "<= 0.9"]),
    ("negative pay", ["compensation.on_target_earnings_usd.smb=-1"],
     ["compensation.on_target_earnings_usd.smb", "-1", "> 0"]),
    ("negative accounts", ["coverage.accounts_per_seller.enterprise=-3"],
     ["coverage.accounts_per_seller.enterprise", "-3", ">= 0"]),
    ("years zero", ["sim.years=0"], ["sim.years", "0", "> 0"]),
    ("years above max", ["sim.years=31"], ["sim.years", "31", "<= 30"]),
    ("years infinite", ["sim.years=inf"], ["sim.years", "inf", "finite"]),
    ("negative warm-up", ["sim.warmup_months=-1"], ["sim.warmup_months", "-1", ">= 0"]),
    ("replications above max", ["sim.replications=10001"], ["sim.replications", "10001", "<= 10000"]),
    ("negative seed", ["sim.seed=-1"], ["sim.seed", "-1", ">= 0"]),
    # values that would overflow a number or memory mid-run (each once ended in a traceback)
    ("seed beyond int64", ["sim.seed=99999999999999999999999"], ["sim.seed", "<= 9223372036854775807"]),
    ("astronomical deal value", ["market.segments.mid_market.deal_value_median_usd=1e308"],
     ["market.segments.mid_market.deal_value_median_usd", "1e+308", "<= 1000000000"]),
    # rounded up to one account a territory without a word before
    # a segment's value that is no number was told 'a number', without its range
    ("a quota written as 700k", ["compensation.quota_usd.mid_market=700k"],
     ["compensation.quota_usd.mid_market='700k'", "a number > 0 and <= 1000000000"]),
    ("no accounts for a staffed segment", ["coverage.accounts_per_seller.smb=0"],
     ["coverage.accounts_per_seller.smb=0 ", "at least 1 for a segment with seats"]),
    ("a billion accounts per seller", ["coverage.accounts_per_seller.smb=1e9"],
     ["coverage.accounts_per_seller.smb", "1000000000", "<= 10000"]),
    ("a billion inbound leads per account", ["market.segments.smb.inbound_leads_per_account_year=1e9"],
     ["market.segments.smb.inbound_leads_per_account_year", "<= 100"]),
    ("prospecting leads per hour", ["coverage.prospecting_leads_per_hour.smb=1e6"],
     ["coverage.prospecting_leads_per_hour.smb", "<= 10"]),
    ("quota beyond a billion", ["compensation.quota_usd.smb=1e12"], ["compensation.quota_usd.smb", "<= 1000000000"]),
    ("zero training weeks", ["enablement.onboarding_training_weeks=0"],
     ["enablement.onboarding_training_weeks", "0", ">= 1"]),
    ("push weeks above a quarter", ["compensation.push_weeks=14"],
     ["compensation.push_weeks", "14", "<= 13"]),
    ("stakeholders above max", ["market.segments.smb.stakeholders_max=31"],
     ["market.segments.smb.stakeholders_max", "31", "<= 30"]),
    ("network share above 1", ["coverage.network_strength.enterprise=2"],
     ["coverage.network_strength.enterprise", "2", "<= 1"]),
    ("customer share no number", ["coverage.customer_share.smb=abc"],
     ["coverage.customer_share.smb='abc'", "a number >= 0 and <= 1"]),
    ("zero retention", ["enablement.retention_days=0"], ["enablement.retention_days", "0", "> 0"]),
    ("zero decision temperature", ["market.decision_temperature=0"],
     ["market.decision_temperature", "0", "> 0"]),
    ("base share above 0.95", ["compensation.base_share=1.0"], ["compensation.base_share=1 ", "<= 0.95"]),
    ("negative accelerator", ["compensation.accelerator=-0.5"], ["compensation.accelerator", "-0.5", ">= 0"]),
    ("zero lead ttl", ["coverage.lead_ttl_days=0"], ["coverage.lead_ttl_days", "0", "> 0"]),
    ("quota period monthly", ["compensation.quota_period=monthly"],
     ["compensation.quota_period", "monthly", "quarterly"]),
    # contradictory settings
    ("warm-up as long as the horizon", ["sim.warmup_months=36"], ["sim.warmup_months", "36", "horizon"]),
    ("warm-up fills a half year", ["sim.years=0.5", "sim.warmup_months=6"],
     ["sim.warmup_months", "6", "horizon", "6 months"]),
    ("warm-up beyond the 4-4-5 calendar", ["sim.years=0.501", "sim.warmup_months=6"],
     ["sim.warmup_months", "6", "horizon"]),
    ("stakeholders max below min", ["market.segments.enterprise.stakeholders_max=4"],
     ["market.segments.enterprise.stakeholders_min", "5", "stakeholders_max (4)"]),
    ("fixed hours equal the week",
     ["tools.admin_hours=20", "tools.internal_hours=20", "enablement.search_hours=10"],
     ["tools.admin_hours", "(50)", "org.weekly_hours (50)"]),
    ("week shorter than fixed hours", ["org.weekly_hours=25"],
     ["tools.admin_hours + tools.internal_hours + enablement.search_hours=28", "(25)"]),
    ("fsm business hours at a wide span", ["fsm.span_of_control=45"],
     ["fsm.span_of_control=45 is not allowed", "a span of at most 40 for 100 sellers", "teams of up to 50",
      "fsm.weekly_hours (50)", "a team holds 37 sellers at most"]),
    ("a span whose teams of the seats an investment adds fill the FSM's week",
     ["fsm.span_of_control=40", "investment=[enterprise_headcount]",
      "investment.enterprise_headcount.added_sellers=40", "investment.enterprise_headcount.account_share=0.5"],
     ["fsm.span_of_control=40", "a span below 37.5", "the 40 seats the coverage investments add form"]),
    ("a span investment whose teams of every seat, added ones too, fill the FSM's week",
     ["org=small", "investment=[mid_market_named_accounts]", "investment.mid_market_named_accounts.added_sellers=24",
      "investment.mid_market_named_accounts.account_share=0.1",
      "+investment.wide.kind=fsm_span", "+investment.wide.span_of_control=30", "+investment.wide.start_month=12"],
     ["investment.wide.span_of_control=30", "(24 of them added)"]),
    ("business hours of a single seller fill the FSM's week",
     ["fsm.business_hours_base=30", "fsm.business_hours_per_seller=20"],
     ["fsm.business_hours_per_seller=20", "the FSM of a single seller"]),
    ("fsm business hours of the one team a span makes of few sellers", ["org.sellers=40", "fsm.span_of_control=30"],
     ["fsm.span_of_control=30", "40 sellers", "teams of up to 40"]),
    ("a span investment whose teams fill the FSM's week",
     ["+investment.wide.kind=fsm_span", "+investment.wide.span_of_control=60"],
     ["investment.wide.span_of_control=60", "teams of up to 50"]),
    ("fsm business hours fill the week", ["fsm.business_hours_base=30", "fsm.span_of_control=20"],
     ["fsm.business_hours_base", "30", "fsm.weekly_hours"]),
    ("segment mix sums to 0.9", ["org.segment_mix.enterprise=0.1"], ["org.segment_mix", "sum to 1", "0.9"]),
    ("segment mix all zero", ["org.segment_mix.smb=0", "org.segment_mix.mid_market=0",
                              "org.segment_mix.enterprise=0"], ["org.segment_mix", "sum to 1", "sum to 0"]),
    ("segment mix names unknown segment", ["+org.segment_mix.retail=0.1"],
     ["org.segment_mix.retail", "0.1", "smb, mid_market, enterprise"]),
    # buyer roles and the content that addresses them
    ("stakeholder roles sum to 1.2", ["market.stakeholder_roles.technical=0.5"],
     ["market.stakeholder_roles", "sum to 1", "1.2"]),
    ("a role share for the economic buyer", ["+market.stakeholder_roles.economic_buyer=0.1"],
     ["market.stakeholder_roles.economic_buyer", "0.1", "every group's first stakeholder"]),
    ("stakeholder roles sum to 0.9", ["market.stakeholder_roles.technical=0.2"],
     ["market.stakeholder_roles", "sum to 1", "0.9"]),
    ("a negative role share", ["market.stakeholder_roles.user=-0.1"],
     ["market.stakeholder_roles.user", "-0.1", ">= 0 and <= 1"]),
    ("content for a misspelt role", ["enablement.content_roles=[economic_buyer,finanse]"],
     ["enablement.content_roles", "finanse", "economic_buyer, technical, user, finance", "did you mean finance"]),
    ("content for a role named twice", ["enablement.content_roles=[user,user]"],
     ["enablement.content_roles", "[user,user]", "each once"]),
    ("content roles as one word", ["enablement.content_roles=finance"],
     ["enablement.content_roles", "finance", "[economic_buyer,finance]", "content_role_coverage"]),
    ("a content investment for an unknown role",
     ["+investment.c.kind=content", "+investment.c.roles=[finance,legal]"],
     ["investment.c.roles", "legal", "economic_buyer, technical", "investment.c.role_coverage"]),
    ("a content investment's roles as one word", ["+investment.c.kind=content", "+investment.c.roles=finance"],
     ["investment.c.roles='finance' is not allowed", "a list of buyer roles"]),
    ("customer share for unknown segment", ["+coverage.customer_share.retail=0.2"],
     ["coverage.customer_share.retail", "0.2", "smb, mid_market, enterprise"]),
    ("quota for unknown segment", ["+compensation.quota_usd.retail=100"],
     ["compensation.quota_usd.retail", "100", "smb, mid_market, enterprise"]),
    ("coverage investment for unknown segment",
     ["+investment.x.kind=coverage", "+investment.x.segment=retail"],
     ["investment.x.segment", "retail", "smb, mid_market, enterprise"]),
    # investments
    ("investment of unknown kind", ["+investment.x.kind=magic"], ["investment.x.kind", "magic", "training"]),
    ("investment without a kind", ["+investment.x.description=hi"],
     ["investment.x.description='hi'", "+investment.x.kind=KIND", "training"]),
    ("a setting for an investment the scenario does not hold",
     ["investment=[crm]", "+investment.cmr.effect_scale=0.5"],
     ["investment.cmr.effect_scale=0.5", "holds (crm)", "did you mean crm?"]),
    ("an effect_scale for a kind whose effect is not a size it is given",
     ["investment=[smb_inside_sales]", "+investment.smb_inside_sales.effect_scale=0.5"],
     ["investment.smb_inside_sales.effect_scale=0.5", "coverage investment", "fsm_development"]),
    ("an effect_scale past its range", ["investment=[crm]", "investment.crm.effect_scale=4"],
     ["investment.crm.effect_scale", "4", "<= 3"]),
    ("investment that is not a mapping", ["+investment.x=5"], ["investment.x", "5", "mapping", "kind"]),
    ("investment unknown setting", ["+investment.x.kind=training", "+investment.x.charisma=1"],
     ["investment.x.charisma", "1", "training investment", "boost"]),
    ("investment setting out of range", ["+investment.x.kind=training", "+investment.x.boost=1.5"],
     ["investment.x.boost", "1.5", "<= 1"]),
    ("investment quota_period monthly",
     ["+investment.x.kind=compensation", "+investment.x.quota_period=monthly"],
     ["investment.x.quota_period", "monthly", "annual, quarterly"]),
    ("investment skill charm", ["+investment.x.kind=training", "+investment.x.skill=charm"],
     ["investment.x.skill", "charm", "process, knowledge, adaptive"]),
    ("investment role unknown", ["+investment.x.kind=coverage", "+investment.x.role=partner"],
     ["investment.x.role", "partner", "field, inside_sales"]),
    ("a coverage investment that changes no seat", ["+investment.x.kind=coverage"],
     ["investment.x.convert_share", "0", "added_sellers above 0", "changes no seat"]),
    ("a conversion too small to convert a seat",
     ["org.sellers=20", "+investment.x.kind=coverage", "+investment.x.convert_share=0.05"],
     ["investment.x.convert_share", "0.05", "at least 0.0625", "segment's 8", "converts none"]),
    ("accounts handed over with no seat added",
     ["+investment.x.kind=coverage", "+investment.x.convert_share=0.5", "+investment.x.account_share=0.2"],
     ["investment.x.account_share", "0.2", "0 while added_sellers is 0"]),
    ("two conversions of one segment past its seats",
     ["investment=[smb_inside_sales]", "+investment.x.kind=coverage", "+investment.x.role=named_account",
      "+investment.x.convert_share=0.25"],
     ["investment.x.convert_share", "0.25", "at most 0", "more than all of its seats (1.25"]),
    ("seats added after a span change whose team fills the FSM's week",
     ["org.sellers=73", "+investment.wide.kind=fsm_span", "+investment.wide.span_of_control=37.6",
      "+investment.wide.start_month=6", "+investment.grow.kind=coverage", "+investment.grow.segment=mid_market",
      "+investment.grow.added_sellers=38", "+investment.grow.account_share=0.3", "+investment.grow.start_month=7"],
     ["investment.wide.span_of_control", "37.6", "the 38 seats the coverage investments add after it form",
      "teams of up to 38"]),
    ("a deal review of no time", ["fsm.deal_review_hours=0"], ["fsm.deal_review_hours", "0", "> 0"]),
    ("two spans regrouping the teams in one month",
     ["investment=[fsm_narrow_span]", "+investment.wide.kind=fsm_span", "+investment.wide.span_of_control=12"],
     ["investment.wide.start_month", "6", "fsm_narrow_span regroups the teams in month 6 too"]),
    ("investment span below 1", ["+investment.x.kind=fsm_span", "+investment.x.span_of_control=0.5"],
     ["investment.x.span_of_control", "0.5", ">= 1"]),
    ("shipped investment setting out of range", ["investment=[crm]", "investment.crm.admin_hours_saved=-1"],
     ["investment.crm.admin_hours_saved", "-1", ">= 0"]),
    ("'+' on a key the config has", ["+sim.years=2"], ["+sim.years=2", "set it with sim.years=2"]),
    ("a repeated key whose first value is bad", ["sim.replications=abc", "sim.replications=2"],
     ["sim.replications='abc'", "integer"]),
    ("null for an investment setting", ["investment=[crm]", "investment.crm.admin_hours_saved=null"],
     ["investment.crm.admin_hours_saved=null", ">= 0"]),
    ("null for an investment's segment", ["investment=[smb_inside_sales]",
                                          "investment.smb_inside_sales.segment=null"],
     ["investment.smb_inside_sales.segment=null", "a text"]),
    ("list for an investment's kind", ["+investment.x.kind=[a,b]"], ["investment.x.kind", "training"]),
    ("mapping for an investment's kind", ["+investment.x.kind={a:1}"], ["investment.x.kind", "training"]),
    ("list for an investment's segment", ["+investment.x.kind=coverage", "+investment.x.segment=[smb]"],
     ["investment.x.segment", "smb", "a text"]),
    ("an investment that adds more hours than the week has",
     ["investment=[enablement_content]", "investment.enablement_content.search_hours_change=40"],
     ["investment.enablement_content.search_hours_change", "40", "leaves time to sell", "org.weekly_hours"]),
    ("a content change that fits the week until effect_scale triples it",
     ["investment=[enablement_content]", "investment.enablement_content.search_hours_change=8",
      "investment.enablement_content.effect_scale=3"],
     ["investment.enablement_content.search_hours_change", "8", "× effect_scale 3", "leaves time to sell"]),
    ("two investments whose added hours fill the week together",
     ["investment=[enablement_content,crm]", "investment.enablement_content.search_hours_change=15",
      "investment.crm.rollout_dip_hours=10"],
     ["investment.enablement_content.search_hours_change", "15", "crm.rollout_dip_hours 10",
      "org.weekly_hours (50)"]),
    ("an investment defined on the spot under a shipped investment's name",
     ["+investment.crm.kind=tools", "+investment.crm.start_month=9"],
     ["+investment.crm.kind", "a name of its own", "investment=[crm]"]),
    ("a tool's rollout dip that leaves no time to sell", ["investment=[crm]", "investment.crm.rollout_dip_hours=25"],
     ["investment.crm.rollout_dip_hours", "25", "leaves time to sell"]),
    ("investment cost past the money bound", ["investment=[crm]", "investment.crm.one_off_cost_usd=1e308"],
     ["investment.crm.one_off_cost_usd", "1e+308", "<= 1000000000"]),
    ("investment starts at the horizon", ["investment=[crm]", "investment.crm.start_month=36"],
     ["investment.crm.start_month", "36", "before the horizon"]),
    ("investment starts after the horizon",
     ["investment=[crm]", "sim.years=2", "investment.crm.start_month=100"],
     ["investment.crm.start_month", "100", "(24 months)"]),
    ("a number in a list of investments", ["investment=[1]"],
     ["investment", "[1]", "a list of the group's config names", "crm"]),
    ("a list inside a list of investments", ["investment=[[crm]]"],
     ["investment", "[[crm]]", "a list of the group's config names"]),
    ("an investment listed twice", ["investment=[crm,accelerators,crm]"],
     ["investment", "[crm,accelerators,crm]", "crm is listed twice"]),
    ("an empty mapping, which Hydra would merge as no change", ["market.segments={}"],
     ["market.segments={}", "changes nothing", "market.segments.NAME=VALUE"]),
    ("a group of salessim-calibrate, in the config folder they share", ["targets=cso_insights"],
     ["targets", "cso_insights", "a group of salessim-calibrate", "salessim-calibrate targets=cso_insights"]),
    ("a group of salessim-calibrate, added", ["+targets=cso_insights"],
     ["targets", "a group of salessim-calibrate"]),
    # a key of salessim-calibrate's config: "a known key (sim, org, ...)", with no word of the command
    ("a key of salessim-calibrate's study", ["calibration.n_trials=2"],
     ["calibration.n_trials=2 is not allowed", "calibration.* belongs to salessim-calibrate",
      "salessim-calibrate calibration.n_trials=2"]),
    ("a key of salessim-calibrate's study, added", ["+calibration.n_trials=2"],
     ["calibration.n_trials=2 is not allowed", "calibration.* belongs to salessim-calibrate",
      "salessim-calibrate calibration.n_trials=2"]),  # set there without the '+'
    ("salessim-calibrate's study whole", ["+calibration={n_trials:2}"],
     ["calibration='{n_trials:2}'", "calibration belongs to salessim-calibrate",
      "salessim-calibrate 'calibration={n_trials:2}'"]),
    ("a key of salessim-calibrate's targets", ["targets.name=mine"],
     ["targets.name='mine'", "targets.* belongs to salessim-calibrate",
      "salessim-calibrate targets.name=mine"]),
    # a thousands separator: Hydra swept 90 and 000 (two jobs, rc 0), or refused a single run's
    # value as a sweep, which steered to -m
    ("a thousands separator in a sweep", ["-m", "investment=[crm]", "investment.crm.one_off_cost_usd=90,000"],
     ["investment.crm.one_off_cost_usd='90,000'", "without thousands separators, e.g. 90000"]),
    ("a thousands separator in a single run", ["compensation.quota_usd.mid_market=1,500,000"],
     ["compensation.quota_usd.mid_market='1,500,000'", "e.g. 1500000"]),
    # a relative config folder that is not there: where it was looked for (the command's folder)
    ("a relative --config-dir that is not there", ["-cd", "no_such/folder"],
     ["--config-dir no_such/folder is not a folder; from ", "no_such/folder (allowed"]),
    ("a sweep listing a value twice", ["-m", "investment=[],[crm],[crm]"],
     ["investment", "listing each value once", "the same job twice: [crm]"]),
    # Each ran the same job twice, of which the comparison said that what differs changes nothing
    ("a sweep listing one investment with and without brackets", ["-m", "investment=[],crm,[crm]"],
     ["investment", "listing each value once", "the same job twice: [crm], crm"]),
    ("a sweep listing the same investments in two orders",
     ["-m", "investment=[crm,product_training],[product_training,crm]"],
     ["the same job twice: [crm,product_training], [product_training,crm]"]),
    # Hydra took the last value alone: the sweep became one job of span 8, exit status 0
    ("a swept key given again", ["-m", "fsm.span_of_control=6,10", "fsm.span_of_control=8"],
     ["fsm.span_of_control=8", "fsm.span_of_control=6,10", "a key swept is given once"]),
    ("a sweep listing a number twice", ["-m", "fsm.span_of_control=5,6,5"],
     ["fsm.span_of_control", "5,6,5", "the same job twice: 5"]),
    ("a sweep listing one number twice in two forms", ["-m", "fsm.span_of_control=8,8.0"],
     ["fsm.span_of_control", "the same job twice: 8, 8.0"]),
    ("an integer of more digits than Python reads", ["org=small", "sim.seed=" + "1" * 5000],
     ["could not read the override 'sim.seed=111", "4300 digits"]),
    ("a folder holding '=' left unquoted", ["org=small", "sim.years=2", "hydra.run.dir=/tmp/a=b"],
     ["could not read the override 'hydra.run.dir=/tmp/a=b'", "quote a value that holds '='"]),
    ("a sweep's jobs outside its folder", ["-m", "fsm.span_of_control=5,8", "hydra.sweep.subdir=../up_${hydra.job.num}"],
     ["hydra.sweep.subdir", "one level down"]),
    # read again as each job starts, the clock named folders other than those planned: a stopped
    # sweep left its jobs' folders, a resume found none of their results
    ("a clock in a sweep's job folders", ["-m", "fsm.span_of_control=5,8",
                                          "hydra.sweep.subdir=${hydra.job.num}_${now:%H-%M-%S}"],
     ["hydra.sweep.subdir='${hydra.job.num}_${now:%H-%M-%S}' is not allowed: a job's folder name without "
      "the clock"]),
    ("a sweep of more jobs than can be checked", ["-m", "sim.seed=range(0,100000000)"],
     ["sim.seed=range(0,100000000)", "at most 10,000 jobs", "100,000,000"]),
    ("a range with a step of zero", ["-m", "fsm.span_of_control=range(5,10,0)"],
     ["fsm.span_of_control", "range(5,10,0)", "a sweep Hydra can expand", "must not be zero"]),
    ("a sweep with no values (glob over a key)", ["-m", "fsm.span_of_control=glob(*)"],
     ["fsm.span_of_control", "glob(*)", "a sweep with at least one value"]),
    ("a sweep with no values (glob matching no config)", ["-m", "org=glob(nothing*)"],
     ["org", "a sweep with at least one value"]),
    ("an empty mapping inside a mapping", ["market.segments={smb:{complexity:0.5},mid_market:{}}"],
     ["market.segments=", "changes nothing at market.segments.mid_market",
      "market.segments.mid_market.NAME=VALUE"]),
    ("an empty mapping in a sweep's fixed settings", ["-m", "sim.seed=1,2", "org.segment_mix={}"],
     ["org.segment_mix={}", "changes nothing"]),
    ("an empty mapping for a number: the schema's own message", ["org.sellers={}"],
     ["org.sellers", "an integer"]),
    ("an empty mapping for the investments, which would keep them",
     ["experiment=investments", "investment={}"], ["investment={}", "investment=[] selects no investment"]),
    ("launcher setting of the wrong type", ["-m", "sim.seed=1,2", "hydra.launcher.n_jobs=abc"],
     ["hydra.launcher.n_jobs='abc' is not allowed: from 1 to 256 jobs at a time, or a negative number"]),
    ("misspelt launcher setting: the chosen launcher's settings are listed, not its _target_",
     ["-m", "sim.seed=1,2", "hydra.launcher.n_job=2"],
     ["hydra.launcher.n_job=2 is not allowed: a setting of the joblib launcher this sweep runs on (did "
      "you mean n_jobs? it has n_jobs, backend,"]),
    # typed without '+', as with one: what the launcher is, not 'a known key (... has _target_)'
    ("a Ray launcher's setting on joblib, without '+'", ["-m", "sim.seed=1,2", "hydra.launcher.ray.init.address=local"],
     ["hydra.launcher.ray.init.address='local' is not allowed", "need hydra/launcher=ray (docs/distributed.md)"]),
    ("a joblib setting on the basic launcher", ["-m", "sim.seed=1,2", "hydra/launcher=basic", "hydra.launcher.n_jobs=2"],
     ["hydra.launcher.n_jobs=2 is not allowed: a setting of the launcher this sweep runs on, "
      "hydra/launcher=basic, which has none"]),
    # added with '+', joblib ignored it and the sweep ran on every core, or on joblib, not Ray
    ("misspelt launcher setting added with '+'", ["-m", "sim.seed=1,2", "+hydra.launcher.njobs=1"],
     ["hydra.launcher.njobs=1 is not allowed: a setting of the joblib launcher this sweep runs on (did you "
      "mean n_jobs? it has n_jobs,"]),
    ("a Ray launcher's setting on joblib", ["-m", "sim.seed=1,2", "+hydra.launcher.ray.init.address=local"],
     ["hydra.launcher.ray.init.address='local' is not allowed", "need hydra/launcher=ray (docs/distributed.md)"]),
    ("an empty mapping added to the launcher", ["-m", "sim.seed=1,2", "+hydra.launcher.foo={}"],
     ["hydra.launcher.foo={}", "a setting of the joblib launcher"]),
    # (the search path to add names the folder when SALESSIM_CALIBRATED_DIR is a calibrated/ folder,
    # FOLDER otherwise: the suite runs with either)
    ("optional group without '+', a name it lacks", ["calibrated=walk"],
     ["calibrated", "walk", "one of", "added with +calibrated=NAME", "results/calibrated/NAME.yaml",
      "hydra.searchpath=[file://"]),
    # the search path's fits are the group's too: "one of (none)" was said with own_fit there
    ("optional group without '+', a fit the search path has", [SP, "calibrated=own_fit"],
     ["calibrated='own_fit'", "add it with +calibrated=own_fit"]),
    ("optional group without '+', a name the search path lacks", [SP, "calibrated=walk"],
     # (fits installed in results/calibrated on this machine are listed too)
     ["calibrated='walk'", "one of ", "own_fit", ", added with +calibrated=NAME"]),
    # fits given twice: Hydra's own words ("calibrated appears more than once in the final defaults
    # list"), or the second one run alone, silently
    ("a fit given twice", [SP, "+calibrated=own_fit", "+calibrated=own_fit"],
     ["+calibrated=own_fit is not allowed with +calibrated=own_fit", "+calibrated=[A,B]",
      "here +calibrated=own_fit"]),
    ("two fits in two overrides, the second without '+'", [SP, "+calibrated=[own_fit]", "calibrated=walk"],
     ["calibrated=walk is not allowed with +calibrated=[own_fit]", "here +calibrated=[own_fit,walk]"]),
    ("hydra setting of the wrong type", ["hydra.job.chdir=abc"], ["hydra.job.chdir", "abc", "true or false"]),
    ("misspelt setting of a shipped investment", ["investment=[crm]", "investment.crm.admin_hour_saved=3"],
     ["investment.crm.admin_hour_saved", "3", "a setting of a tools investment", "admin_hours_saved"]),
    ("an investment's start month below 0", ["investment=[crm]", "investment.crm.start_month=-1"],
     ["investment.crm.start_month", "-1", ">= 0 and <= 600, or null to leave it unset"]),
    ("setting of a user's investment (-cd) that is not selected",
     ["-cd", "{uc}", "investment.own_crm.admin_hours_saved=3"],
     ["investment.own_crm.admin_hours_saved", "3", "select it with investment=[own_crm]"]),
    ("setting of a user's investment on a search path entry with no scheme",
     ["hydra.searchpath=[{uc}]", "investment.own_crm.admin_hours_saved=3"],
     ["investment.own_crm.admin_hours_saved", "select it with investment=[own_crm]"]),
    ("setting of a user's investment with its own package (@package investment.NAME), not selected",
     ["-cd", "{uc}", "investment.pkg_crm.admin_hours_saved=3"],
     ["investment.pkg_crm.admin_hours_saved", "select it with investment=[pkg_crm]"]),
    ("misspelt setting of a user's investment in the global package (@package _global_)",
     ["-cd", "{uc}", "investment=[glob_crm]", "investment.glob_crm.admin_hour_saved=3"],
     ["investment.glob_crm.admin_hour_saved", "a setting of a tools investment", "admin_hours_saved"]),
    ("misspelt setting of a user's investment (-cd)",
     ["-cd", "{uc}", "investment=[own_crm]", "investment.own_crm.admin_hour_saved=3"],
     ["investment.own_crm.admin_hour_saved", "a setting of a tools investment", "admin_hours_saved"]),
    ("an investment that is not selected, set as a value", ["investment.crm=1"],
     ["investment.crm=1 is not allowed", "crm is not selected: select it with investment=[crm]",
      "investment.crm.SETTING=VALUE", "admin_hours_saved"]),
    ("an investment that is not selected, set as a value, another one is",
     ["investment=[accelerators]", "investment.crm=1"], ["select it with investment=[accelerators,crm]"]),
    ("an investment no file defines, set as a value", ["investment.crn=1"],
     ["investment.crn=1 is not allowed", "crn is neither: did you mean crm?", "investment=[NAME]"]),
    ("setting of an investment that is not selected", ["investment.accelerators.accelerator=3"],
     ["investment.accelerators.accelerator", "3", "select it with investment=[accelerators]"]),
    ("setting of an investment that is not selected, another one is", ["investment=[crm]",
     "investment.accelerators.accelerator=3"], ["select it with investment=[crm,accelerators]",
                                                "in the job with investment=[crm]"]),
    ("setting of an investment that some jobs of a sweep do not select",
     ["-m", "investment=[],[crm]", "investment.crm.rollout_months=choice(5)"],
     ["in the job with investment=[]", "select it with investment=[crm]",
      "copy its file under a new name into FOLDER/investment/", "sweep that name with -cd FOLDER",
      "salessim-compare SWEEP --baseline RUN_FOLDER"]),
    ("a sweep's question with an unquoted comma (a sweep of identical jobs)",
     ["-m", "investment=[],[crm]", "experiment_question=How sure, really?"],
     ["'experiment_question=How sure, really?' is not allowed", "reads its comma as a sweep",
      "\"experiment_question='How sure, really?'\""]),
    ("a single run's question with an unquoted comma", ["experiment_question=How sure, really?"],
     ["'experiment_question=How sure, really?' is not allowed", "reads its comma as a sweep"]),
    ("setting of an investment that a sweep selects job by job", ["-m", "investment=[crm],[crm,accelerators]",
     "investment.crm.rollout_months=5"], ["investment.crm.rollout_months=choice(5)"]),
    ("setting the shipped investment's file leaves out, without '+'",
     ["investment=[crm]", "investment.crm.running_cost_usd_per_year=3"],
     ["investment.crm.running_cost_usd_per_year", "+investment.crm.running_cost_usd_per_year=3"]),
    # the advice gave the value back in a command that would be refused in turn: choice(50k)
    ("a bad number for a setting of an investment that is not selected",
     ["investment.crm.one_off_cost_usd=50k"],
     ["investment.crm.one_off_cost_usd='50k' is not allowed: a number >= 0 and <= 1000000000 (and crm is "
      "not selected: select it with investment=[crm], as it has no settings until then)"]),
    ("a bad number for a setting of an investment that is not selected, another one is",
     ["investment=[accelerators]", "investment.crm.start_month=6.5"],
     ["investment.crm.start_month=6.5 is not allowed: an integer", "investment=[accelerators,crm]"]),
    ("a bad number for a setting the shipped investment's file leaves out, without '+'",
     ["investment=[crm]", "investment.crm.running_cost_usd_per_year=abc"],
     ["investment.crm.running_cost_usd_per_year='abc' is not allowed: a number >= 0",
      "+investment.crm.running_cost_usd_per_year=VALUE"]),
    ("investment starts inside the warm-up",
     ["investment=[crm]", "sim.warmup_months=12", "investment.crm.start_month=6"],
     ["investment.crm.start_month", "6", "warm-up", "sim.warmup_months=12"]),
    ("a rollout for an investment that acts once", ["investment=[accelerators]",
     "investment.accelerators.rollout_months=3"],
     ["investment.accelerators.rollout_months", "acts once, in its start month"]),
    ("two content investments in one scenario", ["investment=[content_flood,enablement_content]"],
     ["investment", "at most one content investment", "describe them as one"]),
    ("two FSM programmes in one job of a sweep",
     ["-m", "investment=[crm],[fsm_isolated_development,fsm_integrated_development]"],
     ["at most one fsm_development investment", "fsm_isolated_development"]),
    ("two overlay investments staffing one segment",
     ["investment=[enterprise_solution_specialists]", "+investment.more.kind=overlay",
      "+investment.more.segment=enterprise"],
     ["investment.more.segment", "enterprise", "no other overlay investment",
      "enterprise_solution_specialists"]),
    ("overlay specialists for a segment without seats",
     ["investment=[enterprise_solution_specialists]", "org.segment_mix={smb:1.0,mid_market:0.0,enterprise:0.0}"],
     ["investment.enterprise_solution_specialists.segment", "enterprise", "a segment with seats", "smb"]),
    ("an overlay round longer than a specialist's week",
     ["investment=[enterprise_solution_specialists]",
      "investment.enterprise_solution_specialists.hours_per_round=40"],
     ["investment.enterprise_solution_specialists.hours_per_round", "40", "at most hours_per_week (30)"]),
    ("added seats that the account share leaves without accounts",
     ["investment=[mid_market_named_accounts]", "investment.mid_market_named_accounts.account_share=0"],
     ["investment.mid_market_named_accounts.account_share", "0", "at least one", "4 added seats"]),
    ("an investment's settings set to an empty mapping",
     ["investment=[enterprise_solution_specialists]", "investment.enterprise_solution_specialists={}"],
     ["investment.enterprise_solution_specialists", "{} changes nothing",
      "investment.enterprise_solution_specialists.NAME=VALUE"]),
    ("an investment's kind changed on the command line",
     ["investment=[mid_market_named_accounts]", "investment.mid_market_named_accounts.kind=overlay"],
     ["investment.mid_market_named_accounts.kind", "overlay", "are not settings of an overlay investment",
      "+investment.NAME.kind=KIND"]),
    ("more added seats than the segment has accounts",
     ["investment=[mid_market_named_accounts]", "investment.mid_market_named_accounts.added_sellers=2000",
      "investment.mid_market_named_accounts.account_share=1"],
     ["investment.mid_market_named_accounts.added_sellers", "2000", "at most the segment's 1600 accounts"]),
    ("a setting of the investment's kind that its file leaves at its default",
     ["investment=[mid_market_named_accounts]", "investment.mid_market_named_accounts.convert_share=0.5"],
     ["investment.mid_market_named_accounts.convert_share", "0.5", "leaves at its default",
      "+investment.mid_market_named_accounts.convert_share=0.5"]),
    ("the largest accounts of a segment whose accounts are alike",
     ["investment=[mid_market_named_accounts]", "market.segments.mid_market.deal_value_sigma=0"],
     ["investment.mid_market_named_accounts.accounts_taken", "largest", "'any'", "all alike"]),
    ("named accounts taken by an unknown rule", ["investment=[mid_market_named_accounts]",
     "investment.mid_market_named_accounts.accounts_taken=biggest"],
     ["investment.mid_market_named_accounts.accounts_taken", "biggest", "any, largest"]),
    ("investment connected=maybe", ["+investment.x.kind=training", "+investment.x.connected=maybe"],
     ["investment.x.connected", "maybe", "true or false"]),
    ("investment connected=1", ["+investment.x.kind=content", "+investment.x.connected=1"],
     ["investment.x.connected", "1", "true or false"]),
    # as sim.resume=yes is: OmegaConf's other words for true and false are not taken
    ("investment connected=yes", ["+investment.x.kind=training", "+investment.x.connected=yes"],
     ["investment.x.connected", "yes", "true or false"]),
    ("investment connected='1'", ["+investment.x.kind=training", "+investment.x.connected='1'"],
     ["investment.x.connected", "1", "true or false"]),
    ("investment start_month 2.5", ["investment=[crm]", "investment.crm.start_month=2.5"],
     ["investment.crm.start_month", "2.5", "integer"]),
    ("investment added_sellers 2.5", ["+investment.x.kind=coverage", "+investment.x.segment=smb",
                                      "+investment.x.added_sellers=2.5"],
     ["investment.x.added_sellers", "2.5", "integer"]),
    ("unknown shipped investment", ["investment=[crm,nosuch]"],
     ["investment", "nosuch", "crm", "quota_stretch"]),
    # It listed the investments without saying that none is [] and several a list
    ("no investment given", ["investment="],
     ["investment='' is not allowed: [] for none, or a list such as [crm,accelerators] of these: "
      "accelerators, "]),
    # Every other misspelt name had a 'did you mean'
    ("a misspelt investment's setting", ["investment=[crm]", "investment.crmm.effect_scale=1"],
     ["investment.crmm.effect_scale=1", "crmm is neither: did you mean crm? add a new one whole"]),
    # sweeps
    ("an experiment without -m", ["experiment=fsm_span"],
     ["experiment", "fsm_span", "this config sweeps fsm.span_of_control, fsm.coaching_quality",
      "run it as a sweep (-m)"]),
    ("an experiment without -m, one of its keys left open", ["experiment=fsm_span",
     "fsm.span_of_control=8"], ["experiment", "fsm_span", "this config sweeps fsm.coaching_quality;"]),
    ("a sweep over a Hydra setting", ["-m", "fsm.span_of_control=5,8", "hydra.launcher.n_jobs=1,2"],
     ["hydra.launcher.n_jobs", "1,2", "hold for the whole sweep"]),
    ("a sweep over launchers", ["-m", "fsm.span_of_control=5,8", "hydra/launcher=basic,joblib"],
     ["hydra/launcher", "basic,joblib", "a single value"]),
    ("the sweeper's params typed", ["-m", "+hydra.sweeper.params.fsm.span_of_control=5,8"],
     ["hydra.sweeper.params.fsm.span_of_control", "a key of an experiment file", "KEY=a,b with -m"]),
    ("the sweeper's params typed whole", ["-m", '++hydra.sweeper.params={fsm.span_of_control:"5,8"}'],
     ["hydra.sweeper.params", "a key of an experiment file"]),
    ("a sweep over experiments", ["-m", "experiment=investments,coverage"],
     ["experiment", "investments,coverage", "one experiment that sweeps per command",
      "investments sweeps investment"]),
    ("sweep with one bad int", ["-m", "fsm.span_of_control=5,8", "org.sellers=10,0,20"],
     ["org.sellers", "0", ">= 1"]),
    ("sweep with one bad choice",
     ["-m", "org.sellers=10,20,30", "market.decision_rule=weighted_consensus,vote"],
     ["market.decision_rule", "vote", "economic_buyer"]),
    ("sweep over a range with a bad end", ["-m", "org.sellers=range(0,3)"], ["org.sellers", "0", ">= 1"]),
    ("sweep over investments with a bad one", ["-m", "investment=[],[crm],[nosuch]"],
     ["investment", "nosuch", "crm"]),
    ("sweep adding to an experiment", ["-m", "experiment=fsm_span", "fsm.coaching_quality=0.5,2"],
     ["fsm.coaching_quality", "2", "<= 1"]),
    ("sweep of an investment setting", ["-m", "+investment.x.kind=training", "+investment.x.boost=0.1,1.1"],
     ["investment.x.boost", "1.1", "<= 1"]),
    ("sweep of an unknown launcher", ["-m", "hydra/launcher=nosuch"], ["hydra/launcher", "nosuch", "joblib"]),
    ("range sweep without -m", ["org.sellers=range(1,5)"], ["org.sellers=range(1,5)", "sweep", "-m"]),
    ("choice sweep without -m", ["fsm.span_of_control=choice(5,8)"], ["choice(5,8)", "sweep", "-m"]),
    ("investment sweep without -m", ["investment=[],[crm]"], ["investment=[],[crm]", "sweep", "-m"]),
    # malformed override syntax
    ("double equals", ["fsm.span_of_control==5"], ["could not read", "fsm.span_of_control==5", "key=value"]),
    ("key without value", ["org.sellers"], ["could not read", "org.sellers", "key=value"]),
    # Hydra's parser named only its tokens: "Error parsing override 'org.sellers'", "no viable
    # alternative at input 'range(5,8'", "LexerNoViableAltException: org.sellers=5;8"
    ("key without value in a sweep", ["-m", "org.sellers"],
     ["could not read the override 'org.sellers'", "it has no '=', so org.sellers is given no value",
      "write org.sellers=VALUE"]),
    ("misspelt key without value", ["org.selers"],
     ["org.selers is not a known key (did you mean sellers?)", "write org.sellers=VALUE"]),
    ("added key without value: the '+' kept where the config lacks the key", ["+investment.x.kind"],
     ["investment.x.kind is given no value", "write +investment.x.kind=VALUE"]),
    ("added misspelt key without value: the key meant, which the config has, set without '+'", ["+org.selers"],
     ["org.selers is not a known key (did you mean sellers?)", "write org.sellers=VALUE"]),
    # a key unknown inside a mapping typed whole was shown with the value '?'
    ("an unknown key inside a mapping", ["org.segment_mix={smb:0.4,mid_markt:0.4,enterprise:0.2}"],
     ["org.segment_mix.mid_markt=0.4 is not allowed: a known key (did you mean "
      "org.segment_mix.mid_market=0.4?"]),
    ("an unknown key inside a group typed whole", ["org={sellers:20,foo:1}"], ["org.foo=1 is not allowed"]),
    # labels of one job typed on a sweep reached every job: its scenarios all had one name (told
    # apart as job 0, job 1), or every job was marked the baseline (the first was taken)
    ("one scenario name for a sweep's jobs", ["-m", "fsm.span_of_control=5,8.5", "sim.scenario=test"],
     ["sim.scenario='test' is not allowed: a name for one scenario: jobs 0 and 1 of this sweep differ "
      "(fsm.span_of_control=5, fsm.span_of_control=8.5)", "leave sim.scenario out of a sweep"]),
    # the first job's value first: sorted as text, 12 came before 6
    ("one scenario name for jobs whose values sort otherwise as text",
     ["-m", "fsm.span_of_control=6,12", "sim.scenario=test"],
     ["jobs 0 and 1 of this sweep differ (fsm.span_of_control=6, fsm.span_of_control=12)"]),
    ("every job of a sweep marked the baseline", ["-m", "fsm.span_of_control=5,8.5", "sim.baseline=true"],
     ["sim.baseline=true is not allowed: true for one job only", "it marks all 2 of its jobs"]),
    # a group's name in capitals was met with "did you mean sim?", or nothing; a key's first
    # letters with nothing
    ("a group's name in capitals", ["Fsm.span_of_control=5"],
     ["Fsm.span_of_control=5 is not allowed: a known key (did you mean fsm.span_of_control=5? "]),
    ("a key's first letters", ["fsm.span=5"],
     ["fsm.span=5 is not allowed: a known key (did you mean fsm.span_of_control=5? fsm has "]),
    # the whole key to copy: a walk was told 'did you mean replications?' of sim.replicatons=3
    ("a setting without its group", ["replications=3"],
     ["replications=3 is not allowed: a known key (did you mean sim.replications=3? the config has sim, "]),
    ("a setting two groups have, without its group", ["weekly_hours=40"],
     # org's or fsm's: neither is guessed
     ["weekly_hours=40 is not allowed: a known key (the config has sim, org, "]),
    # a review: the part corrected alone where the rest is no key of the part meant
    ("a misspelt segment with a setting no segment has", ["market.segments.smbb.win_rate=0.3"],
     ["(did you mean market.segments.smb? market.segments has smb, mid_market, enterprise)"]),
    ("a misspelt segment", ["market.segments.smbb.complexity=0.3"],
     ["(did you mean market.segments.smb.complexity=0.3? market.segments has"]),
    ("a setting without its group, with no value", ["replications"],
     ["replications is not a known key (did you mean sim.replications?); write sim.replications=VALUE"]),
    ("a deletion of a setting without its group", ["~replications"],
     ["there is no replications to delete (the config has sim, org, "]),  # ~sim.replications is refused too
    ("a misspelt setting of an investment", ["investment=[crm]", "investment.crm.admin_hour_saved=3"],
     ["(did you mean investment.crm.admin_hours_saved=3?)"]),
    # a strategist typed sim.years=0.4 and was told of a key they had not typed, with nothing to write
    ("a horizon shorter than the warm-up", ["sim.years=0.4"],
     ["sim.warmup_months=6 is not allowed: fewer months than the horizon (sim.years=0.4 holds 5 months",
      "): sim.years=0.51 or more, or sim.warmup_months=4 or fewer"]),
    ("a warm-up no horizon holds", ["sim.warmup_months=400"],  # no sim.years to suggest: at most 30
     ["sim.warmup_months=400 is not allowed: fewer months than the horizon (sim.years=3.0 holds 36 months "
      "of the 4-4-5 calendar): sim.warmup_months=35 or fewer"]),
    ("a misspelt key swept", ["-m", "sim.replicatons=3,4"],  # the job's 3 alone would run one job
     ["sim.replicatons=3,4 is not allowed: a known key (did you mean sim.replications=3,4? sim has "]),
    ("a value swept, one refused", ["-m", "fsm.span_of_control=0,5"],  # there, the job's value is the point
     ["fsm.span_of_control=0 is not allowed: a number >= 1"]),
    ("a misspelt key whose value is text", ["fsm.coaching_focu=results"],
     ["(did you mean fsm.coaching_focus='results'? fsm has "]),
    ("added misspelt key with a value", ["+org.selers=5"],
     ["org.selers=5 is not allowed: a known key (did you mean org.sellers=5? org has sellers, segment_mix"]),
    ("a space for a key's '='", ["org.sellers", "8"],
     ["could not read the override 'org.sellers'", "'8' follows as an argument of its own",
      "write org.sellers=8"]),
    ("a value without its key", ["8"], ["could not read the override '8'", "8 is a value without its key",
                                        "write KEY=8"]),
    # ... and with the space in one argument, quoted, it was "a value without its key; write
    # KEY=org.sellers 8"
    ("a space for a key's '=' in one argument", ["org.selers 8"],
     ["could not read the override 'org.selers 8': it has no '=': a space stands for it, and org.selers "
      "is not a known key (did you mean sellers?); write org.sellers=8; allowed"]),
    ("a ':' for a key's '=', as a YAML file writes it", ["org.sellers: 8"],
     ["it has no '=': ':' stands for it; write org.sellers=8; allowed"]),
    ("a key followed by a space", ["org.sellers "], ["org.sellers is given no value; write org.sellers=VALUE"]),
    # spaces around '=': Hydra's lexer named only itself ("LexerNoViableAltException: org.sellers =
    # 8"), and a space after '=' had the advice "write org.sellers=,8"
    ("spaces around '=' in one argument", ["org.sellers = 8"],
     ["could not read the override 'org.sellers = 8': a space before its '=' is not read; write "
      "org.sellers=8; allowed"]),
    ("spaces around '=', split by the shell", ["org.selers", "=", "8"],
     ["could not read the override 'org.selers': its '=' follows as an argument of its own", "and "
      "org.selers is not a known key (did you mean sellers?); write org.sellers=8"]),
    ("a space before '=', split by the shell", ["-m", "investment", "=[],[crm]"],
     ["its '=' follows as an argument of its own", "write investment=[],[crm]"]),
    ("a space after '=', split by the shell", ["org.sellers=", "8"],
     ["could not read the override '8'", "a space after its '=' splits it for the shell; write org.sellers=8"]),
    ("an unclosed range in a sweep", ["-m", "org.sellers=range(5,8"],
     ["could not read the override 'org.sellers=range(5,8'", "its '(' is not closed",
      "write org.sellers=range(5,8)"]),
    ("an unclosed list", ["org.sellers=[5,8"], ["its '[' is not closed", "write org.sellers=[5,8]"]),
    ("an unclosed mapping inside a mapping", ["org.segment_mix={smb:{a:1"],
     ["its '{' and '{' are not closed", "write org.segment_mix={smb:{a:1}}"]),
    ("a ';' between a sweep's values", ["-m", "org.sellers=5;8"],
     ["could not read the override 'org.sellers=5;8'", "';' does not separate values: the values of a "
      "sweep are separated by ','", "write org.sellers=5,8; allowed"]),
    ("a ';' between values in a single run", ["org.sellers=5;8"], ["';' does not separate values",
                                                                  "write org.sellers=5,8"]),
    # A ',' in its place made a sweep of a text's two halves: run,2 for the folder run#2.
    ("a '&' in a text, which Hydra reads quoted", ["-m", "sim.scenario=a & b"],
     ["Hydra reads '&' in a value only quoted; write \"sim.scenario='a & b'\"; allowed"]),
    ("a '#' in a folder", ["-m", "hydra.sweep.dir=/tmp/sweeps/run#2"],
     ["Hydra reads '#' in a value only quoted; write \"hydra.sweep.dir='/tmp/sweeps/run#2'\"; allowed"]),
    # in single quotes for the shell: bash expands '!', '$' and '`' inside double quotes
    ("a '!' in a name", ["sim.scenario=crm!"], ["Hydra reads '!' in a value only quoted; write "
                                                "'sim.scenario='\"'\"'crm!'\"'\"''; allowed"]),
    # a name that names files: quoted, validation would refuse it as a name (advice that failed)
    ("a '#' in a job's name", ["hydra.job.name=a#b"],
     ["'#' cannot be in it: hydra.job.name takes a name of at most 100 letters, digits"]),
    # a quote Hydra cannot pair: it said only "LexerNoViableAltException: sim.scenario=it's"
    ("a quote inside a name", ["sim.scenario=it's"],
     ["a quote inside a value reads only in a quoted value; write \"sim.scenario='it\\'s'\"; allowed"]),
    ("a quoted name never closed", ["sim.scenario='abc"],
     ["its opening quote is not closed; write \"sim.scenario='abc'\"; allowed"]),
    ("a letter beyond ASCII in a job's name, quoted", ["hydra.job.name='é'"],
     ["hydra.job.name='é' is not allowed: a name of at most 100 letters, digits, '_', '-' and '.', "
      "all ASCII"]),
    ("a quote inside a job's name", ["hydra.job.name=it's"],
     ["a quote cannot be in it: hydra.job.name takes a name of at most 100 letters"]),
    # a sweep of texts: each value quoted, not the whole (one text with a ',' in it)
    ("a '#' in a sweep of texts", ["-m", "sim.scenario=a#b,c"],
     ["write \"sim.scenario='a#b',c\" for a sweep of its values, or \"sim.scenario='a#b,c'\" for one value"]),
    # a config group, a choice and true/false keep the ',' of a sweep: quoted, they are one value
    ("a ';' between a group's configs", ["-m", "investment=crm;accelerators"],
     ["';' does not separate values", "write investment=crm,accelerators"]),
    ("a ';' between a choice's values", ["-m", "market.decision_rule=unanimity_veto;soft_veto"],
     ["';' does not separate values", "write market.decision_rule=unanimity_veto,soft_veto"]),
    ("a ';' between true and false", ["-m", "sim.progress=true;false"],
     ["';' does not separate values, and sim.progress takes one value: it sets whether a bar shows the "
      "progress, not what a job simulates"]),
    # settings of how the jobs run: each job ran twice, alike
    ("a sweep of the replications run side by side", ["-m", "sim.workers=1,2"],
     ["sim.workers='1,2' is not allowed: a single value", "would simulate alike",
      "give it once, to the whole sweep"]),
    # a strategist's walk read the two runs of one investment ranked against each other
    ("replications swept with investments", ["-m", "investment=[],[crm]", "sim.replications=2,3"],
     ["sim.replications='2,3' is not allowed: a single value when the sweep varies settings too (investment)",
      "or sweep sim.replications alone to see how the intervals narrow"]),
    ("a sweep of the baseline's mark", ["-m", "sim.baseline=true,false"],
     ["sim.baseline='true,false' is not allowed: a single value", "--baseline RUN_FOLDER"]),
    # a list of values typed with a space: the shell splits it, and Hydra's parser named only the
    # tokens it expected ("mismatched input '<EOF>' expecting {':', BRACKET_OPEN, ...}")
    ("a space after a sweep's comma", ["-m", "fsm.span_of_control=5,", "8"],
     ["'fsm.span_of_control=5,'", "'8' follows as an argument of its own", "write fsm.span_of_control=5,8"]),
    ("a space after a sweep's comma, investments", ["-m", "investment=[],", "[crm]"],
     ["'investment=[],'", "write investment=[],[crm]"]),
    ("a space for a sweep's comma", ["-m", "fsm.span_of_control=5", "8"],
     ["could not read the override '8'", "no '='", "write fsm.span_of_control=5,8"]),
    ("spaces after a sweep's commas, three values", ["-m", "fsm.span_of_control=5,", "8,", "11"],
     ["'8,', '11' follow as arguments of their own", "write fsm.span_of_control=5,8,11"]),
    ("a space before a sweep's comma", ["-m", "fsm.span_of_control=5", ",8"],
     ["could not read the override ',8'", "write fsm.span_of_control=5,8"]),
    ("stray parenthesis", ["fsm.span_of_control=5)"], ["could not read", "5)", "key=value"]),
    ("unclosed interpolation", ["org.sellers=${oops"],
     ["could not read", "${oops", "its '${' is not closed; write org.sellers=${oops}", "key=value"]),
    ("interpolation to a missing key", ["org.sellers=${oops}"], ["org.sellers", "oops"]),
    # unknown options
    ("unknown long option", ["--multirun-please"], ["--multirun-please", "allowed", "-m/--multirun"]),
    ("unknown short option", ["-x"], ["'-x'", "allowed", "key=value"]),
    # a user's own config dir: YAML files
    # YAML notices an unclosed bracket a line on, or past the end: the line to mend is named too
    ("user file malformed YAML", [SP, "experiment=malformed"],
     ["malformed.yaml", "line 4", "; the '[' on line 3 (span_of_control: [6) is not closed"]),
    ("user preset with an unclosed mapping", [SP, "org=open_mix"],
     ["open_mix.yaml, line 4", "the '{' on line 3 (segment_mix: {smb: 0.15, mid_market: 0.35, enterprise: 0.5)"
      " is not closed"]),
    ("user file with a tab", [SP, "experiment=tabs"], ["tabs.yaml", "line 3"]),
    ("user file sets an unknown key", [SP, "experiment=unknown_key"],
     ["fsm.spanofcontrol", "known key", "span_of_control"]),
    ("user file sets a wrong type", [SP, "experiment=wrong_type"], ["org.sellers", "integer"]),
    ("user file sets a true/false to 2", [SP, "experiment=trace_two"],
     ["sim.trace=2 is not allowed: true or false (in ", "trace_two.yaml)"]),
    ("a true/false typed as 2 inside a mapping", ["sim={trace: 2}"],
     ["sim.trace=2 is not allowed: true or false"]),
    # Hydra applies the later mapping's 2 (as true): the key typed before it let it pass
    ("a true/false typed as 2 inside a mapping after the key itself", ["sim.trace=true", "sim={trace: 2}"],
     ["sim.trace=2 is not allowed: true or false"]),
    ("user file sets a true/false to a text", [SP, "experiment=resume_text"],
     ["sim.resume='no' is not allowed: true or false (in ", "resume_text.yaml)"]),
    ("user file sets a true/false to an unquoted yes", [SP, "experiment=trace_yes"],
     ["sim.trace='yes' is not allowed: true or false (in ", "trace_yes.yaml)"]),
    ("user preset sets a true/false to an unquoted Off", [SP, "org=progress_off"],
     ["sim.progress='Off' is not allowed: true or false (in ", "org/progress_off.yaml)"]),
    ("a user investment's true/false set to an unquoted yes", [SP, "investment=[connected_yes]"],
     ["investment.connected_yes.connected='yes' is not allowed: true or false (in ",
      "investment/connected_yes.yaml)"]),
    ("a user investment's unquoted yes, chosen by an experiment", [SP, "experiment=picks_connected_yes"],
     ["investment.connected_yes.connected='yes' is not allowed: true or false (in ",
      "investment/connected_yes.yaml)"]),
    ("user file wrong type names the value", [SP, "experiment=wrong_type"],
     ["org.sellers", "lots", "integer"]),
    ("user file is a list", [SP, "experiment=not_a_mapping"], ["experiment", "not_a_mapping"]),
    ("user experiment that includes itself", [SP, "experiment=loop"],
     ["includes itself", "experiment=loop"]),
    ("user experiment that overrides the experiment chosen",
     ["-m", "-cd", "{uc}", "experiment=overrides_experiment"],
     ["experiment='overrides_experiment' is not allowed",
      "'- override /experiment: fsm_span' in its defaults list is ignored", "'- /experiment/fsm_span'", "(in {uc}/experiment/overrides_experiment.yaml)"]),
    ("user experiment file that is empty", [SP, "experiment=empty"],
     ["experiment", "empty", "# @package _global_"]),
    ("user experiment whose sweep params are a list", ["-m", SP, "experiment=list_params"],
     ["hydra.sweeper.params=[a] is not allowed: a mapping", "(in {uc}/experiment/list_params.yaml)"]),
    # each job was refused alone, told to write one job's value, org=small (a review)
    ("user experiment forcing a group's sweep with '++'", ["-m", SP, "experiment=forced_group"],
     ["++org='small,large' is not allowed", "whose choice needs no '+': org=small,large (in "
      "{uc}/experiment/forced_group.yaml, hydra.sweeper.params)"]),
    ("user file interpolates a missing key", [SP, "experiment=missing_ref"], ["org.sellers", "org.headcount"]),
    ("user org preset out of range", [SP, "org=zero"], ["org.sellers", "0", ">= 1", "org/zero.yaml"]),
    # Hydra blamed org.sellers='?', or said "Invalid loaded object type: int", or "Too many components"
    ("user org preset with a colon forgotten", [SP, "org=no_colon"],
     ["{uc}/org/no_colon.yaml: it holds 'sellers 30', a value, not keys with values",
      "a colon after each key"]),
    ("user org preset that is a number", [SP, "org=just_a_number"],
     ["org/just_a_number.yaml: it holds '250'"]),
    # it ran the default 100 sellers without a word
    ("user org preset with a value left to fill in", [SP, "org=unfilled"],
     ["org.sellers='???' is not allowed: a value: '???' marks one still to fill in", "org/unfilled.yaml)"]),
    # Hydra 1.0's header, read by Hydra 1.3 as a key: "_group_='?' is not allowed: a known key"
    ("user org preset with Hydra 1.0's header", [SP, "org=group_keyword"],
     ["org/group_keyword.yaml: its header '# @package _group_' uses Hydra 1.0's keywords",
      "(allowed: the package named, '# @package org')"]),
    ("user org preset whose header has a comment", [SP, "org=header_comment"],
     ["org/header_comment.yaml: its header", "(allowed: the header alone on its line, '# @package org';"]),
    ("a value out of range in a preset an experiment of one's own chooses", [SP, "experiment=picks_zero"],
     ["org.sellers=0", ">= 1", "org/zero.yaml"]),
    ("a user investment's setting out of range", [SP, "investment=[neg_cost]"],
     ["investment.neg_cost.one_off_cost_usd", ">= 0", "investment/neg_cost.yaml"]),
    ("a bad value in one file, the key set validly in another: the file of the bad one is named",
     [SP, "org=bad_sellers", "fsm=sets_sellers"], ["org.sellers='abc'", "(in {uc}/org/bad_sellers.yaml)"]),
    ("the same, the files chosen the other way round",
     [SP, "fsm=sets_sellers", "org=bad_sellers"], ["org.sellers='abc'", "(in {uc}/org/bad_sellers.yaml)"]),
    # Hydra merges the files before the command line: it stopped at the file's value, and the typed
    # one, which it never reached, was blamed without the file
    ("a file's value of the wrong type, the key typed validly", ["-cd", "{uc}", "org=hours_in_words",
                                                                 "org.weekly_hours=40"],
     ["org.weekly_hours='forty' is not allowed: a number > 0", "(in {uc}/org/hours_in_words.yaml)"]),
    ("a file's number with a point for an integer, the key typed validly",
     ["-cd", "{uc}", "org=sellers_with_point", "org.sellers=20"],
     ["org.sellers=30.0 is not allowed: an integer", "(in {uc}/org/sellers_with_point.yaml)"]),
    ("a file's quoted word for a number, the key typed validly",
     ["-cd", "{uc}", "fsm=span_in_words", "fsm.span_of_control=10"],
     ["fsm.span_of_control='ten' is not allowed", "(in {uc}/fsm/span_in_words.yaml)"]),
    ("an experiment's value of the wrong type, the key typed validly in its sweep",
     ["-m", "-cd", "{uc}", "experiment=years_in_words", "sim.years=2"],
     ["sim.years='one' is not allowed", "(in {uc}/experiment/years_in_words.yaml)"]),
    ("a user file's shape in a sweep over presets (the jobs' search path escaped by Hydra)",
     ["-m", SP, "org=list_mix,zero"], ["org.segment_mix=[0.15, 0.35, 0.5]", "list_mix.yaml"]),
    ("a misspelt user investment in a sweep, folder given with -cd",
     ["-m", "-cd", "{uc}", "investment=[],[own_crmm]"], ["did you mean own_crm?", " own_crm,"]),
    # it asked 'did you mean folder_preset?', and listed it (and looped) among the configs allowed
    ("a preset that is a folder", [SP, "org=folder_preset"],
     ["org='folder_preset' is not allowed: one of bad_sellers, default, global_org, ", "log_yes, nested_top",
      "; {uc}/org/folder_preset.yaml is a folder, not a file"]),
    ("a preset that is a link to itself", [SP, "org=looped"],
     ["org='looped' is not allowed: one of bad_sellers, default, global_org, ", "log_yes, nested_top",
      "; {uc}/org/looped.yaml cannot be read: "]),
    ("a missing experiment of one's own, presets of that name in other groups",
     [SP, "experiment=zero"], ["experiment='zero'", "no folder of the search path", "experiment/zero.yaml"]),
    # an org file with the experiments' header, beside a typed org key: the typed key was blamed
    ("a group's file with a global header, and a key typed beside it", [SP, "org=global_org", "org.sellers=20"],
     ["sellers=60", "global_org.yaml", "'# @package org'"]),
    # a thousands separator inside {...} in a file: it passed on OmegaConf's "Key 0 (int) is incompatible"
    ("a thousands separator inside a flow mapping of a file", [SP, "compensation=separated"],
     ["compensation.quota_usd=", "separated.yaml", "write 900000"]),
    # an experiment without its header whose defaults list overrides a group: it named org@experiment.org
    ("an experiment without its header, with a defaults list", [SP, "experiment=no_header_defaults"],
     ["experiment='no_header_defaults'", "'# @package _global_'", "experiment/no_header_defaults.yaml has none"]),
    ("user investment of unknown kind", [SP, "investment=[magic]"],
     ["investment.magic.kind", "magic", "training"]),
    ("user investment after the horizon", [SP, "investment=[late]"],
     ["investment.late.start_month", "500", "before the horizon"]),
    ("user investment in the middle of a month", [SP, "investment=[half_month]"],
     ["investment.half_month.start_month", "6.5", "integer"]),
    # a mistake in an experiment's sweep or defaults list names the file, as README says of any in
    # such a file: Hydra gives the sweep's values to the jobs as if typed
    ("user experiment sweeps a bad value", ["-m", SP, "experiment=bad_sweep"],
     ["fsm.span_of_control", "0", ">= 1", "(in {uc}/experiment/bad_sweep.yaml, hydra.sweeper.params)"]),
    ("user experiment sweeps a misspelt key", ["-m", SP, "experiment=sweeps_misspelt_key"],
     ["fsm.span_of_contrl=5", "did you mean fsm.span_of_control? ",  # the file's key alone, not a job's value
      "(in {uc}/experiment/sweeps_misspelt_key.yaml, hydra.sweeper.params)"]),
    ("user experiment sweeps a misspelt investment", ["-m", SP, "experiment=sweeps_misspelt_inv"],
     ["investment='crmm'", "did you mean crm?", "(in {uc}/experiment/sweeps_misspelt_inv.yaml, hydra.sweeper.params)"]),
    ("user experiment sweeps values that cannot be read", ["-m", SP, "experiment=sweeps_unreadable"],
     ["fsm.span_of_control=5,,8", "(in {uc}/experiment/sweeps_unreadable.yaml, hydra.sweeper.params)"]),
    ("user experiment sweeps null", ["-m", SP, "experiment=sweeps_null"],
     ["fsm.span_of_control=null is not allowed: a comma-separated list of values",
      "'fsm.span_of_control: 6,8,10'", "(in {uc}/experiment/sweeps_null.yaml, hydra.sweeper.params)"]),
    ("user experiment sweeps a mapping", ["-m", SP, "experiment=sweeps_mapping"],
     ["fsm.span_of_control={a: 1} is not allowed: a comma-separated list of values",
      "(in {uc}/experiment/sweeps_mapping.yaml, hydra.sweeper.params)"]),
    ("user experiment sweeps a key written nested", ["-m", SP, "experiment=sweeps_nested"],
     ["fsm={span_of_control: 6,8} is not allowed", "the key written whole with its dots",
      "sweeps_nested.yaml, hydra.sweeper.params)"]),
    ("user experiment's sweep params a text", ["-m", SP, "experiment=params_text"],
     ["hydra.sweeper.params=hello is not allowed: a mapping", "'fsm.span_of_control: 6,8,10'",
      "(in {uc}/experiment/params_text.yaml)"]),
    ("the same, run without -m", [SP, "experiment=params_text"],
     ["hydra.sweeper.params=hello is not allowed", "(in {uc}/experiment/params_text.yaml)"]),
    ("user experiment sweeps an unknown key it adds", ["-m", SP, "experiment=sweeps_added_unknown"],
     ["foo.bar=1,2 is not allowed: a known key (", "(in {uc}/experiment/sweeps_added_unknown.yaml, "
      "hydra.sweeper.params)"]),
    ("an unknown key added below the config's top", ["+foo.bar=1"],
     ["foo.bar=1 is not allowed: a known key (sim, org,"]),
    ("user experiment chooses a misspelt preset", [SP, "experiment=picks_misspelt"],
     ["org='zer'", "did you mean zero?", "(in {uc}/experiment/picks_misspelt.yaml)"]),
    ("user experiment sweeps values written as a list", ["-m", SP, "experiment=sweep_as_list"],
     ["fsm.span_of_control", "[6,10]", "without brackets", "'fsm.span_of_control: 6,10'"]),
    ("user experiment changes a preset without 'override'", ["-m", SP, "experiment=plain_default"],
     ["experiment='plain_default'", "'- override /org: small'", "plain_default.yaml"]),
    ("user experiment chooses the default preset again without 'override'", ["-m", SP, "experiment=default_again"],
     ["experiment='default_again'", "'- override /fsm: default' for '- /fsm: default'", "default_again.yaml"]),
    ("user experiment overrides a group salessim lacks", ["-m", SP, "experiment=group_typo"],
     ["experiment='group_typo'", "/fsmm", "did you mean /fsm?", "group_typo.yaml"]),
    # it was told 'did you mean /experiment?'
    ("a group's file with another group's header", [SP, "compensation=org_header"],
     ["org.quota_usd=", "quota_usd is a key of compensation, the file's group, but its header '# @package "
      "org' puts its keys under org: start it '# @package compensation'", "org_header.yaml"]),
    ("user experiment names a preset in its body", [SP, "experiment=preset_in_body"],
     ["org='small'", "a preset is chosen in the file's defaults list: '- override /org: small'",
      "preset_in_body.yaml"]),
    ("user experiment overrides a misspelt group without its '/'", ["-m", SP, "experiment=no_slash_typo"],
     ["experiment='no_slash_typo'", "/orgg is none: did you mean /org?", "no_slash_typo.yaml"]),
    ("user experiment names a group without 'override' or '/'", ["-m", SP, "experiment=no_override"],
     ["experiment='no_override'", "with a '/': '- override /org: NAME'", "no_override.yaml"]),
    ("user experiment overrides a group without its '/'", ["-m", SP, "experiment=no_slash"],
     ["experiment='no_slash'", "with a '/': '- override /org: NAME'", "no_slash.yaml"]),
    # Hydra's own flag ended in a traceback (UnpicklingError, AttributeError: 'dict' has no 'hydra')
    ("--experimental-rerun of a file that is no pickle", ["--experimental-rerun", "{uc}/not_a_run.pickle"],
     ["--experimental-rerun {uc}/not_a_run.pickle is not a run's config.pickle", "salessim-rerun RUN_FOLDER "
      "runs a finished run again"]),
    ("--experimental-rerun of a pickle of no run", ["--experimental-rerun", "{uc}/settings.pickle"],
     ["--experimental-rerun {uc}/settings.pickle is not a run's config.pickle", "salessim-rerun RUN_FOLDER"]),
    ("searchpath that is not a list", ["hydra.searchpath={uc}", "experiment=mine"],
     ["hydra.searchpath", "list"]),
    ("searchpath that is not a list, in a sweep", ["-m", "hydra.searchpath=file://{uc}", "org=zero,small"],
     ["hydra.searchpath='file://", "a list of folders", "hydra.searchpath=[file:///abs/FOLDER]"]),
    ("a list where a user's org file needs a mapping", [SP, "org=list_mix"],
     ["org.segment_mix=[0.15, 0.35, 0.5]", "a mapping of smb, mid_market, enterprise", "list_mix.yaml"]),
    ("a misspelt key in a user's file: its value, its file and the key meant", [SP, "org=typo_key"],
     ["org.segmnet_mix={'smb': 0.2}", "did you mean org.segment_mix?", "typo_key.yaml"]),
    ("a user's org file that repeats its top key", [SP, "org=nested_top"],
     ["org.org={'sellers': 250}", "'# @package org' header", "nested_top.yaml"]),
    ("a number where a user's market file needs a segment's settings", [SP, "market=segment_number"],
     ["market.segments.enterprise=200000", "a section of settings", "segment_number.yaml"]),
    ("one number for a user's quotas by segment", [SP, "compensation=one_quota"],
     ["compensation.quota_usd=1000000", "a mapping of smb", "written as NAME: VALUE lines",
      "one_quota.yaml"]),
    ("a misspelt user investment in a list: the user's own are listed", [SP, "investment=[own_crmm]"],
     ["investment='own_crmm'", "did you mean own_crm?", " own_crm,", "no folder of the search path"]),
    ("a preset of one's own without a search path", ["org=acme"],
     ["org='acme'", "FOLDER/org/acme.yaml", "hydra.searchpath=[file:///abs/FOLDER]"]),
    ("a preset of one's own saved as .yml", [SP, "org=wrong_ext"],
     ["org='wrong_ext'", "wrong_ext.yml is not read", "only .yaml"]),
    ("an investment of one's own in a folder of another name", [SP, "investment=[stray_inv]"],
     ["investments/stray_inv.yaml is not read", "investment/"]),
    ("a search path naming the group's folder", ["hydra.searchpath=[file://{uc}/org]", "org=zero"],
     ["org/zero.yaml is not read", "the folder that holds org/"]),
    ("a file's path where a preset's name belongs", [SP, "org=org/zero.yaml"],
     ["org='org/zero.yaml'", "a config's name, not a file", "org=zero"]),
    ("user dir given with -cd, bad file", ["-cd", "{uc}", "experiment=unknown_key"],
     ["fsm.spanofcontrol", "known key"]),
    ("user investment file that defines none", [SP, "investment=[empty_inv]"],
     ["investment='[empty_inv]'", "empty_inv.yaml defines no investment", "empty_inv:"]),
    ("user investment file that defines two", [SP, "investment=[crm,two_inv]"],
     ["two_inv.yaml defines two_inv, three_inv", "one investment"]),
    ("user investment file under another name", [SP, "investment=[misnamed_inv]"],
     ["misnamed_inv.yaml defines other_name", "misnamed_inv:"]),
    ("an experiment saved with a byte-order mark", ["-m", SP, "experiment=with_bom"],
     ["{uc}/experiment/with_bom.yaml starts with a byte-order mark", "'# @package _global_' would be ignored",
      "its keys put under experiment", "saved as UTF-8 without the mark"]),
    ("an org file with a global header saved with a byte-order mark", [SP, "org=with_bom"],
     ["{uc}/org/with_bom.yaml starts with a byte-order mark", "'# @package _global_' would be ignored"]),
    # it was told to select the investment it had selected ("holds (none), and kindless is not one")
    ("user investment file without a kind", [SP, "investment=[kindless]"],
     ["investment='[kindless]' is not allowed", "{uc}/investment/kindless.yaml gives kindless no kind",
      "'kind: KIND' under kindless:", "one of training, content"]),
    ("user investment file whose defaults list adds another", [SP, "investment=[builds_on_crm]"],
     ["investment='[builds_on_crm]' is not allowed", "builds_on_crm.yaml's defaults list adds crm",
      "investment=[builds_on_crm,crm]"]),
    ("a fit that does not exist", ["+calibrated=nosuch"],
     ["calibrated='nosuch'", "results/calibrated/NAME.yaml"]),
    # the joblib launcher's settings, which joblib refuses with a traceback mid-sweep (or, for
    # n_jobs, obeys: 100,000 started hundreds of processes on two cores)
    *((f"joblib {key}={value}", ["-m", "fsm.span_of_control=5,8", f"hydra.launcher.{key}={value}"],
       [f"hydra.launcher.{key}=", allowed])
      for key, value, allowed in [("n_jobs", "100000", "from 1 to 256"), ("n_jobs", "300", "from 1 to 256"),
                                  ("prefer", "bogus", "processes, threads"), ("timeout", "-1", "> 0"),
                                  ("pre_dispatch", "abc", "2*n_jobs"), ("batch_size", "0", "auto"),
                                  ("backend", "nosuch", "loky"), ("max_nbytes", "abc", "500M"),
                                  ("max_nbytes", "-1", "bytes >= 0"), ("mmap_mode", "x", "r+")]),
    ("sweeper batch of 0", ["-m", "fsm.span_of_control=5,8", "hydra.sweeper.max_batch_size=0"],
     ["hydra.sweeper.max_batch_size=0", ">= 1"]),
    ("a group given a number", ["fsm=3"], ["fsm=3", "one of default"]),
    ("a job record outside the job's folder", ["hydra.output_subdir=../../x"],
     ["hydra.output_subdir='../../x'", ".hydra"]),
    ("a job record written to /dev/null", ["hydra.output_subdir=/dev/null"], ["hydra.output_subdir", ".hydra"]),
    ("a job name that is a path", ["hydra.job.name=a/b"], ["hydra.job.name='a/b'", "log file"]),
    ("a package on the search path that is not installed", ["hydra.searchpath=[pkg://nosuch_pkg]"],
     ["hydra.searchpath='pkg://nosuch_pkg'", "installed packages"]),
    ("Hydra's help with the app's overrides", ["--hydra-help", "bogus=1"],
     ["--hydra-help", "bogus=1", "hydra/... choices"]),
    ("a section set to null", ["sim=null"], ["sim=null", "a section of settings", "sim.NAME=VALUE"]),
    ("joblib's shared memory", ["-m", "fsm.span_of_control=5,8", "hydra.launcher.require=sharedmem"],
     ["hydra.launcher.require='sharedmem'", "null: Hydra's joblib launcher cannot run its jobs with shared "
      "memory"]),
    ("a variable to copy that is not set", ["hydra.job.env_copy=[SALESSIM_NO_SUCH_VARIABLE]"],
     ["hydra.job.env_copy='SALESSIM_NO_SUCH_VARIABLE'",
      "names of variables set in this command's environment"]),
    ("Hydra's record in the job's folder itself", ["hydra.output_subdir=''"],
     ["hydra.output_subdir=''", "a folder inside the job's folder"]),
    ("a log level mistyped", ["hydra.job_logging.root.level=FOO"],
     ["hydra.job_logging.root.level='FOO'", "a level of Python's logging", "DEBUG, INFO"]),
    ("a log level in lower case", ["-m", "fsm.span_of_control=5,8", "hydra.hydra_logging.root.level=info"],
     ["hydra.hydra_logging.root.level='info'", "a level of Python's logging"]),
    ("a choice given as a list", ["market.decision_rule=[weighted_consensus]"],
     ["market.decision_rule", "one of weighted_consensus, unanimity_veto, soft_veto, economic_buyer"]),
    ("a list for a text key", ["experiment_question=[1]"], ["experiment_question", "a string, or null"]),
    ("a budget under 1,000 USD", ["experiment_budget_usd=150.000"],
     ["experiment_budget_usd=150 is not allowed", "a number >= 1000",
      "150 thousand as written in much of Europe"]),
    ("a budget as text", ["experiment_budget_usd=500k"],  # what to write, and null said once
     ["experiment_budget_usd='500k' is not allowed: a number >= 1000 and <= 1000000000, or null to leave "
      "it unset (a budget", "; write 500000"]),
    ("a money setting in millions", ["compensation.quota_usd.smb=1.5M"],
     ["compensation.quota_usd.smb='1.5M' is not allowed: a number > 0", "; write 1500000"]),
    ("months with a unit, no money hint", ["sim.warmup_months=6m"],
     ["sim.warmup_months='6m' is not allowed: an integer >= 0"]),
    ("hours as a percentage, no share hint", ["tools.internal_hours=70%"],
     ["tools.internal_hours='70%' is not allowed: a number >= 0 and <= 60"]),
    ("a share in thousands, no hint out of range", ["market.gross_margin=0.5k"],
     ["market.gross_margin='0.5k' is not allowed: a number >= 0 and <= 1"]),
    ("a share as a percentage", ["market.gross_margin=70%"],
     ["market.gross_margin='70%' is not allowed: a number >= 0 and <= 1; write 0.7"]),
    ("a share as a whole percentage", ["market.gross_margin=70"],
     ["market.gross_margin=70 is not allowed: a number >= 0 and <= 1; for 70% write 0.7"]),
    ("a share of at most 0.95 as a whole percentage", ["compensation.base_share=60"],
     ["compensation.base_share=60 is not allowed: a number >= 0 and <= 0.95", "; for 60% write 0.6"]),
    ("a decimal comma", ["fsm.span_of_control=8,5"],
     ["'fsm.span_of_control=8,5' is a sweep; allowed: a single value, or run a sweep with salessim -m; "
      "8.5 is written with a point"]),
    ("a sweep of the budget", ["-m", "experiment_budget_usd=100000,200000"],
     ["experiment_budget_usd='100000,200000'", "a single value", "give it once, to the whole sweep"]),
    ("a segment set to a number", ["market.segments.smb=5"],
     ["market.segments.smb=5", "a section of settings", "market.segments.smb.NAME=VALUE"]),
    ("a segment set to a list", ["market.segments.smb=[1,2]"], ["market.segments.smb", "a section of settings"]),
    ("a setting deleted", ["~sim.years"], ["~sim.years is not allowed", "set it with sim.years=VALUE"]),
    ("a setting deleted with its value", ["~fsm.span_of_control=8.5"],
     ["~fsm.span_of_control=8.5", "cannot be deleted"]),
    ("the investments deleted", ["~investment"], ["~investment", "investment=[] for no investment"]),
    # it blamed org.segment_mix.smb=0.4, which the command did not type
    ("a segment deleted", ["~market.segments.smb"],
     ["~market.segments.smb is not allowed alone: the per-segment settings keep values for smb "
      "(org.segment_mix.smb, coverage.accounts_per_seller.smb", "so delete those too",
      "leave a segment without seats by a share of 0 in org.segment_mix, the shares summing to 1, e.g. "
      "\"org.segment_mix={smb:0,mid_market:0.5,enterprise:0.5}\""]),
    ("a segment's value deleted", ["~compensation.quota_usd.enterprise"],
     ["~compensation.quota_usd.enterprise is not allowed while enterprise is a segment: "
      "compensation.quota_usd holds a value for each, set with compensation.quota_usd.enterprise=VALUE",
      "org.segment_mix={smb:0.5,mid_market:0.5,enterprise:0}"]),
    ("a chosen group added again", ["+org=large"], ["+org='large'", "set it with org=large"]),
    ("a chosen group added again beside an experiment", ["-m", "experiment=investments", "+org=large"],
     ["+org='large'", "set it with org=large"]),
    # Hydra said only "force-add of config groups is not supported"
    ("a group forced with '++'", ["++org=large"],
     ["++org='large' is not allowed: a key to add or replace ('++' sets keys); org is a group, whose choice "
      "needs no '+': org=large"]),
    # each job was refused alone: the sweep was told to write org=small, one job's value
    ("a group's sweep forced with '++'", ["-m", "++org=small,large"],
     ["++org='small,large' is not allowed", "whose choice needs no '+': org=small,large"]),
    ("a group the defaults do not choose forced with '++'", ["++calibrated=ours"],
     ["++calibrated='ours'", "which the defaults do not choose: add it with one '+', +calibrated=ours"]),
    ("the option the defaults choose added again", ["+fsm=default"], ["+fsm='default'", "set it with fsm=default"]),
    # it was told to write sim.replications= (a sweep's values without brackets), refused in turn
    ("an empty list for a number", ["sim.replications=[]"],
     ["sim.replications='[]' is not allowed: an integer >= 1 and <= 10000; [] is an empty list, not a value: "
      "give one, e.g. sim.replications=3"]),
    ("an interval swept", ["-m", "fsm.span_of_control=interval(1,5)"],
     ["fsm.span_of_control='interval(1,5)'", "choice(a,b,c) or range(start,stop,step)"]),
    ("a segment the market does not have", ["+market.segments.retail={complexity:0.5}"],
     ["market.segments.retail", "an entry that market.segments has: smb, mid_market, enterprise"]),
    ("user investment file not in UTF-8", [SP, "investment=[latin1_inv]"],
     ["latin1_inv.yaml: it is not UTF-8 text"]),
    ("an override without a key", ["=5"], ["'=5'", "no key", "key=value"]),
    # it was read as a value split from the override before it by a space
    ("a deletion with two '~', after another override", ["sim.years=1", "~~org"],
     ["could not read the override '~~org': no override starts with '~~': a deletion has one '~' (~org)"]),
    ("an override with three '+'", ["+++org=large"],
     ["'+++org=large': no override starts with '+++': one starts with '~' to delete (~org), '+' to add "
      "(+org=large), '++' to add or replace, or with its key"]),
    ("a value beyond ASCII, unquoted", ["sim.scenario=é名"],
     ["sim.scenario=é名", "quote a value with letters beyond ASCII (\"sim.scenario='é名'\")"]),
]


def _params(cases):
    out = []
    for case in cases:
        name, argv, words, *reason = case
        out.append(pytest.param(argv, words, id=name, marks=[bug(reason[0])] if reason else []))
    return out


def assert_rule(code, err: str, out: str, prog: str, words) -> str:
    """Exit 2, one line '<prog>: error: ...' with every word, no traceback. Returns the line."""
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert "Traceback" not in err + out, err[-3000:]
    assert code == 2, (code, err[-3000:])
    assert len(lines) == 1, err
    assert lines[0].startswith(f"{prog}: error: "), lines[0]
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def assert_nothing_written(out: Path) -> None:
    if out.exists():
        written = list(out.rglob("*.parquet")) + list(out.rglob("manifest.json"))
        assert not written, written
    assert not out.exists(), sorted(out.rglob("*"))


def refused_by_salessim(argv: list[str], words, tmp_path: Path, monkeypatch, capsys) -> str:
    """``salessim ARGV``, in-process: preflight must stop it before the job (stubbed here) runs,
    by the rule. Returns the line."""
    out = tmp_path / "out"
    started = []
    monkeypatch.setattr(cli, "_task", lambda: started.append(True))
    monkeypatch.setattr(sys, "argv", ["salessim", *argv, f"hydra.run.dir={out}", f"hydra.sweep.dir={out}"])
    try:
        cli.main()
        code = 0
    except SystemExit as e:
        code = e.code
    captured = capsys.readouterr()
    assert not started, "preflight let the command through to the job"
    line = assert_rule(code, captured.err, captured.out, "salessim", words)
    assert_nothing_written(out)
    return line


@pytest.mark.parametrize("argv,words", _params(SALESSIM))
def test_salessim_refuses(argv, words, uc, tmp_path, monkeypatch, capsys):
    refused_by_salessim(_fill(argv, uc=uc), _fill(words, uc=uc), tmp_path, monkeypatch, capsys)


@pytest.mark.parametrize("typed", ["+calibrated=moved_fit", "calibrated=moved_fit"])
def test_a_fit_salessim_calibrate_put_in_salessim_calibrated_dir_is_named_with_how_to_find_it(
        typed, tmp_path, monkeypatch, capsys):
    """SALESSIM_CALIBRATED_DIR sends salessim-calibrate's fits out of the folders +calibrated reads:
    the error said "one of (none)" of a fit that was there. It names the fits there and the
    override that finds them, the one salessim-calibrate gives at the end of the study."""
    from salessim.calibration.cli import elsewhere_said  # what the study says of where its fit went
    fits = tmp_path / "fits" / "calibrated"
    fits.mkdir(parents=True)
    (fits / "moved_fit.yaml").write_text("# @package _global_\nmarket:\n  neutral_quality: 0.55\n")
    monkeypatch.setenv("SALESSIM_CALIBRATED_DIR", str(fits))
    finding = f"hydra.searchpath=[file://{fits.parent.resolve()}]"
    assert f"add {finding} to the command" in elsewhere_said(fits / "moved_fit.yaml")
    refused_by_salessim([typed], ["calibrated='moved_fit'", f"{fits.resolve()}/NAME.yaml",
                                  "moved_fit is there",
                                  f"for +calibrated=moved_fit to find it, add {finding} to the command"],
                        tmp_path, monkeypatch, capsys)
    misspelt = typed.replace("moved_fit", "moved_fti")
    refused_by_salessim([misspelt], ["calibrated='moved_fti'",
                                     "fits there: moved_fit; did you mean moved_fit?",
                                     f"for +calibrated=NAME to find one, add {finding}"],
                        tmp_path, monkeypatch, capsys)
    other = tmp_path / "other"
    other.mkdir()
    refused_by_salessim([f"hydra.searchpath=[file://{other}]", typed],
                        [f"add {finding} to the command (as one more entry of its hydra.searchpath)"],
                        tmp_path, monkeypatch, capsys)
    # and the override said finds it
    assert check_command(["+calibrated=moved_fit", finding]) == 1


def test_a_fit_typed_as_its_files_path_or_found_one_folder_too_deep_is_told_the_search_path_whole(
        tmp_path, monkeypatch, capsys):
    """A researcher's walk: +calibrated=fits/calibrated/ours (a path) was told to make
    FOLDER/calibrated/fits/calibrated/ours.yaml; the file's whole path, to use calibrated=ours
    without the '+' that salessim then asked for; a search path naming fits/calibrated itself, the
    rule alone. Each now gets the override and the search path that read the file."""
    fits = tmp_path / "fits" / "calibrated"
    fits.mkdir(parents=True)
    (fits / "ours.yaml").write_text("# @package _global_\nmarket:\n  neutral_quality: 0.55\n")
    monkeypatch.chdir(tmp_path)
    finding = f"+calibrated=ours hydra.searchpath=[file://{fits.parent.resolve()}] reads"
    for typed in ("+calibrated=fits/calibrated/ours", f"+calibrated={fits / 'ours.yaml'}"):
        refused_by_salessim([typed], ["a config's name, not a file", finding], tmp_path, monkeypatch, capsys)
    refused_by_salessim(["+calibrated=ours", f"hydra.searchpath=[file://{fits}]"],
                        [f"{fits / 'ours.yaml'} is not read: the search path names the folder that holds "
                         f"calibrated/, here hydra.searchpath=[file://{fits.parent.resolve()}]"],
                        tmp_path, monkeypatch, capsys)
    assert check_command(finding.removesuffix(" reads").split()) == 1
    # the study's folder (its first guess), or its calibrated.yaml: the fit's name, and where it is read
    study = tmp_path / "results" / "calibration" / "ours"
    study.mkdir(parents=True)
    (study / "calibrated.yaml").write_text((fits / "ours.yaml").read_text())
    for typed in ("+calibrated=results/calibration/ours",
                  "+calibrated=results/calibration/ours/calibrated.yaml"):
        refused_by_salessim([typed], ["a fit's name, not its study's folder: copy "
                                      "results/calibration/ours/calibrated.yaml to "
                                      "FOLDER/calibrated/ours.yaml, then +calibrated=ours"],
                            tmp_path, monkeypatch, capsys)
    # where salessim-calibrate installed it for +calibrated, its name alone
    from salessim import compose
    monkeypatch.setattr(compose, "calibrated_dir", lambda: fits)
    monkeypatch.setattr(compose, "fits_moved", lambda: False)
    assert compose._study_fit_said(Path("results/calibration/ours"), "+") == (
        "a fit's name, not its study's folder: +calibrated=ours reads the fit of results/calibration/ours")


@pytest.mark.parametrize("argv", [
    ["investment.crm.one_off_cost_usd=50k"],
    ["investment=[crm]", "investment.crm.running_cost_usd_per_year=abc"],
])
def test_an_investments_advice_gives_back_no_value_that_would_be_refused(argv, tmp_path, monkeypatch, capsys):
    """choice(50k), +KEY=abc: what the advice says to type must not be refused in turn."""
    line = refused_by_salessim(argv, [], tmp_path, monkeypatch, capsys)
    typed = argv[-1].partition("=")[2]
    assert typed not in line.partition(" is not allowed: ")[2], line


# --- valid commands with a user's config dir: preflight must read it the way Hydra does --------------

@pytest.mark.parametrize("argv", [
    pytest.param([SP, "experiment=mine"], id="hydra.searchpath"),
    pytest.param(["-cd", "{uc}", "experiment=mine"], id="-cd DIR"),
    pytest.param(["--config-dir={uc}", "experiment=mine"], id="--config-dir=DIR"),
])
def test_a_user_config_dir_is_read_like_hydra_reads_it(argv, uc):
    assert check_command(_fill(argv, uc=uc)) == 1


def test_salessim_calibrate_names_a_files_value_of_the_wrong_type_not_the_one_typed(uc):
    """As salessim does (the corpus): org.weekly_hours=40 was refused for the file's forty."""
    from salessim.calibration.cli import _validate
    with pytest.raises(UserError) as info:
        check_command(["-cd", str(uc), "org=hours_in_words", "org.weekly_hours=40"], "calibrate", _validate)
    assert info.value.message == (f"org.weekly_hours='forty' is not allowed: a number > 0 and <= 100 "
                                  f"(in {uc}/org/hours_in_words.yaml)")


def test_a_byte_order_mark_before_a_header_hydra_applies_anyway_runs(uc, tmp_path):
    assert check_command([SP.format(uc=uc), "org=with_bom_own_header",
                          f"hydra.run.dir={tmp_path / 'o'}"]) == 1


@pytest.mark.parametrize("typed", ["+investment.kindless.kind=tools", "+investment.kindless={kind: tools}"])
def test_a_kind_typed_for_a_files_investment_without_one_is_taken(typed, uc, tmp_path):
    assert check_command([SP.format(uc=uc), "investment=[kindless]", typed,
                          f"hydra.run.dir={tmp_path / 'o'}"]) == 1


def test_an_experiment_that_includes_anothers_file_runs_its_sweep(uc, tmp_path):
    """'- /experiment/fsm_span' includes the other's settings, its sweep too: what an experiment
    that overrides /experiment (refused, the corpus) is told to write."""
    assert check_command(["-m", "-cd", str(uc), "experiment=includes_fsm_span",
                          f"hydra.sweep.dir={tmp_path / 'o'}"]) == 12


def test_a_value_left_to_fill_in_that_the_command_line_fills_in_runs(uc):
    """'???' is Hydra's mark of a value the command must give: given, it is no mistake."""
    assert check_command([SP.format(uc=uc), "org=unfilled", "org.sellers=30", "sim.replications=1"]) == 1


def test_a_segment_left_without_seats_by_deleting_its_share_runs_as_before(tmp_path):
    """~org.segment_mix.smb with the other shares set ran before deletions of segments were
    checked, and runs still (a review)."""
    assert check_command(["~org.segment_mix.smb", "org.segment_mix.mid_market=0.8",
                          f"hydra.run.dir={tmp_path / 'o'}"]) == 1


def test_an_experiment_whose_params_are_left_empty_sweeps_nothing(tmp_path):
    """'params:' left empty is None to YAML, which Hydra's sweeper takes: a review found it refused
    as 'hydra.sweeper.params=null is not allowed: a mapping'."""
    own = tmp_path / "mine"
    (own / "experiment").mkdir(parents=True)
    (own / "experiment" / "e.yaml").write_text("# @package _global_\nsim: {replications: 1, years: 1}\n"
                                               "hydra: {sweeper: {params:}}\n")
    assert check_command(["-cd", str(own), "experiment=e", f"hydra.run.dir={tmp_path / 'o'}"]) == 1


@pytest.mark.parametrize("typed", ["sim.trace=false", "sim={trace: false}"])
def test_a_true_or_false_typed_replaces_a_files_misspelt_one(typed, uc):
    # The file's trace: 2 is never read: the typed value is the one Hydra uses, itself or in a mapping
    assert check_command(_fill([SP, "experiment=trace_two", typed], uc=uc)) == 1


def test_a_true_or_false_typed_after_a_mapping_replaces_its_misspelt_one():
    # Hydra applies the later sim.trace=false: the mapping's 2 is never read
    assert check_command(["sim={trace: 2}", "sim.trace=false"]) == 1


def test_a_true_or_false_written_in_capitals_in_a_file_is_taken(uc):
    assert check_command(_fill([SP, "experiment=trace_capital"], uc=uc)) == 1
    # a setting typed replaces the file's
    assert check_command(_fill([SP, "investment=[connected_yes]", "investment.connected_yes.connected=true"],
                               uc=uc)) == 1


def test_a_config_dir_comes_before_the_searchpath_entries_as_in_hydra(uc, tmp_path):
    """Hydra looks in -cd DIR before the hydra.searchpath entries: the same file in both comes
    from DIR, and the entry's broken copy is never read."""
    (tmp_path / "experiment").mkdir()
    (tmp_path / "experiment" / "mine.yaml").write_text(USER_FILES["experiment/wrong_type.yaml"])
    assert check_command(["-cd", str(uc), f"hydra.searchpath=[file://{tmp_path}]", "experiment=mine"]) == 1


# --- salessim-compare ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> Path:
    """A two-job sweep folder as salessim -m writes it (tables + manifest), made in-process."""
    root = tmp_path_factory.mktemp("sweep")
    for job, span in enumerate((8.0, 5.0)):
        cfg = tiny_config(replications=2, years=0.5)
        cfg.fsm.span_of_control = span
        run_scenario(cfg, scenario=f"fsm.span_of_control={span}", out_dir=root / str(job))
    return root


def _copy(sweep: Path, dest: Path) -> Path:
    shutil.copytree(sweep, dest, ignore=shutil.ignore_patterns("comparison"))
    return dest


def _all_incomplete(sweep: Path, dest: Path) -> Path:
    """Every job has a manifest.json, none is usable: one unreadable, one missing a table."""
    copy = _copy(sweep, dest)
    (copy / "0" / "manifest.json").write_text("{not json")
    (copy / "1" / "kpis.parquet").unlink()
    return copy


def _unrelated(tmp: Path) -> Path:
    folder = tmp / "downloads"
    folder.mkdir()
    for name, text in {"notes.txt": "hello", "data.csv": "a,b\n1,2\n", "report.html": "<p>x</p>"}.items():
        (folder / name).write_text(text)
    return folder


COMPARE = [
    # (id, make(sweep, tmp) -> argv, words[, bug])
    ("folder of unrelated files", lambda s, t: [str(_unrelated(t))],
     ["not a sweep folder", "no job folders", "allowed"]),
    ("a misspelt option", lambda s, t: [str(_unrelated(t)), "--rankby", "npv"],
     ["unrecognized arguments: --rankby npv; did you mean --rank-by?"]),
    *((f"a discount rate of {rate}", lambda s, t, rate=rate: [str(_unrelated(t)), "--discount-rate", rate],
       ["--discount-rate", f"'{rate}' is not allowed", "a yearly rate from 0 to below 1, e.g. 0.08"])
      for rate in ("8%", "1.5", "-0.1", "nan")),
    *((f"a budget of {amount}", lambda s, t, amount=amount: [str(_unrelated(t)), "--budget", amount],
       ["--budget", f"'{amount}' is not allowed",
        "an amount in USD from 1,000 to 1,000M, e.g. 500000, 500,000, 500k"])
      for amount in ("0", "0.001", "150.000", "-500", "ten", "1.5B", "nan", "inf", "$500k", "1,5M",
                     "500,00", "1500.000", "2,500.000", "1.500k", "-300k", "1e99", "2000M")),
    # said 'not a sweep folder: no job folders' of a sweep stopped before its first job
    ("a sweep stopped before any job", lambda s, t: [str(_stopped_early(t / "early"))],
     ["no job of", "has finished", "multirun.yaml", "sim.resume=true"]),
    ("a horizon of 0 years", lambda s, t: [str(_unrelated(t)), "--years", "0"],
     ["--years", "'0' is not allowed", "a horizon in years, as sim.years"]),
    ("a warm-up of part of a month", lambda s, t: [str(_unrelated(t)), "--warmup-months", "2.5"],
     ["--warmup-months", "'2.5' is not allowed", "a whole number of months"]),
    ("a horizon no job measures", lambda s, t: [str(_copy(s, t / "s")), "--years", "7"],
     ["--years 7 keeps no job of this sweep", "allowed: what its jobs run: --years 0.5"]),
    ("a setting every job runs at one value",
     lambda s, t: [str(_copy(s, t / "s")), "--at", "market.forms.complex_adaptive_weight=0.9"],
     ["--at market.forms.complex_adaptive_weight=0.9", "is run at one value by every job",
      "allowed: a setting its jobs run at different values, or a group they choose differently: fsm."]),
    ("a setting without its value", lambda s, t: [str(_unrelated(t)), "--at", "sim.seed"],
     ["--at", "'sim.seed' is not allowed", "KEY=VALUE"]),
    # argparse kept the last of two without a word: the comparison ran under one budget of two
    ("a budget given twice", lambda s, t: [str(_copy(s, t / "s")), "--budget", "400k", "--budget=500k"],
     ["--budget is given twice (--budget 400k and --budget 500k)", "allowed: --budget once"]),
    ("a baseline given twice", lambda s, t: [str(_copy(s, t / "s")), "--baseline", "0", "--baseline", "1"],
     ["--baseline is given twice (--baseline 0 and --baseline 1)"]),
    ("path below a file", lambda s, t: [str(_unrelated(t) / "notes.txt" / "sweep")],
     ["does not exist", "allowed"]),
    ("every job incomplete", lambda s, t: [str(_all_incomplete(s, t / "s"))], ["incomplete", "allowed"]),
    ("baseline is an incomplete job", lambda s, t: [str(_all_incomplete(s, t / "s")), "--baseline", "1"],
     ["--baseline '1'", "incomplete", "allowed: a finished job"]),
    ("no SWEEP_DIR", lambda s, t: [], ["SWEEP_DIR", "required", "allowed"]),
    ("two SWEEP_DIRs", lambda s, t: [str(_copy(s, t / "s")), "extra"],
     ["one SWEEP_DIR at a time", "'extra'", "allowed: one sweep folder", "--baseline FOLDER"]),
    ("--baseline without a value", lambda s, t: [str(_copy(s, t / "s")), "--baseline"],
     ["--baseline", "expected one argument", "allowed"]),
    ("--baseline empty", lambda s, t: [str(_copy(s, t / "s")), "--baseline", ""],
     ["--baseline '' is empty", "allowed: a scenario name"]),
    # the shell cut the list at its spaces; argparse named the second word alone
    ("--metrics with spaces after its commas",
     lambda s, t: [str(_unrelated(t)), "--metrics", "win_rate,", "bookings,", "net_gain"],
     ["unrecognized arguments: bookings, net_gain; a list is one word, with no spaces after its commas: "
      "--metrics win_rate,bookings,net_gain"]),
    ("--metrics empty", lambda s, t: [str(_copy(s, t / "s")), "--metrics", ","],
     ["--metrics is empty", "'win_rate'"]),
    ("--metrics names a text column", lambda s, t: [str(_copy(s, t / "s")), "--metrics", "scenario"],
     ["'scenario'", "not a numeric summary column", "'bookings_usd'"]),
    ("a name too long for a folder", lambda s, t: [str(t / ("x" * 300))],
     ["has a name of 300 bytes", "at most 255 bytes"]),
    ("a file named comparison in the sweep", lambda s, t: [str(_with_file(_copy(s, t / "s"), "comparison"))],
     ["comparison is a file", "move the file"]),
]


def _stopped_early(folder: Path) -> Path:
    """A sweep's folder as Ctrl-C leaves it before its first job: Hydra's record alone."""
    folder.mkdir()
    (folder / "multirun.yaml").write_text("hydra:\n  overrides:\n    task: [fsm.span_of_control=5,8]\n")
    return folder


def _with_file(folder: Path, name: str) -> Path:
    (folder / name).write_text("mine")
    return folder


@pytest.mark.parametrize("make,words", [
    pytest.param(make, words, id=name, marks=[bug(r[0])] if r else []) for name, make, words, *r in COMPARE])
def test_compare_refuses(make, words, sweep, tmp_path, capsys):
    argv = make(sweep, tmp_path)
    try:
        compare_command.main(argv)
        code = 0
    except SystemExit as e:
        code = e.code
    captured = capsys.readouterr()
    assert_rule(code, captured.err, captured.out, "salessim-compare", words)
    assert not [p for p in tmp_path.rglob("comparison") if p.is_dir()], "a comparison folder was written"
    assert all(p.read_text() == "mine" for p in tmp_path.rglob("comparison"))  # a user's file is left
    assert not list(tmp_path.rglob(".comparison*"))


# --- salessim-rerun -----------------------------------------------------------------------------------

def _job(tmp: Path, manifest) -> Path:
    folder = tmp / "job"
    folder.mkdir()
    if manifest is not None:
        text = manifest if isinstance(manifest, str) else json.dumps(manifest)
        (folder / "manifest.json").write_text(text)
    return folder


def _manifest(**changes) -> dict:
    """A manifest as salessim writes it (the default config, its fingerprint), with ``changes``."""
    config = dataclasses.asdict(Config())
    meta = {"scenario": "baseline", "seed": config["sim"]["seed"],
            "replications": config["sim"]["replications"], "config_hash": config_hash(config),
            "config": config, "tables": ["summary"]}
    return {**meta, **changes}


def _without(meta: dict, section: str, key: str) -> dict:
    del meta["config"][section][key]
    meta["config_hash"] = config_hash(meta["config"])  # a consistent manifest, short of one key
    return meta


def _edited(meta: dict) -> dict:
    meta["config"]["org"]["sellers"] = 7  # a value changed by hand, its fingerprint left as it was
    return meta


_READABLE = _manifest()  # a manifest salessim-rerun accepts

RERUN = [
    # (id, make(tmp) -> RUN_DIR (or the whole command line), words[, bug])
    ("missing folder", lambda t: t / "nope", ["nope is not a folder", "allowed"]),
    ("a file", lambda t: _unrelated(t) / "notes.txt", ["notes.txt is not a folder", "allowed"]),
    ("folder without manifest", lambda t: _job(t, None), ["no readable manifest.json", "allowed"]),
    ("a sweep folder", lambda t: _sweep_with_a_job(t / "sweep"),
     ["sweep is a sweep folder", "allowed: one of its job folders", "sweep/job"]),
    # results/runs, or a folder of salessim.run's runs, is no sweep (it used to be called one)
    ("a folder of runs", lambda t: (t / "runs").mkdir() or _job(t / "runs", _READABLE).parent,
     ["runs is a folder of jobs, not a job", "allowed: one of its job folders", "runs/job"]),
    # it was said to be a job that has not finished yet
    ("a sweep's comparison", lambda t: _comparison_beside_a_job(t),
     ["comparison is a comparison that salessim-compare wrote, not a job",
      "allowed: one of the sweep's job folders", "/job)"]),
    # the manifest is what a rerun reads, but the command takes its folder (it said "not a folder")
    ("a job's manifest.json", lambda t: _job(t, _READABLE) / "manifest.json",
     ["manifest.json is a job's manifest.json, not its folder", "allowed: the folder that holds it",
      "/job)"]),
    # a key this salessim does not know: the message says where the manifest may come from
    ("config with a key of another version",
     lambda t: _job(t, _manifest(git_commit="0123abc", config={"org": {"bogus": 3}})),
     ["org.bogus", "edited, or written by a salessim other than this one: made at commit 0123abc"]),
    ("manifest not JSON", lambda t: _job(t, "{config: nope"), ["no readable manifest.json", "allowed"]),
    ("manifest without config", lambda t: _job(t, {"tables": ["summary"]}),
     ["no readable manifest.json", "allowed"]),
    ("manifest is a JSON list", lambda t: _job(t, [1, 2]), ["manifest.json", "allowed"]),
    ("config with unknown key", lambda t: _job(t, {"config": {"org": {"bogus": 3}}}),
     ["org.bogus", "3", "sellers"]),
    ("config with wrong type", lambda t: _job(t, {"config": {"org": {"sellers": "many"}}}),
     ["org.sellers", "many", "integer"]),
    ("config out of range", lambda t: _job(t, {"config": {"fsm": {"span_of_control": 0}}}),
     ["fsm.span_of_control", "0", ">= 1"]),
    ("config warm-up beyond horizon",
     lambda t: _job(t, {"config": {"sim": {"years": 1, "warmup_months": 12}}}),
     ["sim.warmup_months", "12", "horizon"]),
    ("config with unknown investment kind",
     lambda t: _job(t, {"config": {"investment": {"x": {"kind": "magic"}}}}),
     ["investment.x.kind", "magic", "training"]),
    ("config with a reference that points nowhere",
     lambda t: _job(t, {"config": {"sim": {"years": "${nowhere.years}"}}}),
     ["sim.years", "${nowhere.years}", "resolved", "not found"]),
    ("unknown option", lambda t: [str(_job(t, {"config": {}})), "--frobnicate"], ["--frobnicate", "allowed"]),
    ("no RUN_DIR", lambda t: [], ["run_dir", "required"]),
    ("--out is a file", lambda t: [str(_job(t, _READABLE)), "--out", str(_unrelated(t) / "notes.txt")],
     ["--out", "notes.txt is a file", "allowed: a new folder"]),
    ("--out cannot be created",
     lambda t: [str(_job(t, _READABLE)), "--out", str(_unrelated(t) / "notes.txt" / "sub")],
     ["--out", "cannot be created", "allowed: a new folder"]),
    ("a table the manifest lists is missing", lambda t: _job(t, _READABLE),
     ["summary.parquet is listed in", "manifest.json but missing", "allowed"]),
    ("a table the manifest lists is unreadable",
     lambda t: (_job(t, _READABLE) / "summary.parquet").write_text("x") and t / "job",
     ["summary.parquet is listed in", "unreadable", "allowed"]),
    ("--out holds another job's results",
     lambda t: [str(_job(t, _READABLE)), "--out", str(_finished_elsewhere(t))],
     ["--out", "already holds a job's results", "replace them"]),
    ("--out is a sweep's folder",
     lambda t: [str(_job(t, _READABLE)), "--out", str(_sweep_elsewhere(t))],
     ["--out", "is a sweep's folder", "allowed: a new folder"]),
    # salessim refused these for hydra.run.dir, salessim-rerun ran into them: the next comparison
    # ranked a job 9 the sweep never planned, or refused to replace the comparison folder
    ("--out inside a sweep's folder", lambda t: _rerun_into_a_sweep(t, "9"),
     ["--out='", "is not allowed: a folder of its own for the run, outside a sweep's folder (",
      "sweep is a sweep's, which would take the run for one of its jobs)"]),
    ("--out inside a sweep's job folder", lambda t: _rerun_into_a_sweep(t, "job/new"),
     ["--out='", "is not allowed: a folder outside the folders of salessim's jobs and comparisons (it is "
      "inside ", "sweep/job, the folder of a job's results)"]),
    ("--out where a sweep's comparison goes", lambda t: _rerun_into_a_sweep(t, "comparison"),
     ["--out='", "is not allowed: a folder outside the folders of salessim's jobs and comparisons "
      "(salessim-compare writes the comparison of the sweep ", "sweep there)"]),
    ("--out inside where a sweep's comparison goes", lambda t: _rerun_into_a_sweep(t, "comparison/mine"),
     ["--out='", "a folder outside the folders of salessim's jobs and comparisons (it is inside ",
      "sweep/comparison, where salessim-compare writes the comparison of the sweep ",
      "sweep, replacing the folder whole)"]),
    ("--out inside a sweep's comparison", lambda t: _rerun_into_a_sweep(t, "comparison/mine", compared=True),
     ["--out='", "a folder outside the folders of salessim's jobs and comparisons (it is inside ",
      "sweep/comparison, a comparison that salessim-compare replaces whole when it compares again)"]),
    # refused by what was typed, not as the current folder '.' an empty path reads as
    ("--out is empty", lambda t: [str(_job(t, _READABLE)), "--out", ""],
     ["--out: '' is not allowed: a folder's path, not an empty value"]),
    ("a name too long for a folder", lambda t: [str(t / ("x" * 300))], ["has a name of 300 bytes"]),
    # refused before any folder of the path is made (it used to leave the first one behind)
    ("--out with a name too long", lambda t: [str(_job(t, _READABLE)), "--out", str(t / "new" / ("x" * 300))],
     ["--out", "has a name of 300 bytes"]),
    ("a table short of a column it was written with", lambda t: _job_with_summary(t, ["a", "b"], ["a"]),
     ["summary.parquet is listed in", "not as it was written", "it lacks b", "allowed"]),
    ("a manifest that lists no tables", lambda t: _job(t, _manifest(tables=[])),
     ["lists no tables", "allowed"]),
    ("a config short of a key", lambda t: _job(t, _without(_manifest(), "coverage", "qualify_hours")),
     ["lacks coverage.qualify_hours", "today's default", "allowed"]),
    ("a config edited by hand", lambda t: _job(t, _edited(_manifest())),
     ["is not the one the job ran", "config_hash", "edited", "allowed"]),
    ("a seed that is not its config's", lambda t: _job(t, _manifest(seed=12345)),
     ["says seed 12345", "sim.seed is 20261128", "allowed"]),
    ("no scenario name", lambda t: _job(t, {k: v for k, v in _manifest().items() if k != "scenario"}),
     ["has no scenario name", "allowed"]),
]


def _comparison_beside_a_job(tmp: Path) -> Path:
    _job(tmp, _READABLE)
    (tmp / "comparison").mkdir()
    for name in ("comparison.csv", "report.html"):
        (tmp / "comparison" / name).write_text("")
    return tmp / "comparison"


def _sweep_with_a_job(folder: Path) -> Path:
    folder.mkdir()
    (folder / "multirun.yaml").write_text("hydra: {}\n")  # Hydra writes one into every sweep's folder
    return _job(folder, _READABLE).parent


def _job_with_summary(tmp: Path, written: list[str], now: list[str]) -> Path:
    """A job whose manifest says summary was written with ``written`` columns; it holds ``now``."""
    import pandas as pd

    folder = _job(tmp, _manifest(columns={"summary": written}))
    pd.DataFrame({c: [1.0] for c in now}).to_parquet(folder / "summary.parquet", index=False)
    return folder


def _rerun_into_a_sweep(tmp: Path, out: str, compared: bool = False) -> list[str]:
    """salessim-rerun of a sweep's job with --out ``out`` inside the sweep's folder (``compared``:
    the sweep's comparison written)."""
    sweep = tmp / "sweep"
    sweep.mkdir()
    (sweep / "multirun.yaml").write_text("hydra: {}\n")
    job = _comparison_beside_a_job(sweep).parent / "job" if compared else _job(sweep, _READABLE)
    return [str(job), "--out", str(sweep / out)]


def _sweep_elsewhere(tmp: Path) -> Path:
    folder = tmp / "a_sweep"
    folder.mkdir()
    (folder / "multirun.yaml").write_text("hydra: {}\n")
    return folder


def _finished_elsewhere(tmp: Path) -> Path:
    """Another job's folder, with its manifest: what --out must never overwrite."""
    folder = tmp / "other_job"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"config": {}}')
    return folder


@pytest.mark.parametrize("make,words", [
    pytest.param(make, words, id=name, marks=[bug(r[0])] if r else []) for name, make, words, *r in RERUN])
def test_rerun_refuses(make, words, tmp_path, capsys):
    out = tmp_path / "rerun_out"
    made = make(tmp_path)
    argv = made if isinstance(made, list) else [str(made), "--out", str(out)]
    try:
        code = rerun.main(argv)
    except SystemExit as e:
        code = e.code
    captured = capsys.readouterr()
    assert_rule(code, captured.err, captured.out, "salessim-rerun", words)
    assert_nothing_written(out)


# --- salessim.run (Python API): raises UserError with one line, never exits ----------------------------

API = [
    ("mapping with a wrong type", {"org.sellers": "many"}, ["org.sellers", "many", "integer"]),
    ("mapping with an out-of-range value", {"sim.years": 0}, ["sim.years", "0", "> 0"]),
    ("unknown key", ["fsm.spanofcontrol=8"], ["fsm.spanofcontrol", "known key"]),
    ("sweep syntax", ["sim.seed=1,2"], ["sim.seed=1,2", "sweep"]),
    ("a CLI flag", ["-m", "org.sellers=5"], ["'-m' is a flag of the salessim command", "not an override", "key=value"]),
    ("investment of unknown kind", ["+investment.x.kind=magic"], ["investment.x.kind", "magic", "training"]),
    ("contradiction", {"market.segments.smb.stakeholders_min": 3},
     ["market.segments.smb.stakeholders_min", "3", "stakeholders_max (2)"]),
    ("unset environment variable", ["fsm.span_of_control=${oc.env:SALESSIM_TEST_UNSET_VARIABLE}"],
     ["fsm.span_of_control", "SALESSIM_TEST_UNSET_VARIABLE"]),
    ("one string instead of a list", "fsm.span_of_control=0", ["fsm.span_of_control", "0", ">= 1"]),
    ("an experiment (a sweep)", ["experiment=fsm_span"], ["experiment", "fsm_span", "this config sweeps"]),
    ("a search path folder that does not exist", ["org=small", "hydra.searchpath=[file:///nonexistent/x]"],
     ["hydra.searchpath", "folders that exist"]),
    ("a number instead of overrides", 5, ["overrides=5", "key=value"]),
    ("a list of numbers", [1, 2], ["overrides=[1, 2]", "key=value"]),
    ("a list of mappings", [{"org": "small"}], ["overrides=", "key=value"]),
]


@pytest.mark.parametrize("make,words", [
    (lambda t: _unrelated(t) / "notes.txt", ["out_dir", "notes.txt is a file"]),
    (lambda t: _unrelated(t) / "notes.txt" / "sub", ["out_dir", "cannot be created"]),
    (_finished_elsewhere, ["out_dir", "holds a job's results", "sim.resume=true"]),
    # as salessim and salessim-rerun refuse them: a job the sweep never planned, a folder in a job's
    (lambda t: _sweep_elsewhere(t) / "9", ["out_dir", "outside a sweep's folder"]),
    (lambda t: _finished_elsewhere(t) / "sub", ["out_dir", "outside the folders of salessim's jobs"]),
])
def test_api_refuses_an_output_folder_before_running(make, words, tmp_path):
    out = make(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with pytest.raises(UserError) as info:
        salessim.run({"org": "small"}, out_dir=out)
    for word in words:
        assert word in info.value.message, (word, info.value.message)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("overrides,words", [
    pytest.param(o, w, id=name, marks=[bug(r[0])] if r else []) for name, o, w, *r in API])
def test_api_raises_user_error(overrides, words, tmp_path, monkeypatch):
    monkeypatch.delenv("SALESSIM_TEST_UNSET_VARIABLE", raising=False)
    out = tmp_path / "out"
    with pytest.raises(UserError) as info:
        salessim.run(overrides, out_dir=out)
    message = info.value.message
    assert "\n" not in message and message.strip() == message and message
    for word in words:
        assert word in message, (word, message)
    assert_nothing_written(out)


# --- the same rule, proven with real processes (run in parallel) ---------------------------------------

PROGRAMS = {"salessim": "salessim", "salessim-compare": "salessim.compare_command",
            "salessim-rerun": "salessim.rerun", "salessim-calibrate": "salessim.calibration.cli"}

CLI = [
    # (id, program, argv, words[, bug]); {uc}: the user config dir, {tmp}: this case's own folder,
    # {out_of_range}: a job folder whose manifest's config is out of range
    ("unknown segment key", "salessim", ["market.segments.smb.bogus=1"],
     ["market.segments.smb.bogus", "known key"]),
    ("float for an int", "salessim", ["org.sellers=10.5"], ["org.sellers", "10.5", "integer"]),
    ("fsm business hours at a wide span", "salessim", ["fsm.span_of_control=45"],
     ["fsm.span_of_control", "45"]),
    ("investment skill charm", "salessim", ["+investment.x.kind=training", "+investment.x.skill=charm"],
     ["investment.x.skill", "charm", "process"]),
    ("sweep with one bad choice", "salessim",
     ["-m", "org.sellers=10,20", "market.decision_rule=weighted_consensus,vote"],
     ["market.decision_rule", "vote"]),
    ("range sweep without -m", "salessim", ["org.sellers=range(1,5)"], ["sweep", "-m"]),
    ("a '#' in a calibration's name", "salessim-calibrate", ["calibration.name=a#b"],
     ["'#' cannot be in it: calibration.name takes a name of at most 100 letters"]),
    # it was told to quote it, and then refused quoted
    ("a letter beyond ASCII in a calibration's name", "salessim-calibrate", ["calibration.name=é"],
     ["could not read the override 'calibration.name=é': a letter beyond ASCII cannot be in it: "
      "calibration.name takes a name of at most 100 letters, digits, '_', '-' and '.', all ASCII, that "
      "starts with a letter or digit; allowed: key=value"]),
    # pandas read the second as 'value.1': "unknown column 'value.1' (did you mean 'value'?"
    ("a targets file with a column twice", "salessim-calibrate",
     ["calibration.targets_file={uc}/value_twice.csv"],
     ["/value_twice.csv: column 'value' is given twice (allowed: each column once: metric, value,"]),
    # it was told how a sweep writes its values, where a study runs one setting
    ("a list for a number in a study", "salessim-calibrate", ["fsm.span_of_control=[6,8]"],
     ["fsm.span_of_control='[6,8]' is not allowed: a number >= 1 and <= 100; a study runs at one setting: "
      "give one value, without brackets (e.g. fsm.span_of_control=8.5, its default)"]),
    # its example was the first value typed, refused in turn (a review)
    ("a list for a number in a study, the first out of range", "salessim-calibrate", ["org.sellers=[0,5]"],
     ["give one value, without brackets (e.g. org.sellers=100, its default)"]),
    ("double equals", "salessim", ["fsm.span_of_control==5"], ["could not read"]),
    ("an unclosed range", "salessim", ["-m", "org.sellers=range(5,8"],
     ["its '(' is not closed; write org.sellers=range(5,8)"]),
    # salessim-calibrate reads its command line as salessim does, and runs one study: no -m, no sweep
    ("calibrate: a ';' between values", "salessim-calibrate", ["org.sellers=5;8"],
     ["could not read the override 'org.sellers=5;8'", "';' does not separate values",
      "salessim-calibrate runs one study, with one value of each key; write org.sellers=5; allowed: key=value"]),
    ("calibrate: a misspelt key without value", "salessim-calibrate", ["calibration.n_trals"],
     ["calibration.n_trals is given no value", "(did you mean n_trials?)", "write calibration.n_trials=VALUE"]),
    ("calibrate: an unclosed list", "salessim-calibrate", ["org.sellers=[5,8"],
     ["its '[' is not closed; write org.sellers=[5,8]"]),
    ("calibrate: a free parameter's log unquoted yes in a user's file", "salessim-calibrate",
     [SP, "org=log_yes"],
     ["calibration.params.market.neutral_quality.log='yes' is not allowed: true or false (in ",
      "org/log_yes.yaml)"]),
    ("user file sets an unknown key", "salessim", [SP, "experiment=unknown_key"],
     ["fsm.spanofcontrol", "known key"]),
    ("compare: folder of unrelated files", "salessim-compare", ["{uc}"], ["not a sweep folder"]),
    ("rerun: config out of range", "salessim-rerun", ["{out_of_range}", "--out", "{tmp}/out"],
     ["fsm.span_of_control", "0"]),
    # what only a real process shows: Hydra's own flags and warnings
    ("searchpath that does not exist", "salessim",
     ["hydra.searchpath=[file://{tmp}/nowhere]", "experiment=mine"],
     ["hydra.searchpath", "nowhere", "exist"]),
    ("-cd DIR that does not exist", "salessim", ["-cd", "{tmp}/nowhere"], ["nowhere"]),
    ("-cn NAME that does not exist", "salessim", ["-cn", "nosuch"], ["nosuch"]),
    ("a key of salessim-calibrate", "salessim", ["calibration.n_trials=2"],
     ["calibration.n_trials=2", "belongs to salessim-calibrate",
      "salessim-calibrate calibration.n_trials=2"]),
    ("--cfg=bogus", "salessim", ["--cfg=bogus"], ["--cfg", "bogus", "job"]),
    ("--experimental-rerun FILE that does not exist", "salessim",
     ["--experimental-rerun", "{tmp}/none.pickle"],
     ["none.pickle"]),
]


@pytest.fixture(scope="module")
def cli_runs(uc, tmp_path_factory) -> dict[str, tuple[subprocess.CompletedProcess, Path]]:
    """Every CLI case as a real process, several at a time; keyed by the case id."""
    base = tmp_path_factory.mktemp("cli")
    paths = {"uc": uc, "out_of_range": base / "out_of_range"}
    paths["out_of_range"].mkdir()
    manifest = {"config": {"fsm": {"span_of_control": 0}}}
    (paths["out_of_range"] / "manifest.json").write_text(json.dumps(manifest))

    def run(i: int, case) -> tuple[str, tuple[subprocess.CompletedProcess, Path]]:
        name, prog, argv, *_ = case
        tmp = base / f"case{i}"
        tmp.mkdir()
        args = _fill(argv, tmp=tmp, **paths)
        if prog == "salessim":
            args += [f"hydra.run.dir={tmp}/out", f"hydra.sweep.dir={tmp}/out"]
        if prog == "salessim-calibrate":  # the study's folder, had it started
            args += [f"hydra.run.dir={tmp}/out"]
        proc = run_module(PROGRAMS[prog], *args, timeout=120)
        return name, (proc, tmp)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(lambda ic: run(*ic), enumerate(CLI)))


@pytest.mark.parametrize("prog,words,name", [
    pytest.param(prog, words, name, id=name, marks=[bug(r[0])] if r else [])
    for name, prog, argv, words, *r in CLI])
def test_cli_exits_2_with_one_line_and_writes_nothing(prog, words, name, cli_runs):
    proc, tmp = cli_runs[name]
    assert_rule(proc.returncode, proc.stderr, proc.stdout, prog, words)
    assert proc.stdout == ""
    assert_nothing_written(tmp / "out")
    assert not list(tmp.rglob("comparison")), "a comparison folder was written"


def test_the_corpus_is_large_and_new():
    """At least 40 new bad inputs, none a repeat of tests/test_bad_input.py."""
    from tests.test_bad_input import BAD, CLI_CASES
    old = {tuple(a) for a, _ in BAD} | {tuple(a) for a in CLI_CASES}
    mine = [tuple(c[1]) for c in SALESSIM]
    assert not old & set(mine)
    assert len(SALESSIM) + len(COMPARE) + len(RERUN) + len(API) >= 40
    assert len(CLI) >= 10


@pytest.mark.parametrize("call,words", [
    pytest.param(lambda: salessim.run({"org": "small"}, out_dir=123), ["out_dir=123", "a str or a pathlib.Path"],
                 id="run out_dir=123"),
    pytest.param(lambda: salessim.load(None), ["path=null", "a finished job folder"], id="load(None)"),
    pytest.param(lambda: salessim.load(["results"]), ["path=['results']"], id="load(a list)"),
])
def test_the_api_refuses_a_folder_of_the_wrong_type_with_a_user_error(call, words):
    with pytest.raises(UserError) as info:  # not the TypeError Path() raises deep inside
        call()
    for word in words:
        assert word in info.value.message, info.value.message


def test_a_number_with_a_unit_is_told_what_to_write_only_where_the_unit_means_it():
    """A review found '6m' months told 'write 6000000' and '70%' hours told 'write 0.7': k and M
    are money's, % a share's, and a hint never names a value the setting refuses in turn."""
    from salessim.errors import ConfigError

    def said(key, value, allowed):
        return str(ConfigError(key, value, allowed))

    assert said("experiment_budget_usd", "500k", "a number >= 1000").endswith("; write 500000")
    assert said("market.gross_margin", "70%", "a number >= 0 and <= 1").endswith("; write 0.7")
    assert "write" not in said("sim.warmup_months", "6m", "an integer >= 0")
    assert "write" not in said("tools.internal_hours", "70%", "a number >= 0 and <= 60")
    assert "write" not in said("market.gross_margin", "0.5k", "a number >= 0 and <= 1")
    assert "write" not in said("cost_usd", "1.2345k", "an integer >= 0")  # not whole
    # a share typed as a whole percentage (a strategist's walk), where its share is allowed
    assert said("fsm.coaching_time_share", 16, "a number >= 0 and <= 1").endswith("; for 16% write 0.16")
    assert "write" not in said("compensation.base_share", 99, "a number >= 0 and <= 0.95")
    assert "write" not in said("tools.internal_hours", 70, "a number >= 0 and <= 60")
    assert "write" not in said("market.gross_margin", 170, "a number >= 0 and <= 1")
    assert "write" not in said("market.gross_margin", -5, "a number >= 0 and <= 1")
    assert "write" not in said("market.gross_margin", 1.5, "a number >= 0 and <= 1")  # not a whole percentage


@pytest.mark.parametrize("typed,refused", [("hydra.job.name=é", "a letter beyond ASCII"),
                                            ("hydra.job.name=a=b", "'='")])
def test_a_name_is_not_told_to_quote_what_it_refuses_quoted(typed, refused, tmp_path, monkeypatch, capsys):
    """Quoted, a name with a letter beyond ASCII or an '=' is refused as a name: the advice to quote it
    led a walk from one refusal to the next."""
    line = refused_by_salessim([typed], [f"{refused} cannot be in it: hydra.job.name takes a name of at most "
                                         "100 letters, digits, '_', '-' and '.', all ASCII"],
                               tmp_path, monkeypatch, capsys)
    assert "quote" not in line, line


def test_a_free_text_may_run_over_lines_where_a_name_may_not():
    """A question or a description written as a YAML block keeps its newlines; a name is one line."""
    cfg = tiny_config()
    cfg.experiment_question = "Which investment\n\treturns most?"
    to_validated(cfg)
    cfg.sim.scenario = "two\nlines"
    with pytest.raises(ConfigError, match="sim.scenario"):
        to_validated(cfg)


def test_hydras_records_that_are_no_utf8_are_read_as_unreadable_ones(sweep, tmp_path, capsys):
    """A sweep's multirun.yaml or a job's .hydra/overrides.yaml damaged to bytes that are no UTF-8
    is passed over as a record that is not YAML is (both gave a traceback)."""
    folder = tmp_path / "sweep"
    shutil.copytree(sweep, folder)
    (folder / "multirun.yaml").write_bytes(b"\xff\xfe")
    (folder / "0" / ".hydra").mkdir()
    (folder / "0" / ".hydra" / "overrides.yaml").write_bytes(b"\xff\xfe")
    compare_command.main([str(folder), "--no-plots"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and (folder / "comparison" / "comparison.csv").is_file()


def test_a_config_of_ones_own_named_as_a_number_reads_is_told_how_to_choose_it(tmp_path, monkeypatch, capsys):
    own = tmp_path / "mine"
    (own / "org").mkdir(parents=True)
    (own / "org" / "inf.yaml").write_text("sellers: 20\n")
    refused_by_salessim(["-cd", str(own), "org=inf"],
                        ["org=inf", "one of default, inf, large, small", "chosen with org='inf', quoted"],
                        tmp_path, monkeypatch, capsys)


def test_a_segment_misspelt_in_a_file_is_refused_naming_the_one_meant(tmp_path, monkeypatch, capsys):
    """A sales-ops walk wrote enterprize: in a market preset of its own: a segment merged beside the
    configured ones, which no per-segment setting had a value for, ended in a KeyError traceback."""
    own = tmp_path / "mine"
    (own / "market").mkdir(parents=True)
    (own / "market" / "ours.yaml").write_text("# @package market\nsegments:\n"
                                             "  enterprize: {deal_value_median_usd: 261000}\n")
    refused_by_salessim(["-cd", str(own), "market=ours"],
                        ["market.segments.enterprize is not allowed", "coverage.accounts_per_seller has none",
                         "did you mean enterprise?"], tmp_path, monkeypatch, capsys)
