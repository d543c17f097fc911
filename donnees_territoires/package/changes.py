"""What changed in a package's tables between two writes: feature snapshots (key and digest) compared."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .destination import Destination


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


# -- reading the package as it is ---------------------------------------------------------------------
def snapshot(destination: Destination, table: str, key_fields) -> list[str]:
    """« key<TAB>digest » of every feature of a package table (see checksum.feature_digests)."""
    from .checksum import feature_digests

    return destination.read_table(table, lambda layer: feature_digests(layer, key_fields) if layer.isValid() else [])


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
