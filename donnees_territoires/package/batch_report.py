"""What a batch says: one line per territory (statuses, counts, changes, warnings) in rapport.csv and
rapport.html, and the packages of the folder whose territory the COG no longer has."""

from __future__ import annotations

import csv
import html
from dataclasses import dataclass, field
from pathlib import Path

from ..toolbelt.i18n import tr

WRITTEN, UNCHANGED, FAILED = "written", "unchanged", "failed"
#: a package of the folder whose territory is gone from the COG (merged commune, dissolved EPCI)
OBSOLETE = "obsolete"
REPORT_CSV, REPORT_HTML = "rapport.csv", "rapport.html"


def status_label(status: str) -> str:
    """« écrit », « à jour », « échec » (translated)."""
    labels = {WRITTEN: tr("écrit"), UNCHANGED: tr("à jour"), FAILED: tr("échec"), OBSOLETE: tr("obsolète")}
    return labels[status]


def report_label(outcome: TerritoryOutcome) -> str:
    """The report's status of a territory: « échec partiel » when one or more of its datasets failed (their
    table is the previous package's, or absent), never « écrit » or « à jour » then; else status_label."""
    if outcome.partial:
        return tr("échec partiel")
    return status_label(outcome.status)


@dataclass
class TerritoryOutcome:
    """What became of one territory's package: the report's line."""

    reference: str
    code: str
    name: str
    destination: str  # the GeoPackage file, or the PostGIS schema
    label: str  # what the report shows: the file's name, or the schema
    status: str = ""
    counts: dict = field(default_factory=dict)  # dataset id → feature count
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    held: bool = False  # not written because another territory failed (« one table per dataset » layout)
    #: dataset id → [added, removed, modified] when a package already there was replaced
    changes: dict = field(default_factory=dict)
    #: dataset id → why it failed, when the package was made without it (or with its previous table)
    missing: dict = field(default_factory=dict)

    def update(self, outcome: dict) -> None:
        """Take a job's outcome (job.write_job)."""
        self.status, self.error = outcome["status"], outcome["error"]
        self.counts, self.warnings = dict(outcome["counts"]), list(outcome["warnings"])
        self.changes = dict(outcome.get("changes") or {})
        self.missing.update(outcome.get("missing") or {})

    @property
    def partial(self) -> bool:
        """Written or up to date, but without one or more of its datasets (failed, or lost too many features)."""
        return bool(self.missing) and self.status in (WRITTEN, UNCHANGED)

    def changes_text(self) -> str:
        """« ban-adresses +3 −1 ~2 » per dataset of a replaced package; « nouveau » for a first one."""
        if self.status not in (WRITTEN, OBSOLETE) or (self.status == OBSOLETE and not self.changes):
            return ""
        if not self.changes:
            return tr("nouveau")
        return " ; ".join(f"{dataset} +{added} −{removed} ~{modified}"
                          for dataset, (added, removed, modified) in self.changes.items())


def stale_packages(folder: Path, current: set[str], level: str, vintage: int) -> list[TerritoryOutcome]:
    """The packages of the folder made for a territory the COG `vintage` no longer has: a commune merged
    since (its package is not made any more: the new commune's is), an EPCI dissolved. Left in place."""
    from ..territory import CogHistory, ConversionStatus, TerritoryIndex, TerritoryKind
    from .gpkg import read_manifest
    from .model import PackageError

    index, kind = TerritoryIndex.load(vintage), TerritoryKind(level)
    stale = []
    for path in sorted(folder.glob(f"{kind.prefix}-*.gpkg")):
        if path.name in current:
            continue
        try:
            manifest = read_manifest(path)
        except PackageError:  # not one of ours
            continue
        recipe = manifest.get("recipe") or {}
        prefix, _, code = str(recipe.get("territory", "")).partition(":")
        if prefix != kind.prefix or "," in code:
            continue
        made_in = recipe.get("vintage")
        if made_in is not None and int(made_in) > vintage:
            continue  # made on a newer COG: a commune created since, not one gone
        if not _gone(index, kind, prefix, code, made_in):
            continue
        name = (manifest.get("territory") or {}).get("name", "") or code
        note = tr("{reference} n'existe plus dans le COG {vintage}.").format(reference=f"{prefix}:{code}",
                                                                            vintage=vintage)
        if kind is TerritoryKind.COMMUNE:
            conversion = CogHistory.load().convert(code, target=vintage, source=recipe.get("vintage"))
            if conversion.status is ConversionStatus.FUSIONNE:
                note = tr("{name} ({code}) fait partie de {new} ({new_code}) dans le COG {vintage} : son paquet est "
                          "désormais celui de {new}.").format(name=name, code=code, new=conversion.names[0],
                                                              new_code=conversion.target_code, vintage=vintage)
        stale.append(TerritoryOutcome(f"{prefix}:{code}", code, name, str(path), path.name, status=OBSOLETE,
                                      warnings=[note + " " + tr("Ce paquet n'est plus produit : archivez-le ou "
                                                                "supprimez-le.")]))
    return stale


