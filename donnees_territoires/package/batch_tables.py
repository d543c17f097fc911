"""The « one table per dataset » PostGIS layout of a batch: one schema whose tables hold every territory's
features with a code_territoire column, written all at once (never while a territory fails).

The runner's stages acquire and split as for per-territory packages; the split tables, keyed by
territory code, are the package's tables themselves.
"""

from __future__ import annotations

import json

from qgis.core import QgsProcessingException

from ..extract.acquisition import FetchedDataset
from ..extract.split_table import SplitTable
from ..toolbelt.i18n import tr
from .batch_report import OBSOLETE, UNCHANGED, WRITTEN, TerritoryOutcome
from .changes import compare, snapshot, snapshots
from .model import PackageError, PackageLayer
from .postgis import count_by
from .recipe import is_unchanged, previous_manifest, territory_info
from .runner import Runner

#: the territory code column of the « one table per dataset » layout
TERRITORY_COLUMN = "code_territoire"


def table_of_territories(dataset, layer, target, context) -> SplitTable:
    """A dataset's table: its territory column must not take the name of one of the data's; its features'
    ids in a « fid » column, as in any package made from a GeoPackage."""
    column = TERRITORY_COLUMN
    while layer.fields().lookupField(column) >= 0:
        column = f"dt_{column}"
    return SplitTable(dataset.id, layer, target, context.transformContext(), key=column, keep_fid=True)


