#!/usr/bin/python3
"""plot_outlets.py - turns `framescore compare --format csv` into a PNG: one
panel per measure, one bar per outlet with its 95% bootstrap interval.

    framescore compare --manifest examples/manifest.csv --format csv -o compare.csv
    /usr/bin/python3 examples/plot_outlets.py compare.csv -o outlets.png

Needs pandas and matplotlib (Debian: python3-pandas python3-matplotlib).
"""
import argparse
import math
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display needed
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
          "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]


def outlet_rates(df):
    """One row per measure and outlet: rate and interval, from either side
    of the comparison rows (a pair comparison names outlet b in versus)."""
    a = df[["measure", "kind", "outlet", "docs_a", "rate_a", "rate_a_lo",
            "rate_a_hi"]].set_axis(
        ["measure", "kind", "outlet", "docs", "rate", "lo", "hi"], axis=1)
    pair = df[df["versus"] != "rest"]
    b = pair[["measure", "kind", "versus", "docs_b", "rate_b", "rate_b_lo",
              "rate_b_hi"]].set_axis(
        ["measure", "kind", "outlet", "docs", "rate", "lo", "hi"], axis=1)
    rates = pd.concat([a, b]).drop_duplicates(["measure", "outlet"])
    return rates.reset_index(drop=True)


def pick_measures(rates, wanted):
    if wanted:
        names = [m.strip() for m in wanted.split(",") if m.strip()]
        missing = [m for m in names if m not in set(rates["measure"])]
        if missing:
            sys.exit("plot_outlets: no measure %s in the CSV" %
                     ", ".join(missing))
        return names
    # the score, model dimensions and family totals that occur at all
    used = rates.groupby("measure")["rate"].max().fillna(0) > 0
    order = {"score": 0, "dimension": 1, "family": 2}
    kinds = rates.drop_duplicates("measure").set_index("measure")["kind"]
    names = [m for m in kinds.index
             if kinds[m] in order and used.get(m, False)]
    return sorted(names, key=lambda m: (order[kinds[m]], m))


def plot(rates, measures, out, title):
    outlets = list(dict.fromkeys(rates["outlet"]))
    color = {o: COLORS[i % len(COLORS)] for i, o in enumerate(outlets)}
    ncol = min(3, len(measures))
    nrow = math.ceil(len(measures) / ncol)
    fig, axes = plt.subplots(nrow, ncol, squeeze=False,
                             figsize=(4.2 * ncol, 0.45 * len(outlets) * nrow
                                      + 1.1 * nrow + 0.6))
    for ax, m in zip(axes.flat, measures):
        r = rates[rates["measure"] == m].set_index("outlet").reindex(outlets)
        y = range(len(outlets))
        err = [(r["rate"] - r["lo"]).clip(lower=0).fillna(0),
               (r["hi"] - r["rate"]).clip(lower=0).fillna(0)]
        ax.barh(y, r["rate"].fillna(0), xerr=err, capsize=3,
                color=[color[o] for o in outlets], ecolor="#222")
        ax.set_yticks(list(y), outlets)
        ax.invert_yaxis()
        ax.set_title(m, fontsize=10, loc="left", fontweight="bold")
        ax.tick_params(labelsize=8)
        ax.grid(axis="x", color="#ddd", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    for ax in list(axes.flat)[len(measures):]:
        ax.set_visible(False)
    fig.suptitle(title, fontsize=11)
    fig.text(0.5, 0.005, "rate per 1,000 words (dimensions: their own unit); "
             "whiskers: 95% bootstrap intervals over documents",
             ha="center", fontsize=8, color="#555")
    fig.tight_layout(rect=(0, 0.03, 1, 0.97))
    fig.savefig(out, dpi=120)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv", help="output of framescore compare --format csv")
    ap.add_argument("-o", "--output", default="outlets.png",
                    help="PNG to write (default outlets.png)")
    ap.add_argument("--measures", help="comma-separated measures to plot "
                    "(default: the score, dimensions and family totals)")
    ap.add_argument("--title", default="Framing by outlet")
    args = ap.parse_args()
    df = pd.read_csv(args.csv)
    needed = {"measure", "kind", "outlet", "versus", "rate_a", "rate_a_lo",
              "rate_a_hi"}
    if not needed <= set(df.columns):
        sys.exit("plot_outlets: %s is not framescore compare CSV (columns %s "
                 "missing)" % (args.csv, ", ".join(sorted(needed -
                                                           set(df.columns)))))
    rates = outlet_rates(df)
    measures = pick_measures(rates, args.measures)
    if not measures:
        sys.exit("plot_outlets: nothing to plot: no measure has matches")
    plot(rates, measures, args.output, args.title)
    print("plot_outlets: wrote %s (%d measures, %d outlets)" %
          (args.output, len(measures), rates["outlet"].nunique()))


if __name__ == "__main__":
    main()
