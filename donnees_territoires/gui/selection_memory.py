"""What the dock remembers across QGIS restarts: recent territories and the last selection (QgsSettings)."""

from __future__ import annotations

from qgis.core import QgsSettings

from ..package import Memory, destination_from_dict
from ..toolbelt.text import comma_list

#: settings group of the dock; tests point it to a throwaway group
SETTINGS_GROUP = "donnees_territoires/dock"
MAX_RECENT = 10

#: the last selection when nothing was saved (the keys save_selection reads, with their types)
DEFAULT_SELECTION: dict = {
    "references": [],
    "vintage": None,  # None: the latest COG vintage
    "buffer_m": 0.0,
    "dataset_ids": [],
    "output": Memory(),  # a package.Destination
    "crs": "",  # authid; "": the legal CRS of the territory
    "load_results": True,
}


def _list_value(store: QgsSettings, key: str) -> list[str]:
    # stored as one comma-joined string: an INI list of one element reads back as a plain string
    return comma_list(store.value(key, "", type=str))


def push_recent(reference: str) -> list[str]:
    """Put `reference` first among the recent territories (deduplicated, at most MAX_RECENT)."""
    reference = str(reference).strip()
    items = recent()
    if reference:
        items = [reference] + [item for item in items if item != reference]
    items = items[:MAX_RECENT]
    QgsSettings().setValue(f"{SETTINGS_GROUP}/recent", ",".join(items))
    return items


def recent() -> list[str]:
    """Recent territory references, most recent first."""
    return list(dict.fromkeys(_list_value(QgsSettings(), f"{SETTINGS_GROUP}/recent")))[:MAX_RECENT]


def clear_recent() -> None:
    QgsSettings().remove(f"{SETTINGS_GROUP}/recent")


def save_selection(selection: dict) -> None:
    """Store the dock's selection; missing keys are stored with their default (see DEFAULT_SELECTION)."""
    values = {**DEFAULT_SELECTION, **selection}
    output = destination_from_dict(values.get("output"), unknown=Memory).to_dict()  # the keys stored below
    store = QgsSettings()
    prefix = f"{SETTINGS_GROUP}/last"
    store.remove(prefix)
    store.setValue(f"{prefix}/references", ",".join(str(ref) for ref in values["references"] or []))
    store.setValue(f"{prefix}/vintage", "" if values["vintage"] is None else int(values["vintage"]))
    store.setValue(f"{prefix}/buffer_m", float(values["buffer_m"] or 0.0))
    store.setValue(f"{prefix}/dataset_ids", ",".join(str(i) for i in values["dataset_ids"] or []))
    store.setValue(f"{prefix}/output_kind", str(output["kind"]))
    store.setValue(f"{prefix}/output_path", str(output.get("path") or ""))
    store.setValue(f"{prefix}/output_connection", str(output.get("connection") or ""))
    store.setValue(f"{prefix}/output_schema", str(output.get("schema") or ""))
    store.setValue(f"{prefix}/crs", str(values["crs"] or ""))
    store.setValue(f"{prefix}/load_results", bool(values["load_results"]))


def load_selection() -> dict:
    """The last saved selection, every key of DEFAULT_SELECTION present (defaults when nothing was saved)."""
    store = QgsSettings()
    prefix = f"{SETTINGS_GROUP}/last"
    selection = {key: (list(value) if isinstance(value, list) else dict(value) if isinstance(value, dict) else value)
                 for key, value in DEFAULT_SELECTION.items()}
    if not store.contains(f"{prefix}/output_kind"):
        return selection
    vintage = str(store.value(f"{prefix}/vintage", "", type=str) or "").strip()
    # each kind of destination takes the keys it knows
    output = destination_from_dict({key: store.value(f"{prefix}/output_{key}", "", type=str)
                                    for key in ("kind", "path", "connection", "schema")}, unknown=Memory)
    try:
        buffer_m = float(store.value(f"{prefix}/buffer_m", 0.0) or 0.0)
    except (TypeError, ValueError):
        buffer_m = 0.0
    selection.update(
        references=_list_value(store, f"{prefix}/references"),
        vintage=int(vintage) if vintage.isdigit() else None,
        buffer_m=buffer_m,
        dataset_ids=_list_value(store, f"{prefix}/dataset_ids"),
        output=output,
        crs=store.value(f"{prefix}/crs", "", type=str) or "",
        load_results=store.value(f"{prefix}/load_results", True, type=bool),
    )
    return selection


def forget() -> None:
    """Remove everything the dock remembered (recent territories and last selection)."""
    QgsSettings().remove(SETTINGS_GROUP)


def save_last_fetches(fetched: dict[str, str]) -> None:
    """Remember when each dataset was last downloaded ({dataset id: ISO 8601 time}), merged with the rest."""
    store = QgsSettings()
    for dataset_id, when in fetched.items():
        if when:
            store.setValue(f"{SETTINGS_GROUP}/last_fetch/{dataset_id}", str(when))


def last_fetches() -> dict[str, str]:
    store = QgsSettings()
    store.beginGroup(f"{SETTINGS_GROUP}/last_fetch")
    try:
        return {key: store.value(key, "", type=str) for key in store.childKeys()}
    finally:
        store.endGroup()
