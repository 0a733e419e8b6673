"""The data of the monthly efficiency chart (Chart.js reads it from a json_script tag)."""

from __future__ import annotations

from .services import UnitEfficiency


def chart_data(rows: list[UnitEfficiency]) -> dict:
    ordered = sorted(rows, key=lambda e: (-e.on_time_percent, e.unit.name))
    return {
        "labels": [e.unit.short_name or e.unit.name for e in ordered],
        "on_time": [float(e.on_time_percent) for e in ordered],
        "mean_days": [float(e.mean_days) for e in ordered],
        "overruns": [e.overruns for e in ordered],
    }
