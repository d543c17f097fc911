"""toolbelt.text: the comma lists of parameters and settings, and the cut of a line to a length."""

from donnees_territoires.toolbelt.text import comma_list, elided


def test_comma_list():
    assert comma_list(" ban-adresses, ,cadastre-parcelles,,") == ["ban-adresses", "cadastre-parcelles"]
    assert comma_list(None) == [] and comma_list("") == []


def test_elided_cuts_at_a_word_within_the_limit():
    assert elided("court", 10) == "court"
    line = "dvf-mutations : 5 fichiers absents chez le producteur pour commune:33063."
    cut = elided(line, 40)
    assert len(cut) <= 40 and cut.endswith(" …") and line.startswith(cut[:-2])
    assert elided("x" * 50, 10) == "x" * 8 + " …"
