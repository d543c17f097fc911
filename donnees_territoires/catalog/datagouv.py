"""data.gouv.fr datasets: the API URL of a dataset and the choice of its latest matching resource."""

from __future__ import annotations

import fnmatch
import unicodedata
from typing import Any, Callable, Optional

from ..toolbelt.i18n import tr
from ..toolbelt.services import service_url
from .model import Dataset, ResourceSelector


class ResourceNotFoundError(LookupError):
    """No resource of a data.gouv.fr dataset matches the entry's selector; the message lists them."""


def api_url(dataset_ref: str) -> str:
    """API URL of a dataset from its id or slug (the schema restricts both to [A-Za-z0-9_-])."""
    return f"{service_url('datagouv_datasets')}{dataset_ref}/"


def fold(text: str) -> str:
    """Lower case without accents, ligatures spelt out: « Cœur » and « coeur » compare equal."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _matches(resource: dict, selector: ResourceSelector) -> bool:
    if selector.format:
        found = str(resource.get("format") or "").strip().lower().lstrip(".")
        if found != selector.format.lower():
            return False
    if selector.title_pattern:
        title = fold(str(resource.get("title") or ""))
        # fnmatch has no catastrophic backtracking (bpo-40480): a catalog's pattern cannot hang us
        if not fnmatch.fnmatchcase(title, fold(selector.title_pattern)):
            return False
    return True


def select_resource(document: dict, selector: ResourceSelector, label: str = "") -> dict:
    """The resource of an API answer the selector names: the one of its stable `id`; else (no id, or the
    producer replaced that resource) the most recently modified « main » resource matching its format and
    title pattern.

    Raises ResourceNotFoundError naming the dataset and listing what it does offer, so the
    catalog's author can fix the selector.
    """
    resources = [r for r in document.get("resources") or [] if isinstance(r, dict)]
    if selector.id:
        for resource in resources:
            if str(resource.get("id") or "") == selector.id:
                return resource
    main = [r for r in resources if (r.get("type") or "main") == "main"]
    candidates = [r for r in main if _matches(r, selector)] if selector.format or selector.title_pattern else []
    if not candidates:
        offered = "; ".join(f"{r.get('title') or '?'} ({r.get('format') or '?'})" for r in main[:15]) or "—"
        wanted = ", ".join(part for part in (selector.id, selector.format, selector.title_pattern) if part)
        raise ResourceNotFoundError(tr(
            "Le jeu data.gouv.fr « {dataset} » n'a aucune ressource qui corresponde à « {wanted} ». "
            "Ressources proposées : {offered}. Corrigez le sélecteur de ressource (« source.resource », ou "
            "« source.fallback ») de l'entrée du catalogue.").format(
                dataset=label or document.get("slug") or document.get("id") or "?", wanted=wanted, offered=offered))
    return max(candidates, key=lambda r: str(r.get("last_modified") or r.get("created_at") or ""))


def resolve_request(request, dataset: Dataset, fetch_json: Callable[[str], Any]) -> dict:
    """The resource a data.gouv.fr request points to: the entry's selector, or the request's own title pattern
    (a fallback's, sources.fallback_request)."""
    document = fetch_json(request.url)  # the dataset's API address (sources.expand_urls, fallback_request)
    if request.resource_pattern:
        return select_resource(document, ResourceSelector(title_pattern=request.resource_pattern),
                               label=document.get("slug") or request.url)
    return select_resource(document, dataset.source.resource, label=dataset.source.dataset)


def resolve(dataset: Dataset, fetch_json: Optional[Callable[[str], Any]] = None) -> dict:
    """The resource a data.gouv.fr entry points to today (its `url` is the file to download).

    `fetch_json(url)` returns the decoded API answer; by default the plugin's fetch() with a
    one-hour cache, so this needs QGIS. Call it from a task, never from the GUI thread.
    """
    if dataset.source.kind != "datagouv" or dataset.source.resource is None:
        raise ValueError(f"{dataset.id} n'est pas une entrée data.gouv.fr")
    if fetch_json is None:
        from ..fetch import fetch

        def fetch_json(url: str) -> Any:
            return fetch(url, max_age_s=3600).json()
    document = fetch_json(api_url(dataset.source.dataset))
    return select_resource(document, dataset.source.resource, label=dataset.source.dataset)
