"""The dataset tree: themes, live search, checkboxes, info panel, titles in the user's language."""

import pytest
from qgis.PyQt.QtCore import Qt

from donnees_territoires.catalog import Catalog, theme_label
from donnees_territoires.gui.wdg_dataset_tree import DatasetTree

CADASTRE = ["cadastre-batiments", "cadastre-lieux-dits", "cadastre-parcelles", "cadastre-sections"]


@pytest.fixture(scope="module")
def catalog(qgis_app):
    return Catalog.load()


@pytest.fixture
def tree(catalog):
    widget = DatasetTree(catalog=catalog, language="fr")
    widget.show()
    yield widget
    widget.hide()
    widget.deleteLater()


def count_changes(widget):
    calls = []
    widget.changed.connect(lambda: calls.append(1))
    return calls


def test_datasets_are_grouped_by_theme(tree, catalog):
    themes = [tree.tree.topLevelItem(i).text(0) for i in range(tree.tree.topLevelItemCount())]
    assert themes == [theme_label(theme) for theme in catalog.themes()]
    cadastre = tree.theme_item("cadastre")
    assert sorted(cadastre.child(i).data(0, Qt.ItemDataRole.UserRole) for i in range(cadastre.childCount())) == CADASTRE
    assert sum(tree.tree.topLevelItem(i).childCount() for i in range(tree.tree.topLevelItemCount())) == len(catalog)
    assert tree.checked_ids() == []
    assert tree.summary_label.text() == "Aucun jeu de données choisi."


def test_search_filters_live(tree, catalog):
    tree.search_edit.setText("cadastre")
    assert sorted(tree.visible_ids()) == sorted(CADASTRE + ["ign-cadastre"])  # and its base map
    visible_themes = [tree.tree.topLevelItem(i) for i in range(tree.tree.topLevelItemCount())
                      if not tree.tree.topLevelItem(i).isHidden()]
    assert [item.text(0) for item in visible_themes] == [theme_label("cadastre"), theme_label("fonds_de_plan")]
    assert all(item.isExpanded() for item in visible_themes)
    tree.search_edit.setText("zzz introuvable")
    assert tree.visible_ids() == []
    tree.search_edit.clear()
    assert len(tree.visible_ids()) == len(catalog)


def test_checking_a_theme_checks_its_children(tree):
    changes = count_changes(tree)
    theme = tree.theme_item("cadastre")
    theme.setCheckState(0, Qt.CheckState.Checked)
    assert sorted(tree.checked_ids()) == CADASTRE
    assert changes == [1]
    assert tree.summary_label.text() == "4 jeux de données choisis."
    tree.dataset_item("cadastre-sections").setCheckState(0, Qt.CheckState.Unchecked)
    assert theme.checkState(0) == Qt.CheckState.PartiallyChecked
    theme.setCheckState(0, Qt.CheckState.Unchecked)
    assert tree.checked_ids() == []


def test_a_theme_checked_under_a_search_checks_only_what_is_shown(tree):
    tree.search_edit.setText("bâtiments")
    shown = set(tree.visible_ids())
    assert "bdtopo-batiments" in shown and "bdtopo-routes" not in shown
    tree.theme_item("bdtopo").setCheckState(0, Qt.CheckState.Checked)
    checked = set(tree.checked_ids())
    assert "bdtopo-batiments" in checked and "bdtopo-routes" not in checked
    assert tree.theme_item("bdtopo").checkState(0) == Qt.CheckState.PartiallyChecked


def test_checked_ids_in_catalog_order_and_set_checked(tree, catalog):
    wanted = ["cadastre-parcelles", "admin-express-communes", "ign-plan"]
    changes = count_changes(tree)
    assert tree.set_checked(wanted + ["retire-du-catalogue"]) == ["retire-du-catalogue"]
    assert changes == [1]
    assert tree.checked_ids() == [i for i in catalog.ids() if i in wanted]
    assert tree.theme_item("cadastre").checkState(0) == Qt.CheckState.PartiallyChecked
    tree.set_checked([])
    assert tree.checked_ids() == []
    assert tree.theme_item("cadastre").checkState(0) == Qt.CheckState.Unchecked


def test_info_panel_shows_producer_licence_and_notes(tree, catalog):
    tree.select_dataset("cadastre-parcelles")
    dataset = catalog.get("cadastre-parcelles")
    text = tree.info.toPlainText()
    assert dataset.title_for("fr") in text
    assert dataset.producer in text and dataset.licence.name in text
    assert "Mise à jour" in text
    assert f'href="{dataset.licence.url}"' in tree.info_html()
    assert f'href="{dataset.homepage}"' in tree.info_html()
    assert "Non vérifié" not in text and "Affichage seulement" not in text

    tree.set_last_fetch("cadastre-parcelles", "2026-03-14T09:30:00")
    assert "Dernier téléchargement" in tree.info.toPlainText()
    assert "14" in tree.info.toPlainText().split("Dernier téléchargement")[1]

    unverified = next(d for d in catalog if not d.verified)
    tree.select_dataset(unverified.id)
    assert "Non vérifié" in tree.info.toPlainText()
    tree.select_dataset("ign-plan")
    assert "Affichage seulement" in tree.info.toPlainText()
    assert "(affichage)" in tree.dataset_item("ign-plan").text(0)


def test_titles_follow_the_language(catalog):
    english = DatasetTree(catalog=catalog, language="en")
    assert english.dataset_item("cadastre-parcelles").text(0) == catalog.get("cadastre-parcelles").title_for("en")
    english.deleteLater()


def test_a_new_catalog_keeps_the_checked_datasets(tree, catalog):
    tree.set_checked(["cadastre-parcelles"])
    changes = count_changes(tree)
    tree.set_catalog(Catalog.load())
    assert tree.checked_ids() == ["cadastre-parcelles"]
    assert changes == [1]


def test_empty_tree_before_a_catalog(qgis_app):
    widget = DatasetTree(language="fr")
    assert widget.checked_ids() == [] and widget.visible_ids() == []
    widget.search_edit.setText("cadastre")
    widget.deleteLater()