class TablesRun:
    """A batch whose packages are one: `combined` is its Recipe (territory = the parent, batch = the layout)."""

    def __init__(self, jobs, combined, catalog, settings, context, feedback, *, crs: str = "", workers: int = 1):
        self.combined, self.jobs, self.feedback = combined, jobs, feedback
        self.runner = Runner(jobs, catalog, settings, context, feedback, crs=crs, workers=workers,
                             key=lambda job: job.territory.code, new_table=table_of_territories, own_files=False)
        self.catalog = catalog
        self.gone: list[TerritoryOutcome] = []  # report lines of territories no longer in the batch

    def run(self) -> None:
        self.runner.run(produce=self.produce)

    def produce(self) -> None:
        """One package for every territory: each dataset's table holds them all, with a territory code column.

        All or nothing: while a territory fails, the tables are left as they are (rewriting them
        would drop that territory's rows).
        """
        runner, recipe, output = self.runner, self.combined, self.combined.output
        datasets = runner.datasets
        if self._hold_if_any_failed():
            return
        self._check_single_crs(datasets)
        union = []
        for dataset_id in datasets:
            records = {r.get("url", ""): r for job in self.jobs for r in job.fetched[dataset_id].fetches}
            warnings = [w for job in self.jobs for w in job.fetched[dataset_id].warnings]
            union.append(FetchedDataset(self.catalog[dataset_id], recipe.territory, None,
                                        self.jobs[0].fetched[dataset_id].target, fetches=list(records.values()),
                                        warnings=list(dict.fromkeys(warnings))))
        previous = previous_manifest(recipe)  # the tables as they are: read once, they change only at the write
        if is_unchanged(recipe, {item.dataset.id: item.sources() for item in union}, previous) \
                and self._take_counts(datasets, previous):
            self.feedback.pushInfo(tr("Sources inchangées : les tables de {schema} sont à jour.").format(
                schema=output.schema))
            return
        runner.split(self.jobs)
        runner.progress(2 * len(datasets))
        if self._hold_if_any_failed():
            return
        layers = [self._combined_layer(item) for item in union]
        before = snapshots(output, previous) if previous else None
        try:
            report = output.write(layers, recipe.to_dict(), territory_info(recipe, layers[0].layer.crs()).to_dict())
        except PackageError as error:
            for job in self.jobs:
                job.fail(str(error))
            return
        if before is not None:
            self._territory_changes(before, report.manifest)
        for job in self.jobs:
            job.outcome.status = WRITTEN
            job.outcome.counts = {dataset_id: sum(table.counts.get(job.territory.code, 0)
                                                  for table in runner.tables_of(dataset_id))
                                  for dataset_id in datasets}
            job.outcome.warnings = list(dict.fromkeys(w for d in datasets for w in job.warnings(d)))
        self.feedback.pushInfo(tr("Tables écrites : {destination} ({count} territoires).").format(
            destination=report.destination, count=len(self.jobs)))

    def _territory_changes(self, before: dict, manifest: dict) -> None:
        """Each territory's added, removed and modified rows in each table (keys start with its code)."""

        def by_territory(lines: list[str]) -> dict[str, list[str]]:
            grouped: dict[str, list[str]] = {}
            for line in lines:
                key = line.split("\t", 1)[0]
                grouped.setdefault(str(json.loads(key)[0]) if key else "", []).append(line)
            return grouped

        removed_rows: dict[str, dict[str, int]] = {}  # code no longer in the batch → dataset → rows it had
        codes = {job.territory.code for job in self.jobs}
        for layer in manifest.get("layers", []):
            old = before.get(layer["dataset_id"])
            keys = tuple(layer.get("key_fields") or ())
            old_lines = by_territory(old[3] if old else [])
            new_lines = by_territory(snapshot(self.combined.output, layer["table_name"], keys))
            for job in self.jobs:
                code = job.territory.code
                # by key only where the dataset has one: code_territoire alone does not tell features apart
                added, removed, modified, _same = compare(old_lines.get(code, []), new_lines.get(code, []),
                                                          len(keys) > 1)
                job.outcome.changes[layer["dataset_id"]] = [added, removed, modified]
            for code, lines in old_lines.items():
                if code and code not in codes:
                    removed_rows.setdefault(code, {})[layer["dataset_id"]] = len(lines)
        self._gone_territories(removed_rows)

    def _gone_territories(self, removed_rows: dict[str, dict[str, int]]) -> None:
        """A report line for each territory whose rows left the tables (a commune merged since, say)."""
        from ..territory import TerritoryKind

        prefix = TerritoryKind(self.combined.batch.get("level", "commune")).prefix
        schema = self.combined.output.schema
        for code, counts in sorted(removed_rows.items()):
            outcome = TerritoryOutcome(f"{prefix}:{code}", code, "", schema, schema, status=OBSOLETE,
                                       changes={dataset: [0, rows, 0] for dataset, rows in counts.items()})
            outcome.warnings.append(tr("{reference} n'est plus un territoire du lot (COG {vintage}) : ses lignes ont "
                                       "été retirées des tables.").format(reference=outcome.reference,
                                                                          vintage=self.combined.vintage))
            self.gone.append(outcome)

    def _hold_if_any_failed(self) -> bool:
        """True (and every territory told why) when a territory has failed: the tables are then not replaced."""
        failed = [job for job in self.jobs if job.failed]
        if not failed:
            return False
        names = ", ".join(f"{job.territory.name} ({job.territory.code})" for job in failed[:5])
        for job in self.jobs:
            job.outcome.held = not job.failed
            job.fail(tr("non écrit : les tables réunissent tous les territoires et {count} sont en échec ({names}) ; "
                        "le contenu précédent de {schema} est inchangé. Corrigez, puis relancez.").format(
                            count=len(failed), names=names + (" …" if len(failed) > 5 else ""),
                            schema=self.combined.output.schema))
        return True

    def _check_single_crs(self, datasets) -> None:
        """One table per dataset needs one projection: said before anything is split."""
        for dataset_id in datasets:
            if self.catalog[dataset_id].geometry_type == "none":
                continue
            found = sorted({job.fetched[dataset_id].target.authid() for job in self.jobs})
            if len(found) > 1:
                raise QgsProcessingException(tr(
                    "Les territoires de {parent} relèvent de plusieurs projections légales ({crs}) : choisissez une "
                    "projection (paramètre CRS) pour réunir « {dataset} » dans une table.").format(
                        parent=self.combined.territory, crs=", ".join(found), dataset=dataset_id))

    def _take_counts(self, datasets, manifest: dict) -> bool:
        """Each territory's rows in the tables already there (`manifest`: theirs); False when they cannot be
        counted (rewrite them)."""
        output = self.combined.output
        try:
            counts = {layer.get("dataset_id"): count_by(output.connection, output.schema, layer["table_name"],
                                                         (layer.get("key_fields") or [TERRITORY_COLUMN])[0])
                      for layer in manifest.get("layers", [])}
        except PackageError as error:
            self.feedback.pushWarning(str(error))
            return False
        for job in self.jobs:
            job.outcome.status = UNCHANGED
            job.outcome.counts = {d: counts.get(d, {}).get(job.territory.code, 0) for d in datasets}
        return True

    def _combined_layer(self, item: FetchedDataset) -> PackageLayer:
        """The PackageLayer of one dataset's table: the split table itself, keyed by territory then the data's key."""
        tables = self.runner.tables_of(item.dataset.id)
        if not tables:
            raise QgsProcessingException(tr("« {dataset} » : aucune donnée découpée.").format(dataset=item.dataset.id))
        layer = PackageLayer.from_dataset(item.dataset, tables[0].layer(), fetch=item.fetches,
                                          style_qml=self.runner.acquisition.style(item.dataset),
                                          warnings=item.warnings, language=self.runner.language)
        layer.key_fields = (tables[0].key, *item.dataset.key_fields)
        return layer
