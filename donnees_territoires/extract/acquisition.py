"""Acquire a catalog dataset for N territories: each territory's requests, each distinct source downloaded once.

A territory.Selection names the territories, COG vintage, buffer and custom shape; what is acquired for
it is a FetchedDataset: the files its requests point at (shared with the other territories asking for the
same file), the polygon it will be cut to, the CRS it is wanted in, the fetch records the manifest
keeps. Nothing is opened or cut here (split.py does it, in one read per file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingException,
    QgsProcessingMultiStepFeedback,
    QgsRectangle,
)

from ..toolbelt import log
from ..toolbelt.i18n import tr, user_locale
from .download import DownloadedFile, download, insecure_note
from .shape import Shape, territory_shape


@dataclass
class FetchedDataset:
    """A dataset's files downloaded (or confirmed from the cache) for one territory, not cut yet."""

    dataset: object  # catalog.model.Dataset
    territory: str
    shape: Shape | None  # the polygon to cut to (contour or custom shape); None when the rule needs none
    target: QgsCoordinateReferenceSystem
    files: list[DownloadedFile] = field(default_factory=list)
    fetches: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # the files missing at the producer's (counted), shape notes
    notes: list[str] = field(default_factory=list)  # what else the downloads had to say (a source in plain http)

    def sources(self) -> list[tuple[str, str]]:
        """(url, sha256) of every download: equal lists mean the same data as last time."""
        return fetch_sources(self.fetches)


def fetch_sources(records) -> list[tuple[str, str]]:
    """The sorted (url, sha256) of fetch records (a FetchedDataset's, a manifest layer's « fetch »): equal lists,
    the same data."""
    return sorted((record.get("url", ""), record.get("sha256", "")) for record in records or [])


def dataset_failure(dataset, error) -> str:
    """« Adresses (BAN) » (ban-adresses) : what went wrong — every failure of a dataset, said the same way."""
    return tr("« {title} » ({id}) : {error}").format(title=dataset.title_for(user_locale()), id=dataset.id,
                                                     error=error)


def no_data_message(fetched) -> str:
    """Why a territory got nothing of a dataset, in one line; each missing file is in the log."""
    count = len(fetched.warnings)
    if count == 0:
        return tr("aucune donnée reçue pour {territory}.").format(territory=fetched.territory)
    if count == 1:
        return tr("fichier absent chez le producteur pour {territory}.").format(territory=fetched.territory)
    return tr("{count} fichiers absents chez le producteur pour {territory}.").format(territory=fetched.territory,
                                                                                     count=count)


def closest_id(text: str, known: list[str]) -> str | None:
    """The catalog id someone meant by `text` (« adresses » → ban-adresses), or None when none is close."""
    import difflib

    word = text.strip().lower().replace(" ", "-").replace("_", "-")
    if word in known:
        return word
    # a whole part of an id, in the catalog's order (its themes: « parcelles » is the cadastre's before the RPG's)
    whole = [dataset_id for dataset_id in known if word and word in dataset_id.split("-")]
    if whole:
        return whole[0]
    containing = sorted((dataset_id for dataset_id in known if word and word in dataset_id), key=len)
    if containing:
        return containing[0]
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return close[0] if close else None


def check_datasets(catalog, datasets: list[str]) -> None:
    """QgsProcessingException, before anything is downloaded, for an empty choice, an unknown id or a base map."""
    missing = [dataset_id for dataset_id in datasets if dataset_id not in catalog]
    if missing:
        known = [dataset.id for dataset in catalog]
        refused = {refusal.entry: refusal.message for refusal in getattr(catalog, "refusals", [])}
        named = []
        for dataset_id in missing:
            if dataset_id in refused:  # an entry of a user's catalog, refused: say why
                named.append(tr("{id} (entrée refusée : {why})").format(id=dataset_id, why=refused[dataset_id]))
                continue
            guess = closest_id(dataset_id, known)
            named.append(tr("{id} (voulez-vous dire {guess} ?)").format(id=dataset_id, guess=guess) if guess
                         else dataset_id)
        raise QgsProcessingException(tr("Jeux de données inconnus des catalogues chargés : {ids}. Les identifiants "
                                        "sont ceux du catalogue, séparés par des virgules.").format(
            ids=", ".join(named)))
    if not datasets:
        raise QgsProcessingException(tr("Aucun jeu de données choisi : cochez au moins un jeu de données."))
    for dataset_id in datasets:
        if catalog[dataset_id].is_view_only:
            raise QgsProcessingException(tr("« {dataset} » est un fond de plan en affichage seulement (WMTS) : "
                                            "ajoutez-le au projet, il ne se télécharge pas.").format(
                                                dataset=dataset_id))


