#!/usr/bin/env python3
"""Check the built-in catalog, and write the README's list of datasets from it.

    python3 scripts/check_catalog.py                      # validation: schema, documentation, each entry's smallest
                                                          # request for one commune (no network)
    python3 scripts/check_catalog.py --online             # the same requests, sent (a machine with internet):
                                                          # which answer, and whether the declared columns are there
    python3 scripts/check_catalog.py --online --mirror URL   # through a mirror (<mirror>/host/path), as the plugin
    python3 scripts/check_catalog.py --readme [--write|--check]   # the README's table of datasets

The smallest request of an entry is the one its source makes for one commune (Bordeaux by default, --commune);
an entry cut by location is asked for a small box around --point. Online, a file is read only as far as its
first lines (a gzip stream is inflated as it arrives); a zip or a national file is only asked for its headers.
Exit code 1 when an entry is refused, lacks its documentation, cannot build its request, or (online) does not
answer or lacks a declared column. Uses `requests` (scripts only: the plugin itself goes through QGIS).
"""

from __future__ import annotations

import argparse
import re
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from donnees_territoires.catalog.datagouv import select_resource  # noqa: E402
from donnees_territoires.catalog.loader import builtin_catalog  # noqa: E402
from donnees_territoires.catalog.sources import expand_urls, fallback_request, wmts_tile_matrix_sets  # noqa: E402
from donnees_territoires.catalog.templates import TerritoryFacts  # noqa: E402
from donnees_territoires.catalog.transport import select_feeds  # noqa: E402

README = ROOT / "README.md"
START = "<!-- catalog-table: start (généré par scripts/check_catalog.py --readme --write depuis le catalogue) -->"
END = "<!-- catalog-table: end -->"
#: Bordeaux, its EPCI, département and région, and a 1 km box in its centre
DEFAULT_FACTS = dict(communes=("33063",), epci=("243300316",), departements=("33",), regions=("75",),
                     bbox=(-0.5800, 44.8350, -0.5670, 44.8440), years=())
HEAD_BYTES = 256 * 1024
TIMEOUT_S = 60
THEME_TITLES = {"contours": "Contours administratifs", "cadastre": "Cadastre", "adresses": "Adresses",
                "foncier": "Foncier", "urbanisme": "Urbanisme", "economie": "Économie", "bdtopo": "BD TOPO",
                "statistique": "Statistique", "politiques_publiques": "Politiques publiques",
                "environnement": "Environnement", "agriculture": "Agriculture", "risques": "Risques",
                "mobilite": "Mobilité", "fonds_de_plan": "Fonds de plan (affichage seulement)",
                "autre": "Autres données"}
FREQUENCIES = {"continuous": "continue", "daily": "quotidienne", "weekly": "hebdomadaire", "monthly": "mensuelle",
               "quarterly": "trimestrielle", "semiannual": "semestrielle", "annual": "annuelle",
               "irregular": "irrégulière"}


@dataclass
class Report:
    """One entry's line: its smallest request, what became of it, what is missing."""

    dataset: str
    kind: str
    url: str = ""
    status: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def declared_columns(dataset) -> list[str]:
    """The columns the entry relies on: its cut field, keys, sort key, coordinates, partition field."""
    names = [dataset.cut.field, dataset.format.sort_key, dataset.format.lon_field, dataset.format.lat_field,
             *dataset.key_fields]
    if dataset.source.partitions:
        names.append(dataset.source.partition_field)
    if dataset.source.kind == "gtfs":
        return []  # the plugin writes the GTFS layers' columns itself
    return [name for name in dict.fromkeys(names) if name]


def smallest_request(dataset, facts: TerritoryFacts):
    """The first request the entry makes for the territory of `facts`."""
    requests = expand_urls(dataset, facts)
    return requests[0]


# -- validation (no network) -----------------------------------------------------------------------------------
def validate(catalog, facts: TerritoryFacts) -> list[Report]:
    reports = []
    for dataset in catalog.datasets:
        report = Report(dataset.id, dataset.source.kind)
        if not dataset.documentation:
            report.problems.append("pas de lien de documentation")
        if len(dataset.evidence) < 60:
            report.problems.append("pas de preuve de vérification (evidence)")
        if not dataset.verified and not dataset.notes:
            report.problems.append("non vérifiée sans note de ce qui reste à vérifier")
        try:
            report.url = smallest_request(dataset, facts).url
        except Exception as error:  # noqa: BLE001 - said, per entry
            report.problems.append(f"requête impossible : {error}")
        report.status = "valide" if report.ok else "à corriger"
        reports.append(report)
    for refusal in catalog.refusals:
        reports.append(Report(refusal.entry or "?", "?", status="refusée", problems=[str(refusal)]))
    return reports


# -- online ----------------------------------------------------------------------------------------------------
def mirrored(url: str, mirror: str) -> str:
    if not mirror:
        return url
    parts = urlsplit(url)
    return f"{mirror.rstrip('/')}/{parts.netloc}{parts.path}" + (f"?{parts.query}" if parts.query else "")