def _gone(index, kind, prefix: str, code: str, made_in) -> bool:
    """True when the territory of a package made on COG `made_in` is no longer one of level `kind`."""
    from ..territory import TerritoryIndex, TerritoryKind, UnknownVintageError

    found = index.find(prefix, code)
    if found is None:
        return True
    if found.kind is kind:
        return False  # still there (outside the parent now, perhaps): not obsolete
    if kind is not TerritoryKind.COMMUNE or found.kind is TerritoryKind.ARRONDISSEMENT_MUNICIPAL:
        return False
    # a commune déléguée or associée now: obsolete if it was a commune when the package was made
    try:
        before = TerritoryIndex.load(int(made_in), keep=False).find(prefix, code) if made_in else None
    except UnknownVintageError:  # a COG older than the shipped ones: it was a commune then
        return True
    return before is None or before.kind is TerritoryKind.COMMUNE


def write_reports(folder: Path, outcomes: list[TerritoryOutcome], datasets: list[str],
                  parent: str = "") -> tuple[Path, Path]:
    """rapport.csv (« ; », UTF-8) and rapport.html (French) in `folder`: one line per territory."""
    header = [tr("code"), tr("nom"), tr("paquet"), tr("statut")] + \
        [tr("entités {dataset}").format(dataset=d) for d in datasets] + [tr("changements"), tr("avertissements")]
    rows = []
    for outcome in outcomes:
        missing = [message for message in outcome.missing.values() if message not in outcome.error]
        notes = missing + list(outcome.warnings) + ([outcome.error] if outcome.error else [])
        rows.append([outcome.code, outcome.name, outcome.label, report_label(outcome)]
                    + ["" if outcome.counts.get(d) is None else str(outcome.counts[d]) for d in datasets]
                    + [outcome.changes_text(), " | ".join(notes)])
    csv_path = folder / REPORT_CSV
    with csv_path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    counts = {status: sum(1 for o in outcomes if o.status == status and not o.partial)
              for status in (WRITTEN, UNCHANGED, FAILED, OBSOLETE)}
    partial = sum(1 for o in outcomes if o.partial)
    title = tr("Paquets par territoire : {parent}").format(parent=parent) if parent else tr("Paquets par territoire")
    summary = tr("{written} écrit(s), {unchanged} à jour, {failed} en échec.").format(
        written=counts[WRITTEN], unchanged=counts[UNCHANGED], failed=counts[FAILED])
    if partial:
        summary += " " + tr("{count} en échec partiel : un ou plusieurs jeux de données en échec, leur table "
                            "précédente gardée (ou absente).").format(count=partial)
    if counts[OBSOLETE]:
        summary += " " + tr("{count} paquet(s) obsolète(s) : territoire absent du COG.").format(count=counts[OBSOLETE])
    lines = ["<!DOCTYPE html>", '<html lang="fr"><head><meta charset="utf-8">',
             f"<title>{html.escape(title)}</title>",
             "<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #999;"
             "padding:2px 6px}tr.failed,tr.partial{background:#fdd}tr.obsolete{background:#ffd}tr.unchanged{color:#555}"
             "td.n{text-align:right}</style>",
             f"</head><body><h1>{html.escape(title)}</h1><p>{html.escape(summary)}</p><table><tr>"
             + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>"]
    for outcome, row in zip(outcomes, rows):
        cells = []
        for number, value in enumerate(row):
            css = ' class="n"' if 4 <= number < 4 + len(datasets) else ""
            cells.append(f"<td{css}>{html.escape(value)}</td>")
        css = "partial" if outcome.partial else outcome.status
        lines.append(f'<tr class="{css}">' + "".join(cells) + "</tr>")
    lines.append("</table></body></html>")
    html_path = folder / REPORT_HTML
    html_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return csv_path, html_path
