"""The Catalog: built-in and user catalogs merged by id, browsed by theme, searched, expanded to URLs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Callable, Optional, Union

from ..toolbelt.i18n import tr
from .datagouv import fold
from .loader import CatalogDocument, Refusal, builtin_catalog, fetch_catalog, read_catalog_file
from .model import THEMES, CatalogSource, Dataset
from .sources import SourceRequest, expand_urls, target_crs
from .templates import TerritoryFacts

CatalogRef = Union[str, Path, CatalogDocument]


class UnknownDatasetError(KeyError):
    """No dataset of this id in the loaded catalogs."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class Catalog:
    """Datasets by id, from catalogs read in order: a later catalog replaces an entry of the same id.

    The built-in catalog comes first, then user and organisation catalogs in the order given.
    Each dataset knows its `origin`, and `overrides` names the catalog whose entry it replaced.
    """

    def __init__(self, documents: Iterable[CatalogDocument] = ()) -> None:
        self.documents: list[CatalogDocument] = []
        self._datasets: dict[str, Dataset] = {}
        for document in documents:
            self.add(document)

    @classmethod
    def load(cls, sources: Iterable[CatalogRef] = (), *, builtin: bool = True,
             fetch_url: Optional[Callable[[str], CatalogDocument]] = None) -> Catalog:
        """The built-in catalog (unless `builtin` is False) extended by `sources`.

        A source is a file path, an https URL (read with `fetch_url`, by default the plugin's
        fetch(): call this from a task when a source is a URL) or an already parsed document.
        Unreadable catalogs and invalid entries end up in `refusals`, never in an exception.
        """
        documents = [builtin_catalog()] if builtin else []
        for source in sources:
            if isinstance(source, CatalogDocument):
                documents.append(source)
            elif str(source).strip().lower().startswith("https://"):
                documents.append((fetch_url or fetch_catalog)(str(source).strip()))
            elif str(source).strip().lower().startswith("http://"):
                documents.append(fetch_catalog(str(source).strip()))  # refused: https only, nothing fetched
            else:
                documents.append(read_catalog_file(source))
        return cls(documents)

    def add(self, document: CatalogDocument) -> None:
        """Merge one more catalog: its entries replace those of the same id."""
        self.documents.append(document)
        for dataset in document.datasets:
            previous = self._datasets.get(dataset.id)
            if previous is not None:
                # keeps the place of the entry it replaces: the built-in order stays the display order
                dataset = replace(dataset, overrides=previous.origin)
            self._datasets[dataset.id] = dataset

    # -- lookup ---------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._datasets)

    def __iter__(self) -> Iterator[Dataset]:
        return iter(self._datasets.values())

    def __contains__(self, dataset_id: object) -> bool:
        return dataset_id in self._datasets

    def get(self, dataset_id: str) -> Optional[Dataset]:
        return self._datasets.get(dataset_id)

    def __getitem__(self, dataset_id: str) -> Dataset:
        try:
            return self._datasets[dataset_id]
        except KeyError:
            raise UnknownDatasetError(tr("Jeu de données « {id} » absent des catalogues chargés ({catalogs}).").format(
                id=dataset_id, catalogs=", ".join(d.source.label for d in self.documents) or "—")) from None

    def ids(self) -> list[str]:
        return list(self._datasets)

    def origin_of(self, dataset_id: str) -> CatalogSource:
        return self[dataset_id].origin

    @property
    def refusals(self) -> list[Refusal]:
        """Catalogs and entries refused, in reading order: show them to the user."""
        return [refusal for document in self.documents for refusal in document.refusals]

    # -- browsing -------------------------------------------------------------------------------
    def themes(self) -> list[str]:
        """Themes that have datasets, in display order."""
        present = {dataset.theme for dataset in self}
        return [theme for theme in THEMES if theme in present]

    def by_theme(self, theme: str, language: str = "fr") -> list[Dataset]:
        return sorted((d for d in self if d.theme == theme), key=lambda d: fold(d.title_for(language)))

    def search(self, text: str, language: str = "fr") -> list[Dataset]:
        """Datasets whose id, titles, description, producer, theme or keywords hold every word of `text`.

        Case and accents do not matter (« coeur » finds « cœur »). Title matches come first.
        """
        words = fold(text).split()
        if not words:
            return sorted(self, key=lambda d: fold(d.title_for(language)))
        found = []
        for dataset in self:
            title = fold(" ".join((dataset.title.fr, dataset.title.en, dataset.id)))
            body = fold(" ".join((dataset.description.fr, dataset.description.en, dataset.producer,
                                  dataset.theme.replace("_", " "), " ".join(dataset.keywords))))
            if all(word in title or word in body for word in words):
                in_title = sum(word in title for word in words)
                found.append((-in_title, fold(dataset.title_for(language)), dataset))
        return [dataset for *_, dataset in sorted(found, key=lambda item: item[:2])]

    # -- use ------------------------------------------------------------------------------------
    def expand_urls(self, dataset: Union[Dataset, str], facts: TerritoryFacts) -> list[SourceRequest]:
        """Requests to make for a dataset (or its id) and a territory; see sources.expand_urls."""
        return expand_urls(self[dataset] if isinstance(dataset, str) else dataset, facts)

    def target_crs(self, dataset: Union[Dataset, str], facts: TerritoryFacts) -> str:
        return target_crs(self[dataset] if isinstance(dataset, str) else dataset, facts)


def configured_catalog(settings=None) -> Catalog:
    """The built-in catalog extended by the user's and organisation's catalogs of the plugin's settings."""
    from ..toolbelt.settings import current  # QGIS settings: not imported by the pure-Python catalog

    settings = settings or current()
    sources = [line.strip() for line in settings.catalogs.splitlines() if line.strip()]
    return Catalog.load(sources)
