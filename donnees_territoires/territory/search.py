"""Name matching for territory search: accent/case/punctuation-blind keys; exact, prefix, contains, one typo."""

from __future__ import annotations

import codecs
import heapq
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate

# Names are compared as "keys": lower-case ASCII letters and digits only, so that accents, case,
# hyphens, apostrophes and spaces never matter ("L'Haÿ-les-Roses" → "lhaylesroses").
_MULTI_CHARACTER = (("œ", "oe"), ("Œ", "oe"), ("æ", "ae"), ("Æ", "ae"), ("ß", "ss"))


def _latin1_table() -> bytes:
    table = bytearray(b" " * 256)
    table[ord("\n")] = ord("\n")
    for byte in range(256):
        folded = unicodedata.normalize("NFKD", chr(byte)).encode("ascii", "ignore").decode("ascii").lower()
        if len(folded) == 1 and folded.isalnum():
            table[byte] = ord(folded)
    return bytes(table)


_LATIN1 = _latin1_table()


def _fold_beyond_latin1(error: UnicodeEncodeError) -> tuple[str, int]:
    """Encoding error handler: a character outside latin-1 becomes its unaccented ASCII letters."""
    text = unicodedata.normalize("NFKD", error.object[error.start:error.end])
    return text.encode("ascii", "ignore").decode("ascii"), error.end


codecs.register_error("donnees_territoires.fold", _fold_beyond_latin1)

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
# What people leave out when they type: the legal form of an EPCI and what links it to the name,
# then an article.
_LEGAL_FORMS = frozenset({"cc", "ca", "cu"})
_CONNECTORS = frozenset({"du", "des", "de", "d"})
_ARTICLES = frozenset({"le", "la", "les", "l"})
_SHORTENED_STARTS = tuple(f"{word} " for word in (*_LEGAL_FORMS, "communaute", *_ARTICLES))
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_AFTER_ALL = "~"  # sorts after every key character: [key, key + "~") holds the keys that start with key


def spaced_forms(names: Iterable[str]) -> list[str]:
    """Names folded to lower-case ASCII words separated by spaces (maybe several), in one pass.

    Batched because folding 40,000 names one by one with unicodedata costs ~60 ms of index
    load; one latin-1 byte translation over the joined text costs a few milliseconds.
    """
    text = "\n".join(names)
    for source, target in _MULTI_CHARACTER:
        text = text.replace(source, target)
    folded = "\n" + text.encode("latin-1", "donnees_territoires.fold").translate(_LATIN1).decode("ascii")
    # a few EPCI names abbreviate (« CC du Pays de Pontchâteau St-Gildas-des-Bois »)
    for short, full in _ABBREVIATIONS.items():
        folded = folded.replace(f" {short} ", f" {full} ").replace(f"\n{short} ", f"\n{full} ")
    return folded[1:].split("\n")


def query_key(query: str) -> str:
    """The key of what the user typed, St/Ste abbreviations expanded as in names."""
    words = spaced_forms([unicodedata.normalize("NFKC", query)])[0].split()
    return "".join(_ABBREVIATIONS.get(word, word) for word in words)


def short_keys(spaced: str) -> list[str]:
    """Keys of a name without its EPCI legal form or article: « CC du Pays de Fayence » is also
    « pays de fayence », « La Rochelle » also « rochelle »."""
    words = spaced.split()
    keys = []
    start = 0
    if words[0] in _LEGAL_FORMS:
        start = 1
    elif words[0] == "communaute" and len(words) > 3:
        start = 3 if words[1] in ("de", "d") else 2  # « communauté de communes », « … urbaine »
    if start and len(words) > start + 1 and words[start] in _CONNECTORS:
        start += 1
    if start and len(words) > start:
        keys.append("".join(words[start:]))
    if len(words) > start + 1 and words[start] in _ARTICLES:
        keys.append("".join(words[start + 1:]))
    return keys


