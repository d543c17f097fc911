"""One package per territory of a parent (every commune of an EPCI, every EPCI of a département…).

Every source is downloaded once and split in one pass: a per-département file (BAN, Sirene) is
read once and its features are distributed by INSEE code to the territories (a dict code →
territories); a file cut by location is read once against a spatial index of the territories'
contours (prepared geometries); a per-commune file (cadastre, DVF) belongs to one territory
anyway and is cut with that territory. Each package is then written with write_geopackage and
stores its own territory's Recipe, so that it refreshes on its own. A package already made from
the very same recipe and downloads is left as it is (resumable). The fetch and the split run here;
the packages are written here or by worker processes (batch_worker.py). The « one table per
dataset » PostGIS layout is batch_tables.py; the report, batch_report.py.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingUtils,
    QgsRectangle,
    QgsSpatialIndex,
    QgsWkbTypes,
)

from .. import compat
from ..toolbelt.i18n import tr, user_locale
from .batch_report import (  # noqa: F401 — part of this module's interface
    FAILED,
    OBSOLETE,
    REPORT_CSV,
    REPORT_HTML,
    UNCHANGED,
    WRITTEN,
    TerritoryOutcome,
    stale_packages,
    status_label,
    write_reports,
)
from .batch_worker import SPILL_FID, SPILL_KEY
from .destination import TABLES_LAYOUT, GeoPackage, PostgisSchema, PostgisTables, slug

#: LEVEL values of the batch algorithm, in the order of its enum
LEVELS = ("commune", "epci")
#: PostGIS layouts: one schema per territory, or one table per dataset with a territory code column
SCHEMAS, TABLES = "schemas", TABLES_LAYOUT
#: POSTGIS_LAYOUT values of the batch algorithm, in the order of its enum
LAYOUTS = (SCHEMAS, TABLES)
#: the territory code column of the « one table per dataset » layout
TERRITORY_COLUMN = "code_territoire"


def batch_territories(parent: str, level: str, vintage: int | None = None) -> list:
    """The territories to package: the communes of `parent`, or the EPCI having communes in it (whole EPCI)."""
    from ..territory import TerritoryIndex, TerritoryKind, parse_references

    index = TerritoryIndex.load(vintage)
    communes = {}
    for reference in parse_references(parent):
        for commune in index.communes(index.get(reference)):
            communes.setdefault(commune.code, commune)
    if level == "commune":
        return sorted(communes.values(), key=lambda t: t.code)
    if level != "epci":
        raise ValueError(tr("Niveau inconnu : {level} (commune ou epci).").format(level=level))
    groups = {}
    for commune in communes.values():
        group = index.parent(commune, TerritoryKind.EPCI)
        if group is not None:
            groups.setdefault(group.code, group)
    return sorted(groups.values(), key=lambda t: t.code)


@dataclass
class BatchResult:
    folder: Path  # the reports' folder (and the GeoPackages')
    outcomes: list[TerritoryOutcome]
    report_csv: Path | None = None
    report_html: Path | None = None
    downloads: int = 0  # distinct sources fetched (each once)
    workers: int = 1  # processes that wrote the packages
    destination: str = ""  # the folder, or « connection / schema(s) »

    def by_status(self, status: str) -> list[TerritoryOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == status]


@dataclass
class _Job:
    """One territory in the batch: its recipe, and per dataset its FetchedDataset and split file."""

    territory: object  # territory.Territory
    recipe: object  # recipe.Recipe
    outcome: TerritoryOutcome
    fetched: dict = field(default_factory=dict)  # dataset id → FetchedDataset
    layers: dict = field(default_factory=dict)  # dataset id → _Spill holding its features (attribute and spatial rules)
    failed: bool = False

    def fail(self, message: str) -> None:
        if not self.failed:
            self.failed = True
            self.outcome.error = message


#: worker processes when the user says « 0 » (one per core): each one is a QGIS of a few hundred MB
MAX_AUTO_WORKERS = 4


def worker_count(requested: int) -> int:
    """`requested`, or with 0 one per core this process may use, at most MAX_AUTO_WORKERS."""
    if requested > 0:
        return requested
    try:
        cores = len(os.sched_getaffinity(0))  # what a container or `taskset` leaves us
    except AttributeError:  # Windows, macOS
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_AUTO_WORKERS))


def run_batch(parent: str, level: str, datasets: list[str], folder, context: QgsProcessingContext,
              feedback: QgsProcessingFeedback | None = None, *, vintage: int | None = None, buffer_m: float = 0.0,
              crs: str = "", settings=None, postgis: dict | None = None, workers: int = 1) -> BatchResult:
    """One package per territory of `parent` at `level`, then rapport.csv and rapport.html in `folder`.

    Without `postgis`, one GeoPackage per territory in `folder`. With `postgis`
    ({"connection": a QGIS connection name or a connection string, "layout": "schemas" or
    "tables", "schema": …}): one schema per territory (named commune_33063, after the optional
    prefix `schema`), or one schema (`schema`, default departement_33_communes) holding one table
    per dataset with a code_territoire column; `folder` then only receives the reports (None: the
    Processing temporary folder). `workers` processes write the packages (0: one per core).
    A territory whose download, cut or write fails is reported « échec »; the others go on.
    Raises QgsProcessingException for what stops everything (unknown dataset, cancel).
    """
    from ..catalog import configured_catalog
    from ..territory import TerritoryIndex, parse_references
    from ..toolbelt.settings import current
    from .recipe import Recipe

    feedback = feedback or QgsProcessingFeedback()
    settings = settings or current()
    catalog = configured_catalog(settings)
    missing = [dataset_id for dataset_id in datasets if dataset_id not in catalog]
    if missing:
        raise QgsProcessingException(tr("Jeux de données inconnus des catalogues chargés : {ids}.").format(
            ids=", ".join(missing)))
    if not datasets:
        raise QgsProcessingException(tr("Aucun jeu de données choisi : cochez au moins un jeu de données."))
    vintage = TerritoryIndex.load(vintage).vintage if vintage is None else vintage
    if folder:
        folder = Path(folder).expanduser().absolute()
    elif postgis:
        folder = Path(QgsProcessingUtils.tempFolder()) / f"lot-{slug(parent)}-{uuid.uuid4().hex[:6]}"
    else:
        raise QgsProcessingException(tr("Indiquez un dossier pour les paquets, ou une connexion PostGIS."))
    folder.mkdir(parents=True, exist_ok=True)
    territories = batch_territories(parent, level, vintage)
    if not territories:
        raise QgsProcessingException(tr("Aucun territoire de niveau « {level} » dans {parent}.").format(
            level=level, parent=parent))
    layout, combined = (postgis or {}).get("layout", SCHEMAS), None
    if postgis and layout not in (SCHEMAS, TABLES):
        raise ValueError(tr("Organisation PostGIS inconnue : {layout} (schemas ou tables).").format(layout=layout))
    if postgis:
        from .postgis import check_connection

        check_connection(postgis["connection"])  # a wrong name or password: said before any download
    catalogs = sorted({catalog[d].origin.location for d in datasets
                       if catalog[d].origin.kind != "builtin" and catalog[d].origin.location})
    content = {"datasets": list(datasets), "vintage": vintage, "buffer_m": buffer_m, "crs": crs, "catalogs": catalogs}
    if postgis and layout == TABLES:
        output = PostgisTables.named_for(postgis["connection"], parent, level, postgis.get("schema") or "")
        combined = Recipe(territory=",".join(str(ref) for ref in parse_references(parent)), output=output,
                          batch={"level": level, "layout": TABLES, "column": TERRITORY_COLUMN}, **content)
    jobs, where = _plan(territories, folder, postgis, combined, content)
    feedback.pushInfo(tr("{count} paquets à produire dans {destination}.").format(count=len(territories),
                                                                                 destination=where))
    if combined is not None:
        from .batch_tables import TablesBatch

        batch = TablesBatch(catalog, settings, context, feedback, jobs, buffer_m, crs, workers=workers,
                            combined=combined)
    else:
        batch = _Batch(catalog, settings, context, feedback, jobs, buffer_m, crs, workers=workers)
    batch.run()
    outcomes = [job.outcome for job in jobs] + batch.gone
    if not postgis:
        outcomes += stale_packages(folder, {outcome.label for outcome in outcomes}, level, vintage)
    result = BatchResult(folder, outcomes, downloads=batch.downloads, workers=batch.workers, destination=where)
    index = TerritoryIndex.load(vintage)
    label = ", ".join(f"{index.get(ref).name} ({ref})" for ref in parse_references(parent))
    result.report_csv, result.report_html = write_reports(folder, result.outcomes, datasets, label)
    return result


def _plan(territories, folder: Path, postgis: dict | None, combined, content: dict) -> tuple[list[_Job], str]:
    """(one job per territory with its recipe and destination, where the packages go — for the messages)."""
    from .recipe import Recipe

    prefix = ((postgis or {}).get("schema") or "").strip()
    if combined is not None:
        where = f"{postgis['connection']} / {combined.output.schema}"
    elif postgis:
        where = f"{postgis['connection']} / {prefix + '_' if prefix else ''}<type>_<code>"
    else:
        where = str(folder)
    jobs = []
    for territory in territories:
        if combined is not None:
            output = combined.output
            destination = label = output.schema
        elif postgis:
            output = PostgisSchema.named_for(postgis["connection"], territory, prefix)
            destination = label = output.schema
        else:
            output = GeoPackage.named_for(folder, territory)
            destination, label = output.path, Path(output.path).name
        recipe = Recipe(territory=territory.reference, output=output, **content)
        jobs.append(_Job(territory, recipe, TerritoryOutcome(territory.reference, territory.code, territory.name,
                                                             destination, label)))
    return jobs, where


class _Spill:
    """The features of one dataset split among the territories, on disk (memory stays one territory's worth).

    Per-territory packages: one temporary GeoPackage table in the territories' target CRS, with
    a column naming the territory each feature was given to, indexed: each package reads back
    only its own rows (batch_worker.read_spill). The « one table per dataset » layout: the table
    itself, with its code_territoire column, written to PostGIS as it is (its feature ids in a
    « fid » column, as in any package made from a GeoPackage).
    """

    def __init__(self, name: str, source, crs: QgsCoordinateReferenceSystem, context: QgsProcessingContext, *,
                 key: str = SPILL_KEY, combined: bool = False):
        from qgis.core import QgsFields, QgsVectorFileWriter

        self.source_fields = QgsFields(source.fields())
        self.wkb = source.wkbType()
        if source.isSpatial() and source.geometryType() != compat.GEOMETRY_POINT:
            self.wkb = QgsWkbTypes.multiType(self.wkb)  # a clip may turn a polygon into several
        self.crs, self.name, self.key = crs, name, key
        self.counts: Counter = Counter()
        fields = QgsFields(self.source_fields)
        fields.append(compat.make_field(key, "string"))
        self.fields = fields
        fid = "fid" if combined and "fid" not in {n.lower() for n in self.source_fields.names()} else SPILL_FID
        self.path = Path(QgsProcessingUtils.tempFolder()) / f"batch-{name}-{uuid.uuid4().hex[:8]}.gpkg"
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        options.layerName = "spill"
        options.layerOptions = ["SPATIAL_INDEX=NO", f"FID={fid}"]
        self.writer = QgsVectorFileWriter.create(str(self.path), fields, self.wkb, crs, context.transformContext(),
                                                 options)
        if self.writer.hasError() != QgsVectorFileWriter.WriterError.NoError:
            raise QgsProcessingException(tr("Fichier de travail {path} impossible à créer : {error}").format(
                path=self.path, error=self.writer.errorMessage()))

    def positions(self, layer) -> list[int] | None:
        """Where each spill field is in `layer` (-1: absent); None when the fields are the same."""
        if layer.fields().names() == self.source_fields.names():
            return None
        return [layer.fields().lookupField(name) for name in self.source_fields.names()]

    def add(self, feature: QgsFeature, territory: str, positions: list[int] | None = None) -> None:
        """Spill a feature (already in the target CRS) for `territory`; `positions` from positions()."""
        copy = QgsFeature(self.fields)
        if feature.hasGeometry():
            copy.setGeometry(feature.geometry())
        values = feature.attributes()
        if positions is not None:
            values = [values[position] if position >= 0 else None for position in positions]
        copy.setAttributes(values + [territory])
        if not self.writer.addFeature(copy):
            raise QgsProcessingException(tr("Fichier de travail {path} : écriture impossible ({error}).").format(
                path=self.path, error=self.writer.errorMessage()))
        self.counts[territory] += 1

    def finish(self) -> None:
        """Close the writer and index the territory column."""
        import sqlite3

        if self.writer is None:
            return
        self.writer = None  # deleting the writer flushes and closes the file
        with sqlite3.connect(self.path) as db:
            db.execute(f'CREATE INDEX spill_territory ON spill ("{self.key}")')
        db.close()

    def layer(self):
        """The whole spill as a layer (the « one table per dataset » layout)."""
        from qgis.core import QgsVectorLayer

        self.finish()
        return QgsVectorLayer(f"{self.path}|layername=spill", self.name, "ogr")

    def remove(self) -> None:
        self.writer = None
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            except OSError:  # still open (Windows): the Processing temporary folder goes at exit
                pass


class _Batch:
    def __init__(self, catalog, settings, context, feedback, jobs, buffer_m, crs, *, workers: int = 1,
                 combined=None):
        self.catalog, self.settings, self.context, self.feedback = catalog, settings, context, feedback
        self.jobs, self.buffer_m = jobs, buffer_m
        self.crs = QgsCoordinateReferenceSystem(crs) if crs else None
        self.requested_workers, self.workers = workers, 1
        self.combined = combined  # the Recipe of the « one table per dataset » layout, or None
        self.language = user_locale()
        self.downloads = 0
        self.gone: list[TerritoryOutcome] = []  # report lines of territories no longer in the batch
        self._boundaries: dict[str, object] = {}
        self._styles: dict[str, str | None] = {}
        self._spills: dict[tuple[str, str], _Spill] = {}

    def _check_canceled(self) -> None:
        if self.feedback.isCanceled():
            raise QgsProcessingException(tr("Production annulée : les paquets déjà écrits sont gardés."))

    # -- 1. fetch: every distinct request once ---------------------------------------------------
    def run(self) -> None:
        """Fetch every dataset (each distinct source once), then produce the packages; failures reported."""
        datasets = self.jobs[0].recipe.datasets
        total = 2 * len(datasets) + 1
        for number, dataset_id in enumerate(datasets):
            self.feedback.setProgress(100 * number / total)
            self._fetch(self.catalog[dataset_id], number, total)
            self._check_canceled()
        try:
            self._produce(datasets, total)
        finally:
            from .batch_worker import forget_spills

            forget_spills()
            for spill in self._spills.values():
                spill.remove()
            self._spills.clear()
        for job in self.jobs:
            if job.failed or (job.outcome.status == FAILED and job.outcome.error):
                job.outcome.status = FAILED
                self.feedback.reportError(tr("{name} ({code}) : {error}").format(
                    name=job.territory.name, code=job.territory.code, error=job.outcome.error))
        self.feedback.setProgress(100)

    def _produce(self, datasets, total) -> None:
        """Per-territory packages: the up-to-date ones left as they are, the others split and written."""
        from .recipe import is_unchanged, previous_manifest

        pending = []
        for job in self.jobs:
            if job.failed:
                continue
            previous = previous_manifest(job.recipe)
            if is_unchanged(job.recipe, [job.fetched[d] for d in datasets], previous):
                job.outcome.status = UNCHANGED
                job.outcome.counts = {layer.get("dataset_id"): layer.get("feature_count")
                                      for layer in previous.get("layers", [])}
                job.fetched.clear()
            else:
                pending.append(job)
        self.feedback.pushInfo(tr("{count} paquet(s) déjà à jour, {todo} à écrire.").format(
            count=sum(1 for job in self.jobs if job.outcome.status == UNCHANGED), todo=len(pending)))
        self._split_all(datasets, pending, total)
        self._write_all(datasets, [job for job in pending if not job.failed], total)

    def _split_all(self, datasets, pending, total) -> None:
        """Split the shared sources in one pass each (attribute and spatial rules)."""
        for number, dataset_id in enumerate(datasets):
            self.feedback.setProgress(100 * (len(datasets) + number) / total)
            dataset = self.catalog[dataset_id]
            if dataset.cut.rule != "none":
                self._split(dataset, [job for job in pending if not job.failed])
            self._check_canceled()

    def _boundary(self, job):
        """The territory's contour (buffered) as a polygon layer in its legal CRS, computed once."""
        from ..extract.dataset import boundary_layer, territory_boundaries

        reference = job.territory.reference
        if reference not in self._boundaries:
            boundaries = territory_boundaries(reference, job.recipe.vintage, self.context, buffer_m=self.buffer_m)
            self._boundaries[reference] = (boundary_layer(boundaries.boundaries, boundaries.crs),
                                           list(boundaries.warnings))
        return self._boundaries[reference]

    def _fetch(self, dataset, step: int, steps: int) -> None:
        """Each job's FetchedDataset for `dataset`; a URL shared by several jobs is downloaded once.

        The downloads' progress fills step `step` of the batch's `steps`."""
        from qgis.core import QgsProcessingMultiStepFeedback

        from ..catalog import facts_from_index
        from ..catalog.templates import TemplateError
        from ..extract.dataset import FetchedDataset, _download, wgs84_bbox
        from ..territory import TerritoryIndex

        index = TerritoryIndex.load(self.jobs[0].recipe.vintage)
        template = dataset.source.url or ""
        needs_boundary = dataset.cut.rule not in ("attribute", "none") or dataset.source.kind == "wfs" \
            or "{bbox}" in template
        requests = {}  # url → (request, [(job, request)])
        for job in self.jobs:
            if job.failed:
                continue
            try:
                boundary, warnings = self._boundary(job) if needs_boundary else (None, [])
                target = self.crs if self.crs is not None and self.crs.isValid() else None
                facts = facts_from_index(index, job.territory.reference,
                                         bbox=wgs84_bbox(boundary, self.context) if boundary is not None else None,
                                         crs=target.authid() if target is not None else None)
                job_requests = self.catalog.expand_urls(dataset, facts)
                if target is None:
                    target = QgsCoordinateReferenceSystem(self.catalog.target_crs(dataset, facts))
            except (TemplateError, ValueError, QgsProcessingException) as error:
                job.fail(tr("« {dataset} » : {error}").format(dataset=dataset.id, error=error))
                continue
            job.fetched[dataset.id] = FetchedDataset(dataset, job.territory.reference, boundary, target,
                                                     warnings=list(warnings))
            for request in job_requests:
                requests.setdefault(request.url, (request, []))[1].append((job, request))
        self.feedback.pushInfo(tr("« {title} » ({id}) : {count} source(s) à télécharger.").format(
            title=dataset.title_for(self.language), id=dataset.id, count=len(requests)))
        downloads = QgsProcessingMultiStepFeedback(steps, self.feedback)
        downloads.setCurrentStep(step)
        for request, users in requests.values():
            self._check_canceled()
            try:
                piece, record, warning = _download(request, dataset, self.settings, downloads)
            except QgsProcessingException as error:
                for job, _request in users:
                    job.fail(tr("« {dataset} » : {error}").format(dataset=dataset.id, error=error))
                continue
            self.downloads += 1
            for job, own in users:
                fetched = job.fetched.get(dataset.id)
                if fetched is None:
                    continue
                if warning:
                    fetched.warnings.append(warning)
                    continue
                # the job's own request (its codes), on the one downloaded file
                fetched.pieces.append(type(piece)(own, piece.path, piece.url, piece.member))
                fetched.fetches.append(record)
        for job in self.jobs:
            fetched = job.fetched.get(dataset.id)
            if not job.failed and fetched is not None and not fetched.pieces:
                job.fail(tr("« {dataset} » : aucune donnée reçue pour {territory}. {warnings}").format(
                    dataset=dataset.id, territory=job.territory.reference, warnings=" ".join(fetched.warnings)))

    # -- 2. split ---------------------------------------------------------------------------------
    def _split(self, dataset, jobs) -> None:
        """Read each distinct piece of `dataset` once and give its features to the jobs that asked for it."""
        from ..extract.dataset import _open_piece

        users: dict[tuple, list] = {}  # (path, member) → [(job, piece)]
        for job in jobs:
            for piece in job.fetched[dataset.id].pieces:
                users.setdefault((str(piece.path), piece.member), []).append((job, piece))
        for (_path, _member), owners in users.items():
            self._check_canceled()
            try:
                layer = _open_piece(owners[0][1], dataset)
                if dataset.cut.rule == "attribute":
                    self._split_by_code(dataset, layer, owners)
                else:
                    self._split_by_location(dataset, layer, owners)
            except QgsProcessingException as error:
                for job, _piece in owners:
                    job.fail(tr("« {dataset} » : {error}").format(dataset=dataset.id, error=error))
        for (dataset_id, _authid), spill in self._spills.items():
            if dataset_id == dataset.id:
                spill.finish()

    def _spill(self, job, dataset, layer) -> _Spill:
        """The spill file holding `dataset` for the job's target CRS (created on first use)."""
        target = job.fetched[dataset.id].target
        key = (dataset.id, target.authid())
        if key not in self._spills:
            self._spills[key] = self._new_spill(dataset, layer, target)
        job.layers[dataset.id] = self._spills[key]
        return self._spills[key]

    def _new_spill(self, dataset, layer, target) -> _Spill:
        return _Spill(dataset.id, layer, target, self.context)

    def _value(self, job) -> str:
        """What a spill file holds in its territory column for `job`: its reference."""
        return job.territory.reference

    def _transforms(self, layer, jobs) -> dict:
        transforms = {}
        for job in jobs:
            for dataset_fetched in job.fetched.values():
                authid = dataset_fetched.target.authid()
                if authid not in transforms:
                    transforms[authid] = QgsCoordinateTransform(layer.crs(), dataset_fetched.target,
                                                                self.context.transformContext())
        return transforms

    def _split_by_code(self, dataset, layer, owners) -> None:
        from ..extract.cut import code_filter_expression
        from ..territory import normalize_commune_code

        code_field = dataset.cut.field
        if not code_field or layer.fields().lookupField(code_field) < 0:
            raise QgsProcessingException(tr("« {name} » n'a pas de champ « {field} » pour le filtre par code "
                                            "INSEE : champs présents : {fields}.").format(
                                                name=dataset.id, field=code_field,
                                                fields=", ".join(layer.fields().names()[:20])))
        owner_of: dict[str, list] = {}
        for job, piece in owners:
            for code in piece.request.codes:
                owner_of.setdefault(code, []).append(job)
        dropped: dict[int, int] = {}
        transforms = self._transforms(layer, [job for job, _piece in owners])
        spills = {id(job): self._spill(job, dataset, layer) for job, _piece in owners}
        positions = {id(job): spills[id(job)].positions(layer) for job, _piece in owners}
        request = QgsFeatureRequest().setFilterExpression(code_filter_expression(code_field, owner_of))
        position = layer.fields().lookupField(code_field)
        for feature in layer.getFeatures(request):
            value = feature[position]
            code = value if isinstance(value, str) else normalize_commune_code(value)
            for job in owner_of.get(code, ()):
                copy = QgsFeature(feature)
                if copy.hasGeometry():
                    geometry = copy.geometry()
                    if geometry.transform(transforms[job.fetched[dataset.id].target.authid()]) != 0:
                        dropped[id(job)] = dropped.get(id(job), 0) + 1
                        continue
                    copy.setGeometry(geometry)
                spills[id(job)].add(copy, self._value(job), positions[id(job)])
        for job, _piece in owners:
            self._dropped(job, dataset, dropped.get(id(job), 0))

    def _split_by_location(self, dataset, layer, owners) -> None:
        """Intersects, clip or within, against a spatial index of the territories' contours."""
        if not layer.isSpatial():
            raise QgsProcessingException(tr("« {name} » n'a pas de géométrie : découpez-la par code INSEE (filtre "
                                            "attributaire) plutôt que par emplacement.").format(name=dataset.id))
        rule = dataset.cut.rule
        jobs = [job for job, _piece in owners]
        index, shapes = QgsSpatialIndex(), {}
        extent = None
        for number, job in enumerate(jobs):
            boundary = job.fetched[dataset.id].boundary
            geometry = QgsGeometry.unaryUnion([f.geometry() for f in boundary.getFeatures()])
            if geometry.transform(QgsCoordinateTransform(boundary.crs(), layer.crs(),
                                                         self.context.transformContext())) != 0:
                raise QgsProcessingException(tr("Le contour de {name} ne se reprojette pas dans la projection de "
                                                "« {dataset} ».").format(name=job.territory.name, dataset=dataset.id))
            engine = QgsGeometry.createGeometryEngine(geometry.constGet())
            engine.prepareGeometry()
            shapes[number] = (job, geometry, engine)
            feature = QgsFeature(number)
            feature.setGeometry(geometry)
            if not index.addFeature(feature):
                raise QgsProcessingException(tr("Index spatial des contours impossible à construire."))
            if extent is None:
                extent = QgsRectangle(geometry.boundingBox())
            else:
                extent.combineExtentWith(geometry.boundingBox())
        dropped: dict[int, int] = {}
        transforms = self._transforms(layer, jobs)
        spills = {id(job): self._spill(job, dataset, layer) for job in jobs}
        positions = {id(job): spills[id(job)].positions(layer) for job in jobs}
        request = QgsFeatureRequest()
        if extent is not None:
            request.setFilterRect(extent)
        for feature in layer.getFeatures(request):
            geometry = feature.geometry()
            if geometry.isNull() or geometry.isEmpty():
                continue
            for number in index.intersects(geometry.boundingBox()):
                job, shape, engine = shapes[number]
                if not (engine.contains(geometry.constGet()) if rule == "within"
                        else engine.intersects(geometry.constGet())):
                    continue
                kept = QgsGeometry(geometry)
                if not kept.isGeosValid():
                    kept = kept.makeValid()
                    job.fetched[dataset.id].warnings.append(tr("« {name} » : géométrie invalide réparée (entité "
                                                               "{id}).").format(name=dataset.id, id=feature.id()))
                if rule == "clip":
                    kept = kept.intersection(shape)
                    if kept.isEmpty():
                        continue
                if kept.transform(transforms[job.fetched[dataset.id].target.authid()]) != 0:
                    dropped[id(job)] = dropped.get(id(job), 0) + 1
                    continue
                copy = QgsFeature(feature)
                copy.setGeometry(kept)
                spills[id(job)].add(copy, self._value(job), positions[id(job)])
        for job in jobs:
            self._dropped(job, dataset, dropped.get(id(job), 0))

    @staticmethod
    def _dropped(job, dataset, dropped: int) -> None:
        if dropped:
            job.fetched[dataset.id].warnings.append(tr("« {dataset} » : {count} entité(s) écartée(s), géométrie non "
                                                       "reprojetable.").format(dataset=dataset.id, count=dropped))

    # -- 3. write ---------------------------------------------------------------------------------
    def _style(self, dataset):
        from .recipe import _style_text

        if dataset.id not in self._styles:
            self._styles[dataset.id] = _style_text(dataset, self.settings)
        return self._styles[dataset.id]

    def _write_all(self, datasets, jobs, total) -> None:
        """Each territory's package, here or in worker processes (batch_worker)."""
        from .batch_worker import job_spec, shared_spec, worker_python

        if not jobs:
            return
        destination = jobs[0].recipe.output  # the packages of a batch all go to one kind of place
        shared = shared_spec(self.catalog, datasets, {d: self._style(self.catalog[d]) for d in datasets},
                             self.language, destination)
        specs = [job_spec(job, job.layers, job.recipe.output) for job in jobs]
        for job in jobs:
            job.layers.clear()
            job.fetched.clear()
        by_reference = {job.territory.reference: job for job in jobs}
        count = min(worker_count(self.requested_workers), len(specs))
        python = worker_python() if count > 1 else None
        start, planned = 2 * len(datasets), len(specs)

        def progress(done: int) -> None:
            self.feedback.setProgress(100 * (start + min(done, planned) / planned) / total)

        here, first = specs, 0
        if python is not None:
            # QGIS creates the layer_styles table on the first style: once, before the workers
            if destination.shared_styles:
                self._write_here(specs[:1], shared, by_reference, progress)
                specs, first = specs[1:], 1
            self.feedback.pushInfo(tr("Écriture des paquets par {count} processus de travail.").format(count=count))
            here = self._write_in_workers(specs, shared, python, min(count, len(specs)), by_reference,
                                          lambda done: progress(first + done))
            if here:
                self.feedback.pushWarning(tr("{count} paquet(s) non écrit(s) par les processus de travail : écriture "
                                             "dans ce processus.").format(count=len(here)))
        self._write_here(here, shared, by_reference, progress, planned - len(here))

    def _write_here(self, specs, shared, by_reference, progress, done: int = 0) -> None:
        import json

        from .batch_worker import run_job

        datasets = {dataset_id: self.catalog[dataset_id] for dataset_id in shared["datasets"]}
        for number, spec in enumerate(specs):
            progress(done + number)
            self._check_canceled()
            # the same JSON a worker reads: what runs here is what runs there
            outcome = run_job(json.loads(json.dumps(spec)), shared, datasets, self.context)
            self._take(by_reference[spec["territory"]["reference"]], outcome)

    def _write_in_workers(self, specs, shared, python, count, by_reference, progress) -> list[dict]:
        """Write `specs` in `count` worker processes; the jobs no worker took, to be written here."""
        import shutil
        import tempfile

        from .batch_worker import WorkerPool, discard_partial, left_over, read_outcomes, write_jobs

        if not specs:
            return []
        work = Path(tempfile.mkdtemp(prefix="lot-", dir=QgsProcessingUtils.tempFolder()))
        write_jobs(work, specs, shared)
        pool = WorkerPool(work, python, count)
        try:
            pool.start()
        except OSError as error:
            self.feedback.pushWarning(tr("Processus de travail impossible à lancer ({error}).").format(error=error))
            shutil.rmtree(work, ignore_errors=True)
            return specs
        try:
            pool.wait(self.feedback, progress)
        finally:
            if pool.alive():  # an error here, or QGIS closing: no worker goes on writing on its own
                pool.stop(grace_s=5)
            outcomes = read_outcomes(work)
            for reference, outcome in outcomes.items():
                self._take(by_reference[reference], outcome)
            self.workers = max(1, len({outcome.get("worker") for outcome in outcomes.values()} - {None}))
            unclaimed, interrupted = left_over(work)
            for claimed in interrupted.values():
                for spec in claimed:
                    discard_partial(spec)  # no worker is running any more: what is half-written goes
                    if not self.feedback.isCanceled():
                        # it may have ended its worker (a crash in GDAL…): not tried again inside QGIS
                        by_reference[spec["territory"]["reference"]].fail(tr(
                            "le processus de travail qui écrivait ce paquet s'est arrêté ; relancez la production "
                            "pour le reprendre."))
            if pool.succeeded():
                shutil.rmtree(work, ignore_errors=True)
        self._check_canceled()
        return unclaimed

    def _take(self, job, outcome: dict) -> None:
        job.outcome.update(outcome)
        if outcome["status"] == WRITTEN:
            self.feedback.pushInfo(tr("Paquet écrit : {destination}.").format(destination=job.outcome.destination))

