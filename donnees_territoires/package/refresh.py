"""Refresh a package: its stored recipe run again on current data and COG, with a change report per layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from qgis.core import QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback

from ..__about__ import __version__
from ..toolbelt.i18n import tr
from .batch import run_tables_recipe
from .changes import LayerChange, layer_changes, snapshots
from .destination import Destination, destination_from_dict
from .recipe import Recipe, RunResult
from .runner import run_recipe


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
                    report_path: Path | None = None, settings=None, max_loss_pct: int | None = None) -> RefreshResult:
    """Run a package's recipe again (conditional downloads: only what changed is fetched), on the latest
    COG unless `to_vintage`, and report what changed per layer, in the package and as Markdown.
    `max_loss_pct`: the loss of features admitted (default: the recipe's); given, it replaces the recipe's,
    for this refresh and the next ones."""
    from ..territory import latest_vintage
    from . import PackageError

    feedback = feedback or QgsProcessingFeedback()
    try:
        manifest = destination.read_manifest()
    except PackageError as error:
        raise QgsProcessingException(str(error)) from error
    try:
        recipe = Recipe.from_dict(manifest["recipe"])
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise QgsProcessingException(tr(
            "La recette du paquet {destination} est illisible ({error}) : le manifeste a peut-être été modifié "
            "à la main. Produisez le paquet de nouveau avec « Produire un paquet territorial ».").format(
                destination=destination.label, error=error)) from error
    recipe.output = destination_from_dict(destination, recipe.batch)
    recipe.plugin_version = __version__  # a newer plugin may cut differently: its version decides
    if max_loss_pct is not None:
        recipe.max_loss_pct = max_loss_pct

    recipe, notes = migrate(recipe, to_vintage or latest_vintage())
    for note in notes:
        feedback.pushInfo(note)
    before = snapshots(destination, manifest)

    if recipe.batch:  # a batch's « one table per dataset » package: the batch runs again
        run = run_tables_recipe(recipe, context, feedback, settings=settings)
    else:
        run = run_recipe(recipe, context, feedback, settings=settings)
    changes = layer_changes(destination, recipe.datasets, before, run.manifest or {}, run.unchanged)
    result = RefreshResult(run, changes, notes, report_path or destination.report_path())
    if result.report_path is not None:
        result.report_path.write_text(markdown_report(result, manifest), encoding="utf-8")
    if not run.unchanged:
        destination.store_changes(changes, run.territory.vintage, notes)
    return result


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
    if run.missing:
        lines += ["", tr("Jeux de données en échec : leur couche précédente est gardée telle quelle (s'il y en "
                         "avait une), une prochaine mise à jour les retentera.")]
        lines += [f"- {' '.join(message.split())}" for message in run.missing.values()]
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
