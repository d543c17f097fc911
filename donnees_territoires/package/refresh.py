"""Refresh a package: its stored recipe run again on current data and COG, with a change report per layer."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from qgis.core import QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback, QgsVectorLayer

from ..__about__ import __version__
from ..toolbelt.i18n import tr
from .destination import Destination, destination_from_dict
from .recipe import Recipe, RunResult, run_recipe


@dataclass
class LayerChange:
    """What changed in one table between the package before and after the refresh."""

    dataset_id: str
    table: str
    title: str
    added: int = 0
    removed: int = 0
    modified: int = 0  # same key, other content (only for datasets with key fields)
    unchanged: int = 0
    by_key: bool = False  # compared by the dataset's key fields; otherwise by whole-feature fingerprint

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.modified)


@dataclass
class RefreshResult:
    run: RunResult
    changes: list[LayerChange]
    notes: list[str] = field(default_factory=list)  # COG migration and what it did
    report_path: Path | None = None

    @property
    def totals(self) -> tuple[int, int, int]:
        return (sum(c.added for c in self.changes), sum(c.removed for c in self.changes),
                sum(c.modified for c in self.changes))


# -- reading the package as it is ---------------------------------------------------------------------
def snapshot(destination: Destination, table: str, key_fields) -> list[str]:
    """« key<TAB>digest » of every feature of a package table (see checksum.feature_digests)."""
    from qgis.PyQt.QtCore import QCoreApplication, QEvent

    from .checksum import feature_digests

    layer = QgsVectorLayer(destination.layer_address(table), table, destination.PROVIDER)
    try:
        return feature_digests(layer, key_fields) if layer.isValid() else []
    finally:
        del layer
        # the provider goes with a deferred delete, and with it QGIS's handle on the file: a thread without an
        # event loop (a Processing run, a batch worker) must deliver it, or the package could not be replaced
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def keyed(before: list[str], after: list[str]) -> bool:
    """True when both snapshots identify each feature by a key of its own (present and unique on both sides)."""
    for lines in (before, after):
        keys = [line.split("\t", 1)[0] for line in lines]
        if any(not key for key in keys) or len(set(keys)) != len(keys):
            return False
    return True


def compare(before: list[str], after: list[str], by_key: bool) -> tuple[int, int, int, int]:
    """(added, removed, modified, unchanged) between two snapshots; by key only when `by_key` and keyed()."""
    if by_key and keyed(before, after):
        old = dict(line.split("\t", 1) for line in before)
        new = dict(line.split("\t", 1) for line in after)
        added = sum(1 for key in new if key not in old)
        removed = sum(1 for key in old if key not in new)
        modified = sum(1 for key in new if key in old and old[key] != new[key])
        return added, removed, modified, len(new) - added - modified
    old, new = Counter(line.split("\t", 1)[-1] for line in before), Counter(line.split("\t", 1)[-1] for line in after)
    added, removed = sum((new - old).values()), sum((old - new).values())
    return added, removed, 0, sum((old & new).values())


# -- COG migration ---------------------------------------------------------------------------------------
def migrate(recipe: Recipe, to_vintage: int) -> tuple[Recipe, list[str]]:
    """The recipe for another COG vintage: merged communes replaced by their successor, the rest checked.

    A commune split since (ambiguous) or gone, an EPCI dissolved: a French error naming them.
    """
    from ..territory import CogHistory, ConversionStatus, TerritoryIndex, TerritoryReferenceError, parse_references

    source = recipe.vintage
    if source == to_vintage:
        return recipe, []
    history = CogHistory.load()
    index = TerritoryIndex.load(to_vintage)
    references, notes = [], []
    for ref in parse_references(recipe.territory):
        if ref.prefix == "commune":
            conversion = history.convert(ref.code, target=to_vintage, source=source)
            if conversion.status in (ConversionStatus.AMBIGU, ConversionStatus.INCONNU):
                raise QgsProcessingException(tr("Passage du COG {source} au COG {target} impossible pour "
                                                "commune:{code} : {message}").format(
                                                    source=source, target=to_vintage, code=ref.code,
                                                    message=conversion.message))
            new = f"commune:{conversion.target_code}"
            if conversion.status is ConversionStatus.FUSIONNE:
                notes.append(tr("commune:{code} devient {new} ({name}) dans le COG {target}.").format(
                    code=ref.code, new=new, name=conversion.target_name, target=to_vintage))
        else:
            new = str(ref)
            try:
                index.get(new)
            except TerritoryReferenceError as error:
                raise QgsProcessingException(tr("Passage au COG {target} impossible : {error}").format(
                    target=to_vintage, error=error)) from error
        if new not in references:
            references.append(new)
    migrated = Recipe.from_dict({**recipe.to_dict(), "territory": ",".join(references), "vintage": to_vintage})
    notes.insert(0, tr("Recette passée du COG {source} au COG {target}.").format(source=source, target=to_vintage))
    return migrated, notes


# -- the refresh -----------------------------------------------------------------------------------------
def refresh_package(destination: Destination, context: QgsProcessingContext,
                    feedback: QgsProcessingFeedback | None = None, *, to_vintage: int | None = None,
                    report_path: Path | None = None, settings=None) -> RefreshResult:
    """Run a package's recipe again (conditional downloads: only what changed is fetched), on the latest
    COG unless `to_vintage`, and report what changed per layer, in the package and as Markdown."""
    from ..territory import latest_vintage
    from . import PackageError

    feedback = feedback or QgsProcessingFeedback()
    try:
        manifest = destination.read_manifest()
    except PackageError as error:
        raise QgsProcessingException(str(error)) from error
    recipe = Recipe.from_dict(manifest["recipe"])
    recipe.output = destination_from_dict(destination, recipe.batch)
    recipe.plugin_version = __version__  # a newer plugin may cut differently: its version decides

    recipe, notes = migrate(recipe, to_vintage or latest_vintage())
    for note in notes:
        feedback.pushInfo(note)
    before = snapshots(destination, manifest)

    run = run_recipe(recipe, context, feedback, settings=settings)
    changes = layer_changes(destination, recipe.datasets, before, run.manifest or {}, run.unchanged)
    result = RefreshResult(run, changes, notes, report_path or destination.report_path())
    if result.report_path is not None:
        result.report_path.write_text(markdown_report(result, manifest), encoding="utf-8")
    if not run.unchanged:
        destination.store_changes(changes, run.territory.vintage, notes)
    return result


def snapshots(destination: Destination, manifest: dict) -> dict:
    """{dataset id: (table, title, key fields, snapshot)} of every table of a package, before it is replaced."""
    return {layer["dataset_id"]: (layer["table_name"], layer.get("title") or layer["table_name"],
                                  tuple(layer.get("key_fields") or ()),
                                  snapshot(destination, layer["table_name"], layer.get("key_fields")))
            for layer in manifest.get("layers", [])}


def layer_changes(destination: Destination, datasets: list[str], before: dict, after: dict,
                  unchanged: bool = False) -> list[LayerChange]:
    """What changed in each table, from the snapshots() taken before and the manifest of the package now."""
    after_layers = {layer["dataset_id"]: layer for layer in after.get("layers", [])}
    changes = []
    # a dataset taken out of the recipe: its table is gone, all its features removed
    for dataset_id in list(datasets) + [dataset_id for dataset_id in before if dataset_id not in datasets]:
        old = before.get(dataset_id)
        new = after_layers.get(dataset_id)
        table = (new or {}).get("table_name") or (old[0] if old else dataset_id)
        title = (new or {}).get("title") or (old[1] if old else dataset_id)
        keys = tuple((new or {}).get("key_fields") or (old[2] if old else ()))
        now = old[3] if unchanged and old else (snapshot(destination, table, keys) if new else [])
        then = old[3] if old else []
        by_key = bool(keys) and keyed(then, now)  # keys missing from the table or repeated: by fingerprint
        added, removed, modified, same = compare(then, now, by_key)
        changes.append(LayerChange(dataset_id, table, title, added, removed, modified, same, by_key))
    return changes


def markdown_report(result: RefreshResult, previous: dict) -> str:
    """The change report a person reads: one line per layer, in French."""
    run = result.run
    when = datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")
    lines = [tr("# Mise à jour du paquet « {group} »").format(group=run.territory.group_name), "",
             tr("- Date : {when}").format(when=when),
             tr("- Paquet précédent : {date}, COG {vintage}").format(date=previous.get("created_at", "?"),
                                                                     vintage=previous.get("cog_vintage", "?")),
             tr("- COG de la mise à jour : {vintage}").format(vintage=run.territory.vintage)]
    lines += [f"- {note}" for note in result.notes]
    if run.unchanged:
        lines += ["", tr("Aucune source n'a changé : le paquet est à jour et n'a pas été réécrit.")]
    lines += ["", tr("| Couche | Ajoutées | Supprimées | Modifiées | Inchangées | Comparaison |"),
              "|---|---:|---:|---:|---:|---|"]
    for change in result.changes:
        method = tr("par identifiant") if change.by_key else tr("par empreinte")
        modified = str(change.modified) if change.by_key else "—"
        lines.append(f"| {change.title} (`{change.table}`) | {change.added} | {change.removed} | {modified} | "
                     f"{change.unchanged} | {method} |")
    added, removed, modified = result.totals
    lines += ["", tr("Total : {added} ajoutée(s), {removed} supprimée(s), {modified} modifiée(s).").format(
        added=added, removed=removed, modified=modified)]
    return "\n".join(lines) + "\n"
