"""The figures of the last bench run (docs/bench/last-run.json) and the budgets checked against them.

Each bench script records its measurements here and exits with `run.finish()`: the file is merged
(a script replaces only its own keys, so running one script updates its figures and keeps the
others') and the exit status is 1 when one of the script's budgets is missed. The README's
Performances table is rendered from this file by scripts/bench_table.py.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[2]
FILE = ROOT / "docs" / "bench" / "last-run.json"
ABOUT = ("Chiffres du dernier passage de chaque banc d'essai de tests/bench (make bench), une clé par mesure ; "
         "le tableau « Performances » du README en est tiré par scripts/bench_table.py.")


def budget(text: str, measured: float, limit: float, unit: str, *, at_least: bool = False) -> dict:
    """One goal: `measured` ≤ `limit` (or ≥ with `at_least`), described in French by `text`."""
    met = measured >= limit if at_least else measured <= limit
    return {"text": text, "measured": _round(measured), "comparison": ">=" if at_least else "<=",
            "limit": limit, "unit": unit, "met": met}


def baseline(what: str, value: float, unit: str) -> dict:
    """A reference measured in the same run (what it is, in French)."""
    return {"what": what, "value": _round(value), "unit": unit}


def machine() -> dict:
    """What the figures were measured on (stored with each measurement)."""
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        system = platform.freedesktop_os_release()["PRETTY_NAME"]
    except (AttributeError, OSError, KeyError):
        system = platform.platform(terse=True)
    return {"cores": os.cpu_count(), "cpu": cpu, "system": system, "qgis": qgis_version(),
            "python": platform.python_version()}


def qgis_version() -> str:
    try:
        from qgis.core import Qgis
    except ImportError:
        return "absent"
    return Qgis.version()


class LastRun:
    """The measurements of one bench script, written into the shared file when it finishes."""

    def __init__(self, script: str):
        self.script = Path(script).name
        self.measurements: dict[str, dict] = {}
        self.failed_checks: list[str] = []

    def measure(self, key: str, value: float, unit: str, *, statistic: Optional[str] = None,
                baselines: Optional[dict[str, dict]] = None, budgets: tuple[dict, ...] = (), **details) -> None:
        """Record one measurement; a baseline in the same unit gets its ratio (value / baseline)."""
        references = {}
        for name, reference in (baselines or {}).items():
            reference = dict(reference)
            if reference["unit"] == unit and reference["value"]:
                reference["ratio"] = _round(value / reference["value"])
            references[name] = reference
        self.measurements[key] = {
            "script": self.script, "value": _round(value), "unit": unit, "statistic": statistic,
            "baselines": references, "budgets": list(budgets),
            "details": {name: _round(item) for name, item in details.items()},
        }

    def require(self, condition: bool, text: str) -> None:
        """A fact the figures rely on (e.g. every package written): when false, the run fails too."""
        if not condition:
            self.failed_checks.append(text)

    def missed(self) -> list[str]:
        return [f"{item['text']} : mesuré {_show(item['measured'], item['unit'])} pour un budget "
                f"{'≥' if item['comparison'] == '>=' else '≤'} {_show(item['limit'], item['unit'])}"
                for entry in self.measurements.values() for item in entry["budgets"] if not item["met"]]

    def finish(self) -> int:
        """Write the figures, say which budget was missed; the script's exit status (1 if one was)."""
        self.save()
        missed = self.missed()
        print(f"  chiffres enregistrés dans {FILE.relative_to(ROOT)} ({', '.join(self.measurements)})")
        for line in missed:
            print(f"BUDGET MANQUÉ ({self.script}) : {line}", file=sys.stderr)
        for line in self.failed_checks:
            print(f"CONTRÔLE ÉCHOUÉ ({self.script}) : {line}", file=sys.stderr)
        return 1 if missed or self.failed_checks else 0

    def save(self, path: Path = FILE) -> None:
        stamp = {"date": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"), **machine(),
                 "load_average": [round(load, 2) for load in os.getloadavg()]}
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        measurements = {key: entry for key, entry in data.get("measurements", {}).items()
                        if entry.get("script") != self.script}
        for key, entry in self.measurements.items():
            measurements[key] = {**entry, **stamp}
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".json.partial")
        partial.write_text(json.dumps({"about": ABOUT, "measurements": measurements}, ensure_ascii=False,
                                      indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(partial, path)


def _round(value):
    """Four significant digits: the noise of this machine is far above them, and diffs stay readable."""
    if isinstance(value, float):
        return float(f"{value:.4g}")
    return value


def _show(value, unit: str) -> str:
    text = f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)
    return f"{text}{unit}" if unit == "×" else f"{text} {unit}"