class Online:
    def __init__(self, mirror: str = "") -> None:
        import requests

        self.session = requests.Session()
        self.session.headers["User-Agent"] = "donnees-territoires-check-catalog"
        self.mirror = mirror

    def get(self, url: str, **kwargs):
        return self.session.get(mirrored(url, self.mirror), timeout=TIMEOUT_S, **kwargs)

    def head_bytes(self, url: str) -> tuple[int, bytes]:
        """The status and the first HEAD_BYTES of a body, gzip undone when the file is gzip."""
        with self.get(url, stream=True) as response:
            data = b""
            for chunk in response.iter_content(64 * 1024):
                data += chunk
                if len(data) >= HEAD_BYTES:
                    break
            return response.status_code, data

    def check(self, dataset, facts: TerritoryFacts) -> Report:
        report = Report(dataset.id, dataset.source.kind)
        try:
            request = smallest_request(dataset, facts)
            report.url = request.url
            columns = getattr(self, f"_{dataset.source.kind}", self._file)(dataset, request, report)
        except Exception as error:  # noqa: BLE001 - one line per entry
            report.status = "erreur"
            report.problems.append(str(error)[:300])
            return report
        if columns is not None:
            absent = [name for name in declared_columns(dataset)
                      if name.lower() not in {column.lower() for column in columns}]
            if absent:
                report.problems.append("colonnes absentes : " + ", ".join(absent))
        return report

    def _answered(self, report: Report, status: int, what: str = "") -> bool:
        report.status = f"{status}{' ' + what if what else ''}"
        if status >= 400:
            report.problems.append(f"réponse {status}")
            return False
        return True

    def _file(self, dataset, request, report) -> list[str] | None:
        if dataset.source.kind == "national_file" or dataset.format.archive_member:
            response = self.session.head(mirrored(request.url, self.mirror), timeout=TIMEOUT_S, allow_redirects=True)
            self._answered(report, response.status_code, response.headers.get("Content-Length", "") + " octets")
            return None  # a national file or an archive: not read here
        status, data = self.head_bytes(request.url)
        if status == 404 and dataset.source.fallback is not None:
            report.status = "404, repli"
            return self._datagouv(dataset, fallback_request(dataset, request.year, request.codes), report)
        if not self._answered(report, status):
            return None
        return columns_of(data, dataset.format.type)

    def _datagouv(self, dataset, request, report) -> list[str] | None:
        response = self.get(request.url)
        if not self._answered(report, response.status_code):
            return None
        if request.resource_pattern:
            from donnees_territoires.catalog.model import ResourceSelector
            resource = select_resource(response.json(), ResourceSelector(title_pattern=request.resource_pattern))
        else:
            resource = select_resource(response.json(), dataset.source.resource)
        if dataset.format.archive_member or resource.get("filesize", 0) > 50_000_000:
            report.status += f", ressource {resource.get('id', '?')}"
            return None
        status, data = self.head_bytes(resource["url"])
        self._answered(report, status, f"ressource {resource.get('id', '?')}")
        return columns_of(data, dataset.format.type) if status < 400 else None

    def _wfs(self, dataset, request, report) -> list[str] | None:
        response = self.get(request.url + "&COUNT=1")
        if not self._answered(report, response.status_code):
            return None
        document = response.json()
        features = document.get("features") or []
        report.status += f", {document.get('numberMatched', '?')} objet(s)"
        return list(features[0].get("properties", {})) if features else None

    def _wms(self, dataset, request, report) -> None:
        response = self.get(request.url)
        if self._answered(report, response.status_code):
            if f"<Name>{dataset.source.layer}</Name>" not in response.text:
                report.problems.append(f"couche {dataset.source.layer} absente des GetCapabilities")
        return None

    def _json_api(self, dataset, request, report) -> list[str] | None:
        response = self.get(request.url)
        if not self._answered(report, response.status_code):
            return None
        items = response.json().get(dataset.source.items_key)
        if not isinstance(items, list):
            report.problems.append(f"pas de liste « {dataset.source.items_key} »")
            return None
        report.status += f", {len(items)} enregistrement(s)"
        return list(items[0]) if items else None

    def _wmts(self, dataset, request, report) -> None:
        response = self.get(request.url)
        if self._answered(report, response.status_code):
            if not wmts_tile_matrix_sets(response.content, dataset.source.layer):
                report.problems.append(f"couche {dataset.source.layer} absente des GetCapabilities")
        return None

    def _gtfs(self, dataset, request, report) -> None:
        response = self.get(request.url.split("#", 1)[0])
        if self._answered(report, response.status_code):
            feeds = select_feeds(response.json(), request.codes)
            report.status += f", {len(feeds)} flux GTFS"
        return None


def columns_of(data: bytes, kind: str) -> list[str] | None:
    """The columns named in the start of a file: a CSV header, or the first GeoJSON feature's properties."""
    if data[:2] == b"\x1f\x8b":
        data = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data)
    text = data.decode("utf-8-sig", "replace")
    if kind == "csv":
        header = text.splitlines()[0] if text else ""
        separator = max(",;\t|", key=header.count)
        return [name.strip().strip('"') for name in header.split(separator)]
    found = re.search(r'"properties"\s*:\s*\{(.*?)\}', text, re.S)
    return re.findall(r'"([^"]+)"\s*:', found.group(1)) if found else None


