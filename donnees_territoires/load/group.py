"""A package's layers in its territory's group « <Territoire> (<code>) » › <thème>, updated in place on a rerun."""

from __future__ import annotations

from qgis.core import QgsDataProvider, QgsLayerTreeGroup, QgsMapLayer, QgsProject

#: custom properties of a loaded package layer (saved with the project): which package, which table, which rank
KEY_PROPERTY = "donnees_territoires/package"
TABLE_PROPERTY = "donnees_territoires/table"
POSITION_PROPERTY = "donnees_territoires/position"


def territory_group(project: QgsProject, name: str) -> QgsLayerTreeGroup:
    """The group « <Territoire> (<code>) », made at the top of the layer tree when missing."""
    root = project.layerTreeRoot()
    return root.findGroup(name) or root.insertGroup(0, name)


def loaded_tables(group: QgsLayerTreeGroup, key: str) -> dict[str, QgsMapLayer]:
    """{table: layer} of the package `key` (Destination.load_key) already in `group` (any sub-group)."""
    found = {}
    for node in group.findLayers():
        layer = node.layer()
        if layer is not None and layer.customProperty(KEY_PROPERTY) == key:
            found.setdefault(str(layer.customProperty(TABLE_PROPERTY) or ""), layer)
    return found


def place_layer(project: QgsProject, layer: QgsMapLayer, group_name: str, theme: str, position: int, key: str,
                table: str) -> QgsMapLayer:
    """Put `layer` (in `project`, in its layer tree or not) at its rank in « group › theme »; the layer shown.

    When the group already shows this table of this package (a rerun, a package up to date), that
    layer is updated in place — same node, visibility and style edits kept — and `layer` is removed.
    """
    group = territory_group(project, group_name)
    existing = loaded_tables(group, key).get(table) or _same_source(group, layer)
    if existing is not None and existing.id() != layer.id():
        _update(existing, layer, project)
        _mark(existing, key, table, position)
        project.removeMapLayer(layer.id())
        return existing
    sub_group = group.findGroup(theme) or group.addGroup(theme)
    index = _rank(sub_group, key, position)
    node = project.layerTreeRoot().findLayer(layer.id())
    if node is None:
        sub_group.insertLayer(index, layer)
    elif node.parent() is not sub_group:
        sub_group.insertChildNode(index, node.clone())
        node.parent().removeChildNode(node)
    _mark(layer, key, table, position)
    return layer


def drop_stale(project: QgsProject, group_name: str, key: str, tables) -> list[str]:
    """Remove from the group the layers of package `key` whose table it no longer has; their names."""
    group = project.layerTreeRoot().findGroup(group_name)
    if group is None:
        return []
    removed = []
    for table, layer in loaded_tables(group, key).items():
        if table not in tables:
            node = group.findLayer(layer.id())
            parent = node.parent() if node is not None else None
            removed.append(layer.name())
            project.removeMapLayer(layer.id())
            if parent is not None and parent is not group and not parent.children():
                parent.parent().removeChildNode(parent)
    return removed


def _same_source(group: QgsLayerTreeGroup, layer: QgsMapLayer) -> QgsMapLayer | None:
    """A layer of the group reading the very same table (loaded before the package properties existed)."""
    for node in group.findLayers():
        other = node.layer()
        if (other is not None and other.id() != layer.id() and not other.customProperty(KEY_PROPERTY)
                and other.providerType() == layer.providerType() and other.source() == layer.source()):
            return other
    return None


def _update(existing: QgsMapLayer, fresh: QgsMapLayer, project: QgsProject) -> None:
    """`existing` reads what `fresh` reads: its data reloaded, or its source moved to the new file."""
    if existing.providerType() == fresh.providerType() and existing.source() == fresh.source():
        existing.dataProvider().reloadData()
    else:  # a new temporary file, or a package moved: the layer keeps its name, style and place
        options = QgsDataProvider.ProviderOptions()
        options.transformContext = project.transformContext()
        existing.setDataSource(fresh.source(), existing.name(), fresh.providerType(), options)
    if hasattr(existing, "updateExtents"):
        existing.updateExtents()
    existing.triggerRepaint()


def _rank(sub_group: QgsLayerTreeGroup, key: str, position: int) -> int:
    """Where a package layer of rank `position` goes among its theme's children: before the package's next one."""
    children = sub_group.children()
    for index, child in enumerate(children):
        layer = child.layer() if hasattr(child, "layer") else None
        if layer is not None and layer.customProperty(KEY_PROPERTY) == key \
                and int(layer.customProperty(POSITION_PROPERTY) or 0) > position:
            return index
    return len(children)


def _mark(layer: QgsMapLayer, key: str, table: str, position: int) -> None:
    layer.setCustomProperty(KEY_PROPERTY, key)
    layer.setCustomProperty(TABLE_PROPERTY, table)
    layer.setCustomProperty(POSITION_PROPERTY, position)
