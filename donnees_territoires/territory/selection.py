"""The territories of a package: read once where they come in (the dock, an algorithm's parameters, a stored
recipe) and handed on as one object — the territories themselves, the COG vintage, the buffer, the custom shape."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Optional, Union

from .index import TerritoryIndex
from .model import Territory, TerritoryRef, parse_references


@dataclass(frozen=True, eq=False)
class Selection:
    """Territories of one COG vintage, resolved; `buffer_m` metres around them; or a custom shape to cut to
    instead of their contour (`mask`: {"wkt": …, "crs": authid}), the data still being theirs."""

    territories: tuple[Territory, ...]
    vintage: int
    buffer_m: float = 0.0
    mask: Optional[dict] = None

    @classmethod
    def parse(cls, references: Union[str, Iterable[Union[str, TerritoryRef, Territory]]],
              vintage: Optional[int] = None, *, buffer_m: float = 0.0, mask: Optional[dict] = None) -> Selection:
        """The selection `references` (« commune:33063,epci:243300316 », or a list) name in COG `vintage` (the
        latest when None). TerritoryReferenceError or UnknownVintageError say, in French, what is wrong."""
        index = TerritoryIndex.load(vintage)
        items = parse_references(references) if isinstance(references, str) else list(references)
        territories: list[Territory] = []
        for item in items:
            territory = index.get(item)
            if territory not in territories:
                territories.append(territory)
        if not territories:
            parse_references("")  # says, in French, that no territory was given
        return cls(tuple(territories), index.vintage, float(buffer_m or 0.0), mask or None)

    @classmethod
    def of(cls, territory: Territory, *, buffer_m: float = 0.0) -> Selection:
        """One territory the index gave already (a batch's), in its own vintage."""
        return cls((territory,), territory.vintage, float(buffer_m or 0.0))

    @property
    def reference(self) -> str:
        """« commune:33063,commune:33281 »: what a recipe stores and an algorithm takes."""
        return ",".join(territory.reference for territory in self.territories)

    @property
    def name(self) -> str:
        """« Bordeaux », or « Bordeaux + Mérignac + … » for several territories."""
        if len(self.territories) == 1:
            return self.territories[0].name
        return " + ".join(t.name for t in self.territories[:3]) + (" …" if len(self.territories) > 3 else "")

    @property
    def code(self) -> str:
        """The territory's code (« france » for France), or the codes joined with commas."""
        return ",".join(t.code or "france" for t in self.territories)

    @property
    def index(self) -> TerritoryIndex:
        return TerritoryIndex.load(self.vintage)

    def key(self) -> str:
        """Equal for two selections that cut the same data the same way."""
        return json.dumps([self.reference, self.vintage, self.buffer_m, self.mask], sort_keys=True)

    def __eq__(self, other) -> bool:
        return isinstance(other, Selection) and self.key() == other.key()

    def __hash__(self) -> int:
        return hash(self.key())