class Acquisition:
    """Downloads for the recipes of a run, each distinct URL once; the territories' polygons, computed once."""

    def __init__(self, catalog, settings, transform_context, feedback, *, crs: QgsCoordinateReferenceSystem | None):
        self.catalog, self.settings, self.feedback = catalog, settings, feedback
        self.transform_context = transform_context
        self.crs = crs if crs is not None and crs.isValid() else None
        self.downloads = 0  # distinct sources fetched
        self._shapes: dict[str, Shape] = {}
        self._styles: dict[str, str | None] = {}

    def shape(self, selection) -> Shape:
        """The polygon a selection's data is cut to: its territories' contour (buffered), or its custom shape."""
        key = selection.key()
        if key not in self._shapes:
            self._shapes[key] = territory_shape(selection, self.transform_context)
        return self._shapes[key]

    def style(self, dataset) -> str | None:
        """The QML of a dataset's style: a local file, or an https URL fetched through the cache (once a run)."""
        if dataset.id not in self._styles:
            style = dataset.style
            if style is None:
                text = None
            elif style.path is not None:
                text = Path(style.path).read_text(encoding="utf-8")
            else:
                from ..fetch import FetchError, fetch

                try:
                    text = fetch(style.url, settings=self.settings, max_age_s=86400).read_bytes().decode("utf-8")
                except FetchError as error:
                    raise QgsProcessingException(dataset_failure(dataset, error)) from error
            self._styles[dataset.id] = text
        return self._styles[dataset.id]

    def _notes(self, dataset, selection) -> list[str]:
        """What a territory's data of `dataset` will not be as asked: a buffer a cut by code ignores, a CRS
        chosen that does not cover the territory."""
        notes = []
        if selection.buffer_m and dataset.cut.rule in ("attribute", "none"):
            notes.append(tr("« {dataset} » est découpé par commune (code INSEE ou fichier par commune) : la zone "
                            "tampon de {buffer:g} m ne s'y applique pas.").format(dataset=dataset.id,
                                                                                  buffer=selection.buffer_m))
        if self.crs is not None and self.crs.bounds().width() > 0:
            try:
                west, south, east, north = self.shape(selection).wgs84_bbox(self.transform_context)
            except (ValueError, QgsProcessingException):  # no contour at hand: a cut by code needs none
                return notes
            if not self.crs.bounds().intersects(QgsRectangle(west, south, east, north)):
                notes.append(tr("La projection {crs} ({name}) ne couvre pas {territory} : les données y seront "
                                "déformées. Laissez la projection vide pour la projection légale du "
                                "territoire.").format(crs=self.crs.authid(), name=self.crs.description(),
                                                      territory=selection.name))
        return notes

    def _download(self, dataset, request, users, results, feedback, failure=None) -> str | None:
        """Download one request for its users (the selections asking for it); the warning of a file absent at
        the producer's, which each user got, else None. A failure is said by `failure(number, error)` when
        given."""
        try:
            downloaded, record, warning = download(request, dataset, self.settings, feedback)
        except QgsProcessingException as error:
            for number, _request in users:
                results[number] = dataset_failure(dataset, failure(number, error) if failure else error)
            return None
        self.downloads += 1
        for number, own in users:
            fetched = results[number]
            if isinstance(fetched, str):
                continue
            if warning:
                fetched.warnings.append(warning)
                continue
            fetched.files.append(downloaded.for_request(own))  # its own request (codes), on the one file
            fetched.fetches.append(record)
            note = insecure_note(dataset, record)
            if note and note not in fetched.notes:
                fetched.notes.append(note)
                log.warning(note)
        return warning

    def _fall_back(self, dataset, requests: dict, missing: dict, results: list, feedback) -> None:
        """A year whose every per-commune file is absent at the producer's (who stopped writing them: DVF since
        2026) is read from the national file instead (Source.fallback), once, each territory filtered on its
        own communes. A year with some files present is not: the absent ones are communes without data."""
        from ..catalog.sources import SourceRequest, fallback_request

        asked: dict = {}
        for request, _users in requests.values():
            asked[request.year] = asked.get(request.year, 0) + 1
        gone = {year: absent for year, absent in missing.items() if len(absent) == asked[year]}
        # every absent file of a territory, all years: what its failure says if the national file fails too
        absent_count: dict[int, int] = {}
        for absent in gone.values():
            for _request, users, _warning in absent:
                for number, _own in users:
                    absent_count[number] = absent_count.get(number, 0) + 1

        def failure(number, error, year):
            # the per-commune files are gone and the national file failed: both said, the absence first
            return tr("{count} fichiers absents chez le producteur pour {territory}, et le fichier national de "
                      "{year} non plus : {error}").format(count=absent_count.get(number, 0),
                                                          territory=results[number].territory, year=year, error=error)

        for year in sorted(gone, key=lambda y: (y is None, y)):
            if self.feedback.isCanceled():
                return
            absent = gone[year]
            own_codes: dict[int, list[str]] = {}  # selection number → its codes of that year (not failed yet)
            for request, users, _warning in absent:
                for number, own in users:
                    if not isinstance(results[number], str):
                        own_codes.setdefault(number, []).extend(own.codes or request.codes)
            if not own_codes:
                continue
            every_code = tuple(dict.fromkeys(code for codes in own_codes.values() for code in codes))
            national = fallback_request(dataset, year, every_code)
            log.info(tr("« {dataset} » : aucun fichier par commune pour {year} chez le producteur ; lecture du "
                        "fichier national ({url}), filtré sur les communes du territoire.").format(
                dataset=dataset.id, year=year if year is not None else "—", url=national.url))
            users = [(number, SourceRequest(dataset.id, national.kind, national.url, national.unit,
                                            tuple(dict.fromkeys(codes)), year, national.resource_pattern))
                     for number, codes in own_codes.items()]
            before = {number: len(results[number].files) for number, _own in users}
            self._download(dataset, national, users, results, feedback,
                           lambda number, error, year=year: failure(number, error, year))
            absent_warnings = {warning for _request, _users, warning in absent}
            for number, count in before.items():
                fetched = results[number]
                if not isinstance(fetched, str) and len(fetched.files) > count:  # the national file stood in
                    fetched.warnings = [w for w in fetched.warnings if w not in absent_warnings]
                    fetched.notes.append(tr("« {dataset} » {year} : lu dans le fichier national du producteur "
                                            "(plus de fichiers par commune).").format(
                        dataset=dataset.id, year=year if year is not None else ""))

    def fetch(self, dataset, selections: list, step: int, steps: int) -> list[FetchedDataset | str]:
        """For each territory.Selection, its FetchedDataset of `dataset`, or why it failed (a French sentence).

        A URL several selections need is downloaded once; the downloads fill step `step` of `steps`.
        """
        from ..catalog import facts_from_index
        from ..catalog.templates import TemplateError

        template = dataset.source.url or ""
        needs_shape = dataset.cut.rule not in ("attribute", "none") or dataset.source.kind == "wfs" \
            or "{bbox}" in template
        results: list[FetchedDataset | str] = []
        requests: dict[str, tuple] = {}  # url → (request, [(number, its own request)])
        for number, selection in enumerate(selections):
            try:
                shape = self.shape(selection) if needs_shape or selection.mask else None
                target = self.crs
                facts = facts_from_index(selection.index, selection.territories,
                                         bbox=shape.wgs84_bbox(self.transform_context) if shape else None,
                                         crs=target.authid() if target is not None else None)
                own_requests = self.catalog.expand_urls(dataset, facts)
                if target is None:
                    target = QgsCoordinateReferenceSystem(self.catalog.target_crs(dataset, facts))
                notes = self._notes(dataset, selection)
            except (TemplateError, ValueError, QgsProcessingException) as error:
                results.append(dataset_failure(dataset, error))
                continue
            results.append(FetchedDataset(dataset, selection.reference, shape, target,
                                          warnings=list(shape.warnings) if shape else [],
                                          notes=notes))
            for request in own_requests:
                requests.setdefault(request.url, (request, []))[1].append((number, request))
        language = user_locale()
        self.feedback.pushInfo(tr("« {title} » ({id}) : {count} source(s) à télécharger.").format(
            title=dataset.title_for(language), id=dataset.id, count=len(requests)))
        downloads = QgsProcessingMultiStepFeedback(steps, self.feedback)
        downloads.setCurrentStep(step)
        missing: dict = {}  # year → [(request, users, warning)] of the per-commune files absent at the producer's
        for request, users in requests.values():
            if self.feedback.isCanceled():
                break
            warning = self._download(dataset, request, users, results, downloads)
            if warning:
                missing.setdefault(request.year, []).append((request, users, warning))
        if dataset.source.fallback is not None and not self.feedback.isCanceled():
            self._fall_back(dataset, requests, missing, results, downloads)
        if not self.feedback.isCanceled():
            for number, fetched in enumerate(results):
                if not isinstance(fetched, str) and not fetched.files:
                    results[number] = dataset_failure(dataset, no_data_message(fetched))
                    if fetched.warnings:  # each missing file in the log; the message counts them
                        self.feedback.pushInfo("\n".join(fetched.warnings))
        return results
