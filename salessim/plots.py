"""The figures of the comparison report, drawn with matplotlib (Agg: no display needed) and
returned as PNG bytes for embedding. Scenarios keep the sweep's order and one colour each, the
baseline always dark grey, so a reader can follow a scenario from figure to figure."""

from __future__ import annotations

import io
import math
import re
import warnings
from collections.abc import Collection, Mapping, Sequence

import matplotlib

matplotlib.use("Agg")  # before pyplot: never try to open a window
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from salessim.payback import MONTHS_A_YEAR  # noqa: E402
from salessim.report_table import FEW_REPLICATIONS, short_names  # noqa: E402

BASELINE_COLOR = "#333333"
_TICK_WIDTH = 34  # characters of a scenario label per line
_PANEL_TITLE_WIDTH = 52  # characters of a title per line, in a panel a third of the figure wide
# How a kind of metric is shown on an axis: scale and unit (kinds as in salessim.report_table).
_AXIS = {"pct": (100.0, "%"), "usd_per_year": (1e-6, "M USD"), "usd": (1e-3, "k USD"), "num": (1.0, "")}
_DPI = 100
MIN_BOXED = FEW_REPLICATIONS  # replications from which a scenario's dots get a box
# boxplot's orientation= arrived in matplotlib 3.10, which deprecates the older vert=False.
_HORIZONTAL = ({"orientation": "horizontal"}
               if tuple(int(x) for x in matplotlib.__version__.split(".")[:2]) >= (3, 10)
               else {"vert": False})


