#!/usr/bin/env python3
"""The README's « Performances » table, rendered from the last bench run (docs/bench/last-run.json).

    python3 scripts/bench_table.py            # prints the block
    python3 scripts/bench_table.py --write    # rewrites it in README.md, between the two markers
    python3 scripts/bench_table.py --check    # exits with 1 when README.md differs from the file

Each row names one measurement key of the file; a key the file lacks is an error, never a blank.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from datetime import datetime
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
LAST_RUN = ROOT / "docs" / "bench" / "last-run.json"
README = ROOT / "README.md"
START = "<!-- bench-table: start (généré par scripts/bench_table.py depuis docs/bench/last-run.json) -->"
END = "<!-- bench-table: end -->"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


class MissingMeasurement(KeyError):
    pass


def number(value: float, decimals: int) -> str:
    """French writing: decimal comma, a space between thousands."""
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")


def amount(value: float) -> str:
    """About three significant digits, as the noise of the machine allows."""
    magnitude = abs(value)
    return number(value, 2 if magnitude < 10 else 1 if magnitude < 100 else 0)


def quantity(value: float, unit: str) -> str:
    return f"{amount(value)} {unit}"


def megabytes(value: float) -> str:
    return f"{number(value, 0)} Mo"


def times(value: float) -> str:
    return f"{number(value, 2 if value < 10 else 1)}×"


def limit(item: dict, sign: bool = True) -> str:
    """A budget as written by people: « 150 ms », « ≥ 10× », « ≤ 10 % »."""
    text = f"{item['limit']:g}".replace(".", ",") + ("×" if item["unit"] == "×" else f" {item['unit']}")
    return f"{'≥' if item['comparison'] == '>=' else '≤'} {text}" if sign else text


def points(count: int) -> str:
    return "1 M de" if count == 1_000_000 else number(count, 0)


def startup(m: dict) -> tuple[str, str, str, str]:
    floor = m["baselines"]["floor"]
    return (f"Démarrage : import + `classFactory` + `initGui` ({m['statistic']})", limit(m["budgets"][0], False),
            quantity(m["value"], "ms"), f"{quantity(floor['value'], 'ms')} pour {floor['what']}")


def territory_load(m: dict) -> tuple[str, str, str, str]:
    d, raw = m["details"], m["baselines"]["raw"]
    return (f"Chargement de l'index COG 2026, structures de recherche comprises ({m['statistic']})",
            limit(m["budgets"][0], False),
            f"{quantity(m['value'], 'ms')} (import compris ; max {quantity(d['max_ms'], 'ms')})",
            f"le même fichier décompressé et lu (gzip + JSON) : {quantity(raw['value'], 'ms')} (index : "
            f"{times(raw['ratio'])}) ; médianes du détail : import {quantity(d['import_ms'], 'ms')}, lecture "
            f"{quantity(d['load_ms'], 'ms')}, clés de noms {quantity(d['name_keys_ms'], 'ms')}, codes postaux et "
            f"SIREN {quantity(d['postal_siren_ms'], 'ms')}")


def territory_query(m: dict) -> tuple[str, str, str, str]:
    d = m["details"]
    return (f"Une recherche de territoire, p95 sur {number(d['queries'], 0)} requêtes réalistes (noms, fautes, codes, "
            "préfixes)", limit(m["budgets"][0], False), quantity(m["value"], "ms"),
            f"p50 {quantity(m['baselines']['p50']['value'], 'ms')}")


def cog_conversion(m: dict) -> tuple[str, str, str, str]:
    d = m["details"]
    return (f"Conversion des {number(d['codes'], 0)} codes {d['source']} vers {d['target']}, chargement des "
            f"{d['vintages']} millésimes compris", "—", quantity(m["value"], "s"), "—")


def clip_warm(m: dict) -> tuple[str, str, str, str]:
    d, ogr, native = m["details"], m["baselines"]["ogr2ogr"], m["baselines"]["native"]
    faster, versus = m["budgets"]
    return (f"`clip_to_territory` : {points(d['points'])} points (GeoPackage indexé) sur le département 33, contour "
            f"en cache ({m['statistic']})",
            f"{limit(faster)} plus rapide qu'ogr2ogr, {limit(versus)} l'algorithme natif",
            f"{quantity(m['value'], 's')} ({number(d['count'], 0)} points, {megabytes(d['rss_mb'])})",
            f"`ogr2ogr -spat -clipsrc` {quantity(ogr['value'], 's')} ({times(faster['measured'])}) ; "
            f"`native:extractbylocation` sur un polygone prêt {quantity(native['value'], 's')} "
            f"({times(versus['measured'])})")


def clip_cold(m: dict) -> tuple[str, str, str, str]:
    return ("même découpe, contour calculé depuis les 35 357 communes (premier passage)", "—",
            quantity(m["value"], "s"), "—")


def package_cold(m: dict) -> tuple[str, str, str, str]:
    return ("`build_package` Bordeaux Métropole × 5 jeux (BAN, Sirene, cadastre ×2, DVF), miroir local : froid "
            f"({m['statistic']})", "—", quantity(m["value"], "s"), "—")


def package_warm(m: dict) -> tuple[str, str, str, str]:
    share = m["budgets"][0]
    return ("le même, chaud (toutes les sources répondent 304, paquet à jour)", f"{limit(share)} du froid",
            f"{quantity(m['value'], 's')} ({number(share['measured'], 1)} %)",
            f"froid {quantity(m['baselines']['cold']['value'], 's')}")


def batch_cold(m: dict) -> tuple[str, str, str, str]:
    d, single = m["details"], m["baselines"]["build_package"]
    return (f"`batch_packages` : les {d['communes']} communes de la Gironde × 3 jeux (BAN, Sirene, parcelles), "
            f"miroir local, froid, {d['workers']} processus",
            "—", f"{quantity(m['value'], 's')} ({number(d['packages_per_s'], 1)} paquets/s, "
                 f"{megabytes(d['rss_mb'])})",
            f"`build_package` commune par commune : ≈ {quantity(single['value'], 's')} (extrapolé de {d['sample']} "
            f"communes), soit {times(single['value'] / m['value'])}")


def batch_warm(m: dict) -> tuple[str, str, str, str]:
    return ("le même, relancé (tout à jour)", "—", quantity(m["value"], "s"), "—")


def batch_rewrite(m: dict) -> tuple[str, str, str, str]:
    one = m["baselines"]["one_worker"]
    return ("le même, tout réécrire (téléchargements en cache) : 1 → "
            f"{m['details']['workers']} processus de travail (la répartition des sources reste dans un seul)",
            "—", f"{quantity(m['value'], 's')} ({times(one['value'] / m['value'])} plus rapide, "
                 f"{m['cores']} cœurs)", f"1 processus : {quantity(one['value'], 's')}")


#: the README's rows, in order: measurement key of docs/bench/last-run.json → its cells
ROWS: dict[str, Callable[[dict], tuple[str, str, str, str]]] = {
    "startup": startup, "territory_load": territory_load, "territory_query": territory_query,
    "cog_conversion": cog_conversion, "clip_warm": clip_warm, "clip_cold": clip_cold,
    "package_cold": package_cold, "package_warm": package_warm, "batch_cold": batch_cold, "batch_warm": batch_warm,
    "batch_rewrite": batch_rewrite,
}


def load(path: Path = LAST_RUN) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def missing(data: dict) -> list[str]:
    """The measurements the README names that the file lacks."""
    return [key for key in ROWS if key not in data.get("measurements", {})]


def day(stamp: str) -> str:
    date = datetime.fromisoformat(stamp).date()
    return f"{date.day}{'er' if date.day == 1 else ''} {MONTHS[date.month - 1]} {date.year}"


def render(data: dict) -> str:
    """The block between the markers (markers included)."""
    absent = missing(data)
    if absent:
        raise MissingMeasurement(f"docs/bench/last-run.json ne contient pas {', '.join(absent)} : lancez le banc "
                                 "d'essai qui les mesure (make bench)")
    measurements = [data["measurements"][key] for key in ROWS]
    lines = [START, "| Mesure | Budget | Mesuré | Référence |", "|---|---|---|---|"]
    for key, cells in ROWS.items():
        try:
            label, goal, measured, reference = cells(data["measurements"][key])
        except KeyError as error:
            raise MissingMeasurement(f"docs/bench/last-run.json : la mesure {key} n'a pas le champ {error} (écrite "
                                     "par une version plus ancienne de son banc d'essai ?) : relancez-le") from None
        if any(not item["met"] for item in data["measurements"][key]["budgets"]):
            measured += " — **budget manqué**"
        lines.append(f"| {label} | {goal} | {measured} | {reference} |")
    stamps = sorted(m["date"] for m in measurements)
    first, last = day(stamps[0]), day(stamps[-1])
    when = first if first == last else f"du {first} au {last}, selon le banc d'essai"

    def distinct(field: str) -> str:
        values = {str(m[field]).split("-")[0] if field == "qgis" else str(m[field]) for m in measurements}
        return " / ".join(sorted(values))

    machine = (f"{distinct('cores')} cœurs {distinct('cpu')}, {distinct('system')}, QGIS {distinct('qgis')}, "
               f"Python {distinct('python')}")
    # no line break inside a date or a code span: « \0 » stands for their spaces while the note is wrapped
    when = when.replace(" ", "\0")
    note = (f"Ce sont les chiffres du dernier `make bench` (un banc d'essai relancé seul remplace les siens) : "
            f"{when}, {machine}. Une seule exécution, pas une fourchette de plusieurs sessions, sur une machine "
            "partagée dont la charge les fait varier d'une exécution à l'autre. `make bench` échoue quand un "
            "budget est manqué (après avoir enregistré tous les chiffres et réécrit ce tableau), et un test "
            "(`tests/unit/test_bench_table.py`) vérifie que ce tableau est bien celui que `scripts/bench_table.py` "
            "tire de `docs/bench/last-run.json`.")
    note = re.sub(r"`[^`]*`", lambda code: code.group(0).replace(" ", "\0"), note)
    note = textwrap.fill(note, width=100, break_long_words=False, break_on_hyphens=False).replace("\0", " ")
    lines += ["", note, END]
    return "\n".join(lines)


def readme_block(text: str) -> str:
    """The block of README.md between the markers (markers included)."""
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise ValueError(f"README.md doit contenir une fois {START!r} puis une fois {END!r}")
    return text[text.index(START):text.index(END) + len(END)]


def write(readme: Path = README, data: dict | None = None) -> bool:
    """Rewrite the README block; True when it changed."""
    text = readme.read_text(encoding="utf-8")
    block = render(load() if data is None else data)
    new = text.replace(readme_block(text), block)
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="réécrit le bloc du README")
    action.add_argument("--check", action="store_true", help="échoue si le README diffère du fichier")
    args = parser.parse_args(argv)
    try:
        if args.write:
            changed = write()
            print(f"README.md : tableau des performances {'réécrit' if changed else 'déjà à jour'}")
        elif args.check:
            if readme_block(README.read_text(encoding="utf-8")) != render(load()):
                print("README.md : le tableau des performances ne correspond pas à docs/bench/last-run.json "
                      "(python3 scripts/bench_table.py --write)", file=sys.stderr)
                return 1
        else:
            print(render(load()))
    except (MissingMeasurement, ValueError, OSError) as error:
        print(str(error).strip("\"'"), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
