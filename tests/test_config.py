from salessim.validation import to_validated


def test_required_keys_exist_with_their_names(hydra_compose):
    cfg = hydra_compose()
    for key in ("sim.seed", "sim.replications", "sim.years", "sim.warmup_months", "org.sellers",
                "fsm.span_of_control", "fsm.coaching_quality"):
        node = cfg
        for part in key.split("."):
            node = node[part]
        assert node is not None, key


def test_default_config_validates(hydra_compose):
    cfg = to_validated(hydra_compose())
    assert cfg.org.sellers == 100
    assert cfg.fsm.span_of_control == 8.5


def test_groups_and_presets_compose(hydra_compose):
    assert to_validated(hydra_compose(["org=large"])).org.sellers == 1000
    assert to_validated(hydra_compose(["org=small"])).org.sellers == 20


def test_experiments_are_on_the_search_path_as_group_experiment(hydra_compose):
    cfg = to_validated(hydra_compose(["experiment=fsm_span"]))
    assert "span of control" in cfg.experiment_question


def test_hydras_copies_of_its_config_repository_share_the_config_store(hydra_compose):
    """Hydra 1.3 deep-copied the store, salessim's schemas and all, at every composition and every
    listing of a group (`salessim --help`: 3.9 s, 2.5 s of it copying): a copy is the store, and
    compositions after it still find the schemas."""
    import copy

    from hydra.core.config_store import ConfigStore

    store = ConfigStore.instance()
    assert copy.deepcopy(store) is store
    assert "crm" in to_validated(hydra_compose(["investment=[crm]"])).investment  # the schema applies


def test_the_schemas_are_stored_once_a_process_and_again_in_a_store_that_lost_them(hydra_compose):
    """Storing them costs 0.15-0.3 s, which every command paid twice and salessim.run at each call."""
    from hydra.core.config_store import ConfigStore

    from salessim.config import SCHEMAS, register_configs

    store = ConfigStore.instance()
    register_configs()
    stored = {name: store.repo[f"{name}.yaml"] for name in SCHEMAS}
    register_configs()
    assert all(store.repo[f"{name}.yaml"] is node for name, node in stored.items())
    del store.repo["salessim_schema.yaml"]  # as a store restored from a snapshot taken before
    register_configs()
    assert store.repo["salessim_schema.yaml"] is not stored["salessim_schema"]
    assert to_validated(hydra_compose(["fsm.span_of_control=9"])).fsm.span_of_control == 9


def test_a_segment_staffed_by_none_needs_no_accounts(hydra_compose):
    # Only a staffed segment's territories need at least one account (tests/test_bad_input_corpus.py)
    cfg = to_validated(hydra_compose(["org.segment_mix.smb=0", "org.segment_mix.mid_market=0.8",
                                      "coverage.accounts_per_seller.smb=0"]))
    assert cfg.coverage.accounts_per_seller["smb"] == 0
    # a share of 0.01 of 20 sellers gives enterprise no seat: its territories need no account either
    no_seat = ["org=small", "org.segment_mix.smb=0.42", "org.segment_mix.mid_market=0.57",
               "org.segment_mix.enterprise=0.01", "coverage.accounts_per_seller.enterprise=0"]
    assert to_validated(hydra_compose(no_seat)).coverage.accounts_per_seller["enterprise"] == 0


def test_a_business_hours_rate_too_small_to_divide_by_limits_no_team(hydra_compose):
    """A property test drew fsm.business_hours_per_seller=1e-310: the hours a team leaves, divided
    by it, overflowed to infinity and the check of the teams raised OverflowError, a traceback."""
    cfg = to_validated(hydra_compose(["fsm.business_hours_per_seller=1e-310"]))
    assert cfg.fsm.business_hours_per_seller == 1e-310


def test_the_shortest_horizon_a_warm_up_is_told_to_write_is_the_shortest():
    """A review found the hint 0.08 of a year above the shortest horizon that validates, and a
    calendar of millions of years built to find it (a MemoryError for a huge warm-up)."""
    from salessim.model.calendar import Calendar, shortest_years_holding

    for months in (1, 2, 3, 6, 7, 12, 13, 36, 101, 360):
        years = shortest_years_holding(months)
        assert Calendar(years).months >= months, (months, years)
        assert years == 0.01 or Calendar(round(years - 0.01, 2)).months < months, (months, years)
    assert shortest_years_holding(7) == 0.51 and shortest_years_holding(10**8) > 30  # arithmetic, at once