def _tight_layout(fig, **kwargs) -> None:
    """Matplotlib's tight layout, without its warning where labels do not fit (a scenario named by
    300 characters): it printed a line with a source path per figure, and savefig's tight box
    below keeps the image whole anyway."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Tight layout not applied", category=UserWarning)
        fig.tight_layout(**kwargs)


def png(fig, tight: bool = True, **layout) -> bytes:
    """The figure as PNG bytes, laid out tight first (``layout``: tight_layout's own settings)
    unless ``tight`` is False (a colorbar over several panels), and closed."""
    if tight:
        _tight_layout(fig, **layout)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=_DPI, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def colors(scenarios: Sequence[str], baseline: str) -> dict[str, str]:
    cmap = plt.get_cmap("tab10" if len(scenarios) <= 11 else "tab20")
    others = [s for s in scenarios if s != baseline]
    out = {s: matplotlib.colors.to_hex(cmap(i % cmap.N)) for i, s in enumerate(others)}
    out[baseline] = BASELINE_COLOR
    return out


def _wrapped(text: str, width: int, after: str = ",_=[") -> str:
    """``text`` in lines of about ``width`` characters, broken between overrides, else after a
    '_', '=' or '[' (or another of ``after``), never inside a word."""
    lines = [""]
    for piece in re.split(f"(?<=[{re.escape(after)}])", text):
        if lines[-1] and len(lines[-1]) + len(piece) > width:
            lines.append("")
        lines[-1] += piece
    return "\n".join(lines)


def _tick(name: str, baseline: str, short: Mapping[str, str]) -> str:
    return _wrapped(short.get(name, name), _TICK_WIDTH) + ("\n(baseline)" if name == baseline else "")


def _panel_title(ax, text: str) -> None:
    """A small panel's title, in lines as wide as a third of the figure: a scenario's name in one
    line ran over its neighbours' titles."""
    ax.set_title(_wrapped(text, _PANEL_TITLE_WIDTH, after=",_=[ "), fontsize=8)


def _axis_unit(kind: str, diff: bool = False) -> tuple[float, str]:
    scale, unit = _AXIS.get(kind, (1.0, ""))
    if diff and kind == "pct":
        unit = "percentage points"
    return scale, unit


def _scenario_panels(scenarios: Sequence[str], per_panel: int, overview: bool = False) -> tuple:
    """Up to ``per_panel`` scenarios in one panel; more get a panel each, three to a row, on a
    shared month axis and a shared scale, because a dozen overlapping bands cannot be read; with
    ``overview``, after a first panel that holds them all. (fig, axes, [(panel, its scenarios)])."""
    one = len(scenarios) <= per_panel
    groups = ([list(scenarios)] if one else
              [*([list(scenarios)] if overview else []), *([s] for s in scenarios)])
    ncols = 1 if one else 3
    nrows = math.ceil(len(groups) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(12, 4.8 if one else 2.6 * nrows), squeeze=False,
                             sharex=True, sharey=True)
    panels = list(zip(axes.flat, groups))
    for i, ax in enumerate(axes.flat):
        if i >= len(panels):
            ax.set_visible(False)
        elif i + ncols >= len(panels):  # nothing below it: its own month ticks, the axis being shared
            ax.xaxis.set_tick_params(labelbottom=True)
    return fig, axes, panels


TICK_LINE_INCHES = 0.15  # a line of a tick label at fontsize 8, its spacing and a margin included


def _grid(n: int, ticks: Sequence[str]) -> tuple:
    """``n`` panels, two to a row, each with a row for each of ``ticks`` (scenario labels, broken
    into lines by _tick): as tall as the longest label needs, labels of four or five lines ran
    into their neighbours' in rows of two (a sales-ops walk)."""
    ncols = 1 if n == 1 else 2
    nrows = math.ceil(n / ncols)
    lines = max((t.count("\n") + 1 for t in ticks), default=1)
    height = max(2.6, 0.9 + max(0.42, TICK_LINE_INCHES * (lines + 1)) * len(ticks))
    fig, axes = plt.subplots(nrows, ncols, figsize=(12, height * nrows), squeeze=False, sharey=True)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def distributions(values: Mapping[str, pd.DataFrame], metrics: Sequence[str], baseline: str,
                  labels: Mapping[str, str], kinds: Mapping[str, str], ranked: Sequence[str],
                  short: Mapping[str, str] | None = None) -> bytes:
    """Box and strip plot over replications, one panel per metric, one row per scenario, top to
    bottom in the ranking's order (``ranked``); colours follow the sweep's order, as everywhere.
    A scenario with fewer than MIN_BOXED replications has no box. Each scenario's mean, the figure
    the tables give, is marked (a box's line is its median)."""
    col = colors(list(values), baseline)
    short = short or short_names(list(values))[0]
    names = list(ranked)
    ticks = [_tick(s, baseline, short) for s in names]
    fig, axes = _grid(len(metrics), ticks)
    rng = np.random.default_rng(0)  # fixed jitter: the same report from the same data
    for ax, metric in zip(axes, metrics):
        scale, unit = _axis_unit(kinds[metric])
        data = [values[s][metric].dropna().to_numpy() * scale for s in names]
        pos = np.arange(len(names))[::-1]  # first scenario on top
        # A box drawn from three dots would look like a distribution it does not show.
        boxed = [(y, d) for y, d in zip(pos, data) if len(d) >= MIN_BOXED]
        if boxed:
            ax.boxplot([d for _, d in boxed], positions=[y for y, _ in boxed], **_HORIZONTAL,
                       widths=0.6, showfliers=False, medianprops={"color": "black"},
                       boxprops={"color": "#888888"}, whiskerprops={"color": "#888888"},
                       capprops={"color": "#888888"})
        for y, d in zip(pos, data):
            if len(d):
                ax.plot([d.mean()] * 2, [y - 0.3, y + 0.3], color="black", lw=1.5, ls=(0, (1, 1)),
                        zorder=4)
        for y, d, s in zip(pos, data, names):
            ax.scatter(d, y + rng.uniform(-0.15, 0.15, len(d)), s=18, color=col[s], alpha=0.8, zorder=3)
        ax.set_yticks(pos, ticks, fontsize=8)
        ax.set_title(labels[metric], fontsize=10)
        ax.set_xlabel(unit, fontsize=8)
        ax.grid(axis="x", alpha=0.3)
    return png(fig)


def paired_differences(table: pd.DataFrame, scenarios: Sequence[str], metrics: Sequence[str],
                       baseline: str, labels: Mapping[str, str], kinds: Mapping[str, str],
                       ranked: Sequence[str], short: Mapping[str, str] | None = None,
                       titles: Mapping[str, str] | None = None) -> bytes:
    """Mean paired difference vs the baseline with its CI (thick), the unpaired CI (thin grey).
    Scenarios run top to bottom in the ranking's order (``ranked``); their colours follow
    ``scenarios``, as in every figure. ``titles``: a panel's title where the change has a name
    of its own (the contribution's is the net gain)."""
    others = [s for s in ranked if s != baseline]
    col = colors(scenarios, baseline)
    short = short or short_names(scenarios)[0]
    ticks = [_tick(s, baseline, short) for s in others]
    fig, axes = _grid(len(metrics), ticks)
    pos = np.arange(len(others))[::-1]
    for ax, metric in zip(axes, metrics):
        scale, unit = _axis_unit(kinds[metric], diff=True)
        rows = table[table.metric == metric].set_index("scenario")
        for y, s in zip(pos, others):
            r = rows.loc[s] if s in rows.index else None
            if r is None or math.isnan(r.diff_vs_baseline):
                continue
            d = r.diff_vs_baseline * scale
            ax.plot([r.diff_ci_unpaired_low * scale, r.diff_ci_unpaired_high * scale], [y - 0.22] * 2,
                    color="#aaaaaa", lw=1.5, solid_capstyle="butt")
            ax.plot([r.diff_ci_low * scale, r.diff_ci_high * scale], [y, y], color=col[s], lw=4,
                    solid_capstyle="butt", alpha=0.85)
            ax.plot([d], [y], "o", color="black", ms=4, zorder=3)
        ax.axvline(0, color=BASELINE_COLOR, lw=1)
        ax.set_yticks(pos, ticks, fontsize=8)
        ax.set_ylim(-0.7, len(others) - 0.3)
        ax.set_title((titles or {}).get(metric, f"{labels[metric]}: change vs baseline"), fontsize=10)
        ax.set_xlabel(unit, fontsize=8)
        ax.grid(axis="x", alpha=0.3)
    return png(fig)


def monthly_bookings(bands: pd.DataFrame, scenarios: Sequence[str], baseline: str,
                     warmup_months: int, short: Mapping[str, str] | None = None,
                     ranked: Sequence[str] | None = None) -> bytes:
    """Won value per month, mean over replications with its band; the warm-up shaded.
    Up to three scenarios share one panel; more get one panel each, in the ranking's order
    (``ranked``), the baseline drawn in every panel for reference, because a dozen overlapping
    bands cannot be read. Colours follow the sweep's order (``scenarios``), as in every figure."""
    col = colors(scenarios, baseline)
    short = short or short_names(scenarios)[0]
    fig, axes, panels = _scenario_panels(list(ranked or scenarios), 3)
    one = len(panels) == 1

    def draw(ax, s, band=True, **kw):
        b = bands[bands.scenario == s].sort_values("month")
        if band:
            ax.fill_between(b.month, b.low / 1e6, b.high / 1e6, color=col[s], alpha=0.18, lw=0)
        ax.plot(b.month, b["mean"] / 1e6, color=col[s], **kw)

    for ax, shown in panels:
        if warmup_months:
            ax.axvspan(-0.5, warmup_months - 0.5, color="#dddddd", alpha=0.6, lw=0)
            ax.text(warmup_months / 2 - 0.5, 0.97, "warm-up", transform=ax.get_xaxis_transform(),
                    ha="center", va="top", fontsize=7, color="#555555")
        if not one and shown[0] != baseline:
            draw(ax, baseline, band=False, lw=1, ls="--", label="baseline")
        for s in shown:
            draw(ax, s, lw=2 if s == baseline else 1.6,
                 label=short[s] + (" (baseline)" if s == baseline else ""))
        if one:
            ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        else:
            _panel_title(ax, short[shown[0]] + (" (baseline)" if shown[0] == baseline else ""))
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    # Set once every panel is drawn: a limit set per panel would freeze the shared axis at the
    # panels drawn so far, and cut the bands of the later ones.
    top = float(np.nanmax(bands[["mean", "high"]].to_numpy())) / 1e6 if len(bands) else 0.0
    axes[0, 0].set_ylim(0, top * 1.06 if top > 0 else 1.0)
    fig.supxlabel("month since the start of the simulation (4-4-5 calendar)", fontsize=10)
    fig.supylabel("won value booked (M USD per month)", fontsize=10)
    return png(fig)


def curved_scenarios(curves: pd.DataFrame, ranked: Sequence[str], baseline: str) -> list[str]:
    """The scenarios cumulative_net_gain draws, in the ranking's order: those with a curve (one
    without a launch has none)."""
    return [s for s in ranked if s != baseline and (curves.scenario == s).any()]


OVERVIEW_MOST = 12  # lines the overview holds: more, in colours that cycle at 20, cannot be told apart


def cumulative_net_gain(curves: pd.DataFrame, scenarios: Sequence[str], ranked: Sequence[str],
                        baseline: str, payback: Mapping[str, float],
                        short: Mapping[str, str] | None = None, discounted: bool = False) -> bytes:
    """The paired cumulative net gain over the baseline month by month from each scenario's
    launch, with its band (payback.payback_curves), from 0 at the launch; a dotted line at its
    payback month. Up to four scenarios share one panel; more get one panel each, in the
    ranking's order (``ranked``), on one scale fitted to the lines: panels on scales of their own
    made a gain a third the size of another look as large (the depth of a dip is the ranking's
    deepest shortfall), and a scale fitted to the bands of few replications flattened every line.
    Colours follow the sweep's order (``scenarios``), as in every figure. With panels of their
    own (and no more than OVERVIEW_MOST), a first panel holds every line without its band, each
    numbered at its end as its own panel's title is: where one overtakes another (a first year
    led by scenarios ranked below the first) shows only side by side. ``discounted``: the net
    gains are present values (a discount rate was given), which the axis says."""
    col = colors(scenarios, baseline)
    short = short or short_names(scenarios)[0]
    shown = curved_scenarios(curves, ranked, baseline)
    fig, _, panels = _scenario_panels(shown, 4, overview=len(shown) <= OVERVIEW_MOST)
    one = len(panels) == 1
    overview = len(panels) > len(shown)
    # by rank in ``ranked``, the baseline's included, as the ranking and the ROI figure number
    # them: a walk found the last scenario numbered 6 in one figure and 5 in the other
    rank = {s: i for i, s in enumerate(ranked, 1)}
    number = {s: rank[s] for s in shown}
    ends: dict[str, tuple[float, float]] = {}  # the overview's line ends, numbered once the scale is set
    for i, (ax, group) in enumerate(panels):
        ax.axhline(0.0, color="black", lw=0.8)
        every = overview and i == 0  # the overview: lines alone, which a dozen bands would hide
        for s in group:
            c = curves[curves.scenario == s]
            months = np.concatenate([[0], c.months_after_start])  # nothing gained or spent yet
            if not every:
                ax.fill_between(months, np.concatenate([[0.0], c.ci_low]) / 1e6,
                                np.concatenate([[0.0], c.ci_high]) / 1e6, color=col[s], alpha=0.18, lw=0)
            ax.plot(months, np.concatenate([[0.0], c.cumulative_net_gain_usd]) / 1e6, color=col[s],
                    lw=1.2 if every else 1.6, label=short[s])
            if every and len(c):
                ends[s] = (float(months[-1]), float(c.cumulative_net_gain_usd.iloc[-1]) / 1e6)
            if not every and not math.isnan(payback.get(s, math.nan)):
                ax.axvline(payback[s], color=col[s], lw=1.0, ls=":")
        year = every and curves.months_after_start.max() > MONTHS_A_YEAR  # the first year the notes compare
        if year:
            ax.axvline(MONTHS_A_YEAR, color="grey", lw=0.8, ls="--")
        if one:
            ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        elif every:
            ax.xaxis.set_tick_params(labelbottom=True)  # the panels below share its months
            _panel_title(ax, "every scenario, numbered as its panel, without its band"
                         + (f" (dashed: month {MONTHS_A_YEAR})" if year else ""))
        else:
            _panel_title(ax, f"{number[group[0]]}  {short[group[0]]}" if overview else short[group[0]])
        ax.grid(alpha=0.3)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    if not one:  # the shared scale fits the lines: a band as wide as few replications make it
        # would flatten every line; it runs past the panel's edge instead, which shows it
        means = np.concatenate([[0.0], curves[curves.scenario.isin(shown)].cumulative_net_gain_usd / 1e6])
        low, high = float(np.nanmin(means)), float(np.nanmax(means))
        pad = 0.35 * (high - low) if high > low else 1.0
        panels[0][0].set_ylim(low - pad, high + pad)
    if overview:
        _number_line_ends(panels[0][0], ends, number, col)
    fig.supxlabel("months after launch (4-4-5 calendar: months of 4 or 5 weeks)", fontsize=10)
    fig.supylabel("cumulative net gain vs baseline ("
                  + ("M USD, present value)" if discounted else "M USD)"), fontsize=10)
    return png(fig, rect=(0.015, 0.0, 1.0, 1.0))  # room for the label beside the panels' scale


def _number_line_ends(ax, ends: Mapping[str, tuple[float, float]], number: Mapping[str, int],
                      col: Mapping[str, str]) -> None:
    """Each line's number just right of its end, in its colour; numbers of lines that end close
    together (two scenarios ending 0.1 M apart printed one over the other) are stacked a gap
    apart, centred on where their lines end, and kept inside the panel (a review drew a dozen
    ending at the top over the panel's title)."""
    low, high = ax.get_ylim()
    gap = min(0.07, 1 / (len(ends) + 1)) * (high - low)  # room for them all inside
    stacks: list[list[str]] = []  # runs of numbers too close to stand apart, lowest first

    def centre(stack: list[str]) -> float:
        return float(np.mean([ends[s][1] for s in stack]))
    for s in sorted(ends, key=lambda s: ends[s][1]):
        stacks.append([s])
        while len(stacks) > 1 and (centre(stacks[-1]) - (len(stacks[-1]) - 1) * gap / 2
                                   - centre(stacks[-2]) - (len(stacks[-2]) - 1) * gap / 2) < gap:
            stacks[-2:] = [stacks[-2] + stacks[-1]]
    order = [s for stack in stacks for s in stack]  # lowest first
    at = [centre(stack) + (i - (len(stack) - 1) / 2) * gap for stack in stacks for i in range(len(stack))]
    for i in reversed(range(len(at))):  # under the top, a gap below the one above it
        at[i] = min(at[i], high - gap / 2 if i == len(at) - 1 else at[i + 1] - gap)
    for i in range(len(at)):  # above the bottom, a gap above the one below it
        at[i] = max(at[i], low + gap / 2 if i == 0 else at[i - 1] + gap)
    for s, y in zip(order, at):
        ax.text(ends[s][0] + 0.6, y, str(number[s]), color=col[s], fontsize=7, va="center", ha="left",
                clip_on=False)


ROI_LINEAR_PERCENT = 100


def roi_needs_log_scale(roi_percent: pd.Series) -> bool:
    """One cheap scenario can show an ROI of thousands of percent (a small fee, a large gain) and
    flatten every other point onto 0 on a linear axis: then the axis turns logarithmic."""
    size = roi_percent.abs()
    # five times: one of 2,289% crowded six of 100-400% into the axis' lowest sixth (a strategist's walk)
    return len(size) > 1 and size.max() > 5 * max(ROI_LINEAR_PERCENT, size.median())


def tick_label(v: float) -> str:
    """A tick's value with as many decimals as it has (1.25, not 1.2, where ticks step by 0.25),
    thousands separated."""
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return np.format_float_positional(round(v, 6), trim="-")


LEGEND_TWO_COLUMNS_MOST = 70  # characters of a legend's longest entry that two columns hold


def roi_scatter(ranked: pd.DataFrame, scenarios: Sequence[str], baseline: str,
                short: Mapping[str, str] | None = None, marks: Mapping[str, str] | None = None,
                unsettled: Collection[str] = (), level: str = "95%") -> bytes:
    """Two panels against the extra yearly cost, one point per scenario labelled with its rank in
    the report's ranking (names are too long to place beside close points) and the ranking's
    ``marks`` ('?', '*'): its ROI, where it has one, and its net gain with its ``level`` interval,
    which is what to compare scenarios by (an ROI has no interval, and a small fee can make it
    huge). A scenario whose net gain is ``unsettled`` (its interval includes 0) is drawn hollow."""
    short = short or short_names(scenarios)[0]
    col = colors(scenarios, baseline)
    marks = marks or {}
    fig, (roi_ax, gain_ax) = plt.subplots(1, 2, figsize=(15, 5))
    others = ranked[~ranked.baseline.astype(bool)]
    with_roi = others[np.isfinite(others.roi.astype(float))]
    with_gain = others[np.isfinite(others.net_gain_usd_per_year.astype(float))]
    labels = {}  # axis -> {point: ranks}: scenarios with identical results share a label
    for ax, rows in ((roi_ax, with_roi), (gain_ax, with_gain)):
        ax.axvline(0, color=BASELINE_COLOR, lw=1)
        ax.axhline(0, color=BASELINE_COLOR, lw=1)
        at: dict[tuple[float, float], list[str]] = labels.setdefault(ax, {})
        for rank, r in rows.iterrows():
            x = r.incremental_cost_usd_per_year / 1e6  # M USD, as the other figures
            y = r.roi * 100 if ax is roi_ax else r.net_gain_usd_per_year / 1e6
            if ax is gain_ax and np.isfinite(r.net_gain_ci_low):
                ax.errorbar(x, y, yerr=[[y - r.net_gain_ci_low / 1e6], [r.net_gain_ci_high / 1e6 - y]],
                            fmt="none", ecolor=col[r.scenario], elinewidth=1.5, capsize=3, zorder=2)
            label = f"{rank + 1}{marks.get(r.scenario, '')}"
            hollow = r.scenario in unsettled
            ax.scatter(x, y, s=60, zorder=3, facecolors="white" if hollow else col[r.scenario],
                       edgecolors=col[r.scenario], linewidths=1.8,
                       label=f"{label}  {short[r.scenario]}" if ax is gain_ax else None)
            at.setdefault((x, y), []).append(label)
        ax.margins(0.12)
        # two lines: on one, the two panels' labels ran into each other
        ax.set_xlabel("extra total cost per year vs baseline, pay and commission included\n"
                      "(M USD; left of 0 = saves cost)")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: tick_label(v)))
        ax.grid(alpha=0.3)
    if roi_needs_log_scale(with_roi.roi.astype(float) * 100):
        roi_ax.set_yscale("symlog", linthresh=ROI_LINEAR_PERCENT)
        roi_ax.set_ylabel(f"ROI (%; log scale beyond ±{ROI_LINEAR_PERCENT}%)")
    else:
        roi_ax.set_ylabel("ROI (%)")
    roi_ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{tick_label(v)}%"))
    roi_ax.set_title("ROI: a ratio, no interval", fontsize=10)
    gain_ax.set_ylabel(f"net gain per year vs baseline (M USD), {level} interval")
    gain_ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: tick_label(v)))
    gain_ax.set_title("Net gain: what to compare scenarios by", fontsize=10)
    # Below the panels, not beside them: beside, long names narrowed the panels until their
    # axis labels ran into each other.
    handles, names = gain_ax.get_legend_handles_labels()
    fig.legend(handles, names, title="rank  scenario", fontsize=8, title_fontsize=8, loc="upper center",
               bbox_to_anchor=(0.5, 0.0), frameon=False, alignment="left",
               ncol=2 if max(map(len, names), default=0) <= LEGEND_TWO_COLUMNS_MOST else 1)
    for ax, at in labels.items():  # once the scales are set: where the points fall on the page
        _label_points(ax, at)
    return png(fig)


