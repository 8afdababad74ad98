"""Plot what the Grafana dashboard would show, from Prometheus's API, so a reviewer needs no Grafana."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from tests.integration.prometheus_tools import Prometheus

GRAFANA_INTERVALS = {"$__rate_interval": "1m", "$__range": "5m"}


def promql(expr: str) -> str:
    """A panel's expression with Grafana's interval variables filled in as the tests use them."""
    for variable, value in GRAFANA_INTERVALS.items():
        expr = expr.replace(variable, value)
    return expr


def legend(template: str, labels: dict[str, str]) -> str:
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), template) or "value"


def render(prometheus: Prometheus, dashboard: dict[str, Any], start: float, end: float, path: Path) -> None:
    """One subplot per panel: time series as lines, stat/table/pie panels as their last values."""
    panels = dashboard["panels"]
    columns = 3
    rows = math.ceil(len(panels) / columns)
    figure, axes = plt.subplots(rows, columns, figsize=(6 * columns, 3.2 * rows), squeeze=False)
    step = max((end - start) / 200, 1.0)
    for ax, panel in zip(axes.flat, panels, strict=False):
        ax.set_title(panel["title"], fontsize=10, loc="left")
        lines: list[str] = []
        for target in panel["targets"]:
            data = prometheus.api("query_range", query=promql(target["expr"]), start=start, end=end, step=step)
            for series in data["result"]:
                name = legend(target["legendFormat"], series["metric"])
                points = [(float(t) - start, float(v)) for t, v in series["values"] if v not in ("NaN", "+Inf")]
                if panel["type"] == "timeseries" and points:
                    ax.plot(*zip(*points, strict=True), label=name, linewidth=1.2)
                elif points:
                    lines.append(f"{name}: {points[-1][1]:.4g}")
        if panel["type"] == "timeseries":
            ax.set_xlabel("seconds into the run", fontsize=8)
            if ax.get_legend_handles_labels()[0]:
                ax.legend(fontsize=7, loc="upper left")
        else:
            ax.axis("off")
            ax.text(0.02, 0.9, "\n".join(lines[:8]) or "no data", va="top", family="monospace", fontsize=8,
                    transform=ax.transAxes)  # fmt: skip
    for ax in list(axes.flat)[len(panels) :]:
        ax.axis("off")
    figure.suptitle(f"{dashboard['title']} — panels as Prometheus returns them", fontsize=12)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=80)
    plt.close(figure)