def one_edit_variants(key: str) -> set[str]:
    """Every string at one deletion, substitution, insertion or transposition from key."""
    splits = [(key[:i], key[i:]) for i in range(len(key) + 1)]
    variants = {left + right[1:] for left, right in splits if right}
    variants |= {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    variants |= {left + char + right[1:] for left, right in splits if right for char in _ALPHABET}
    variants |= {left + char + right for left, right in splits for char in _ALPHABET}
    variants.discard(key)
    return variants


class SortedKeys:
    """(key, entry) pairs sorted by key: exact and prefix lookups are two bisections."""

    def __init__(self, keys: list[str], entries: list[int]):
        order = sorted(range(len(keys)), key=keys.__getitem__)
        sorted_keys = [keys[position] for position in order]
        first = bisect_right(sorted_keys, "")  # empty keys (names not to be found) sort first
        self.keys = sorted_keys[first:]
        self.entries = [entries[position] for position in order[first:]]

    def _range(self, prefix: str) -> tuple[int, int]:
        return bisect_left(self.keys, prefix), bisect_left(self.keys, prefix + _AFTER_ALL)

    def exact(self, key: str) -> set[int]:
        low = bisect_left(self.keys, key)
        high = bisect_left(self.keys, key + "\0", low)
        return set(self.entries[low:high])

    def prefix(self, key: str) -> set[int]:
        low, high = self._range(key)
        return set(self.entries[low:high])


class NameIndex:
    """Every name key of a set of entries (integers chosen by the caller).

    `rank[entry]` orders results (smaller first), so that the caller decides what comes first
    among equally good matches: here, the most populated.
    """

    MIN_FUZZY_LENGTH = 4  # below that, one typo matches half of France

    MIN_CONTAINS_LENGTH = 4

    def __init__(self, spaced_names: Sequence[str], rank: Sequence[int], skip: Iterable[int] = ()):
        # Everything is built on whole strings (join, replace, split, find run in C): the index
        # is rebuilt at each start of QGIS and must cost a few tens of milliseconds, not more.
        keys = "\n".join(spaced_names).replace(" ", "").split("\n")
        for entry in skip:
            keys[entry] = ""
        self._joined = "\n".join(keys)  # key of entry i on line i, for the « contains » lookup
        self._line_starts = [0, *accumulate(map((1).__add__, map(len, keys)))]
        entries = list(range(len(keys)))
        for entry, spaced in enumerate(spaced_names):
            if spaced.startswith(_SHORTENED_STARTS) and keys[entry]:
                more = short_keys(spaced)
                keys += more
                entries += [entry] * len(more)
        self.names = SortedKeys(keys, entries)
        self.rank = rank

    def exact(self, key: str) -> set[int]:
        return self.names.exact(key)

    def prefix(self, key: str) -> set[int]:
        return self.names.prefix(key)

    def contains(self, key: str) -> set[int]:
        """Entries whose name holds key further in (« emilion » → Saint-Émilion)."""
        if len(key) < self.MIN_CONTAINS_LENGTH:
            return set()
        found: set[int] = set()
        text, starts = self._joined, self._line_starts
        position = text.find(key)
        while position >= 0:
            entry = bisect_right(starts, position) - 1
            found.add(entry)
            position = text.find(key, starts[entry + 1])  # on to the next name
        return found

    def fuzzy(self, key: str) -> list[set[int]]:
        """Entries one typo away from key or from the start of their name (« bordo » → Bordeaux).

        Two sets: typos after the first letter, then typos of the first letter, which people make
        far less often (« bordo » should give Bordeaux before Dordogne).
        """
        if len(key) < self.MIN_FUZZY_LENGTH:
            return []
        same_start: set[int] = set()
        other_start: set[int] = set()
        for variant in one_edit_variants(key):
            low, high = self.names._range(variant)
            if high > low:
                (same_start if variant[:1] == key[:1] else other_start).update(self.names.entries[low:high])
        return [same_start, other_start - same_start]

    def best(self, entries: Iterable[int], limit: int) -> list[int]:
        return heapq.nsmallest(limit, entries, key=self.rank.__getitem__)