LABEL_SIZE = (5.2, 10.0)  # display points: a character's width and a line's height at fontsize 8
MARKER_RADIUS = 5.0  # display points: half a point's marker (s=60)
# Where a point's label may go, in the order tried: upper right, upper left, lower right, lower
# left of the point (offset in display points, and the label's alignment).
_LABEL_PLACES = (((5, 4), "left", "bottom"), ((-5, 4), "right", "bottom"),
                 ((5, -4), "left", "top"), ((-5, -4), "right", "top"))


def _label_box(x: float, y: float, size: tuple[float, float], place) -> tuple[float, ...]:
    """The box (left, bottom, right, top) a label of ``size`` takes at ``place`` of point x, y."""
    (dx, dy), ha, va = place
    width, height = size
    left = x + dx if ha == "left" else x + dx - width
    bottom = y + dy if va == "bottom" else y + dy - height
    return left, bottom, left + width, bottom + height


def _overlaps(box: tuple[float, ...], taken: list[tuple[float, ...]]) -> int:
    """How many of the boxes ``taken`` the box overlaps."""
    return sum(box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3] for t in taken)


def _label_points(ax, at: Mapping[tuple[float, float], list[str]]) -> None:
    """Each point's ranks beside it, to its upper right, else at the first other corner where the
    label covers no point and no label placed before it (two investments of about the same cost
    and ROI, a cluster of small changes near 0: their labels ran into each other)."""
    ax.get_xlim(), ax.get_ylim()  # the limits the margins make, before reading where points fall
    onto = {xy: ax.transData.transform(xy) / ax.figure.dpi * 72 for xy in at}  # in points
    taken = [(x - MARKER_RADIUS, y - MARKER_RADIUS, x + MARKER_RADIUS, y + MARKER_RADIUS)
             for x, y in onto.values()]
    for xy, ranks in at.items():
        text = ", ".join(ranks)
        x, y = onto[xy]
        size = (LABEL_SIZE[0] * len(text), LABEL_SIZE[1])
        boxes = [_label_box(x, y, size, place) for place in _LABEL_PLACES]
        covered = [_overlaps(box, taken) for box in boxes]
        best = covered.index(min(covered))  # the first of the least covered
        taken.append(boxes[best])
        (dx, dy), ha, va = _LABEL_PLACES[best]
        ax.annotate(text, xy, xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, fontsize=8)