# -- README ------------------------------------------------------------------------------------------------------
def source_text(dataset) -> str:
    source = dataset.source
    if source.kind == "wfs":
        return f"WFS `{source.typename}`" + (" (par partition)" if source.partitions else "")
    if source.kind in ("wmts", "wms"):
        return f"{source.kind.upper()} `{source.layer}`"
    if source.kind == "json_api":
        return "API JSON paginée, par commune"
    if source.kind == "datagouv":
        return f"data.gouv.fr `{source.dataset}`"
    if source.kind == "gtfs":
        return f"GTFS (`{source.layer}`) du point d'accès national"
    kinds = {"commune_file": "fichier par commune", "departement_file": "fichier par département",
             "region_file": "fichier par région", "epci_file": "fichier par EPCI", "national_file": "fichier national"}
    return kinds.get(source.kind, source.kind) + (", repli national" if source.fallback else "")


def render(catalog) -> str:
    lines = []
    themes = list(THEME_TITLES)
    datasets = sorted(catalog.datasets, key=lambda d: (themes.index(d.theme), d.title.fr.lower()))
    for theme in themes:
        chosen = [d for d in datasets if d.theme == theme]
        if not chosen:
            continue
        lines += ["", f"**{THEME_TITLES[theme]}** ({len(chosen)})", "",
                  "| Jeu (identifiant) | Producteur | Source | Licence | Mise à jour | Vérifié |",
                  "|---|---|---|---|---|---|"]
        for d in chosen:
            title = d.title.fr.replace("|", "/")
            lines.append(f"| [{title}]({d.homepage}) (`{d.id}`) | {d.producer} | {source_text(d)} | "
                         f"[{d.licence.name}]({d.licence.url}) | {FREQUENCIES[d.update_frequency]} | "
                         f"{'oui' if d.verified else 'non'} |")
    count = len(catalog.datasets)
    views = sum(1 for d in catalog.datasets if d.is_view_only)
    verified = sum(1 for d in catalog.datasets if d.verified)
    header = (f"{count} entrées : {count - views} jeux de données et {views} fonds de plan en affichage ; {verified} "
              "vérifiées dans la documentation ou le code du producteur (colonne « Vérifié »).")
    return "\n".join([START, header, *lines, END])


def readme_block(text: str) -> str:
    start, end = text.index(START), text.index(END) + len(END)
    return text[start:end]


def write_readme(catalog, readme: Path = README) -> bool:
    text = readme.read_text(encoding="utf-8")
    new = text.replace(readme_block(text), render(catalog))
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


# -- command line ------------------------------------------------------------------------------------------------
def print_reports(reports: list[Report], stream=sys.stdout) -> None:
    for report in reports:
        mark = "ok " if report.ok else "NON"
        line = f"{mark} {report.dataset:<36} {report.kind:<17} {report.status}"
        print(line.rstrip(), file=stream)
        for problem in report.problems:
            print(f"      {problem}", file=stream)
    failed = sum(1 for report in reports if not report.ok)
    print(f"{len(reports)} entrée(s), {failed} à corriger.", file=stream)


def main(argv: list[str] | None = None, stream=sys.stdout) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--online", action="store_true", help="envoyer la plus petite requête de chaque entrée")
    parser.add_argument("--mirror", default="", help="miroir : <miroir>/hôte/chemin")
    parser.add_argument("--commune", default="", help="code INSEE de la commune des requêtes (33063 par défaut)")
    parser.add_argument("--only", default="", help="identifiants d'entrées, séparés par des virgules")
    parser.add_argument("--readme", action="store_true", help="le tableau des jeux de données du README")
    parser.add_argument("--write", action="store_true", help="avec --readme : le réécrire dans README.md")
    parser.add_argument("--check", action="store_true", help="avec --readme : 1 si README.md diffère")
    args = parser.parse_args(argv)
    document = builtin_catalog()
    if args.readme:
        if args.write:
            print("README.md réécrit." if write_readme(document) else "README.md déjà à jour.", file=stream)
            return 0
        if args.check:
            same = readme_block(README.read_text(encoding="utf-8")) == render(document)
            print("README.md à jour." if same else "README.md à régénérer : --readme --write", file=stream)
            return 0 if same else 1
        print(render(document), file=stream)
        return 0
    facts = dict(DEFAULT_FACTS)
    if args.commune:
        facts.update(communes=(args.commune,), epci=(), departements=(), regions=())
    territory = TerritoryFacts(**facts)
    wanted = {i.strip() for i in args.only.split(",") if i.strip()}
    if args.online:
        online = Online(args.mirror)
        reports = [online.check(d, territory) for d in document.datasets if not wanted or d.id in wanted]
    else:
        reports = [r for r in validate(document, territory) if not wanted or r.dataset in wanted]
    print_reports(reports, stream)
    return 0 if all(report.ok for report in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
