"""The query language as a tree, for backends that do not parse it themselves (PostgreSQL).

The syntax is the one the search box documents and check_query() has already vetted: words (all must
match), "phrases", prefix*, AND / OR / NOT and a leading minus, parentheses, field:value and
year:[2015 TO 2022]. NOT binds tightest, then AND (also implied between neighbours), then OR.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations, takewhile

from corpus.countries import is_state, language_names, party_codes
from corpus.metadata import find_parties
from corpus.model import DOC_TYPES
from indexer.analysis import STOPWORDS, WORD, join_prefixes
from indexer.results import FIELD_ALIASES, QueryError

TOKEN = re.compile(r'-?"[^"]*"|[()]|-?\w+:(?:"[^"]*"|\[[^\]]*\]|[^\s()"]+)|[^\s()"]+')
RANGE = re.compile(r"\[\s*(\d*)\s*TO\s*(\d*)\s*\]", re.IGNORECASE)  # either bound may be left open …
RANGE_STAR = re.compile(r"(?<=\s)\*(?=\s*\])|(?<=\[)\s*\*(?=\s)")  # … or be a star: [1990 TO *], [* TO 2000]
TEXT_FIELDS = ("text", "title")
MAX_PREFIX_WORDS = 300  # whole words one prefix may stand for: "a*" is refused rather than run without bound
MAX_RELAXED = 40  # groups of words a relaxed query may try; beyond, any one of the words will do


@dataclass(frozen=True)
class Words:
    """Words to find in a text field: one word, a prefix (word*) or a phrase."""

    text: str
    field: str = "text"
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class Field:
    """A metadata condition: parties, doc_type, language, source, id or year equal to a value."""

    field: str
    value: str


@dataclass(frozen=True)
class YearRange:
    low: int | None
    high: int | None


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class And:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Names(Or):
    """The names of one party (a widened name): any of them matches, and ranks as the best one, not their sum."""

    code: str = ""  # the party named: a text it made ranks above one that only names it


Node = Words | Field | YearRange | Not | And | Or


def parse(text: str) -> Node | None:
    """The tree of a checked query (see results.check_query); None for an empty query."""
    tokens = TOKEN.findall(text)
    if not tokens:
        return None
    return _Parser(tokens).any_of()  # check_query() has made sure the parentheses pair up


def parse_searchable(text: str) -> Node | None:
    """The tree of a checked query; None for an empty one; QueryError for one with nothing to search: only stop
    words or symbols, which the index leaves out ("the of and" had found every document, saying nothing)."""
    tree = parse(text)
    if text and (tree is None or not _holds_a_condition(tree)):
        raise QueryError(f"nothing to search for in {text[:60]!r}: only stop words or symbols, which are not indexed")
    return tree


def _holds_a_condition(node: Node) -> bool:
    """Whether a tree holds a field condition, or a word that the index holds (not a stop word or a symbol)."""
    if isinstance(node, Words):
        found = re.findall(WORD, join_prefixes(node.text).lower())
        return node.prefix or any(word not in STOPWORDS for word in found)
    if isinstance(node, Not):
        return _holds_a_condition(node.node)
    if isinstance(node, And | Or):
        return any(_holds_a_condition(child) for child in node.nodes)
    return True


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens

    def _peek(self) -> str | None:
        return self.tokens[0] if self.tokens else None

    def any_of(self) -> Node:
        nodes = [self.all_of()]
        while self._peek() == "OR":
            self.tokens.pop(0)
            nodes.append(self.all_of())
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def all_of(self) -> Node:
        nodes = [self.unary()]
        while self._peek() not in (None, "OR", ")"):
            if self._peek() == "AND":
                self.tokens.pop(0)
                continue
            nodes.append(self.unary())
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def unary(self) -> Node:
        token = self._peek()
        if token == "NOT":
            self.tokens.pop(0)
            inner = self.unary()
            return inner.node if isinstance(inner, Not) else Not(inner)  # NOT NOT a is a
        if token and token.startswith("-") and len(token) > 1:
            self.tokens[0] = token[1:]
            inner = self.unary()
            return inner.node if isinstance(inner, Not) else Not(inner)
        return self.atom()

    def atom(self) -> Node:
        if not self.tokens:  # "a AND" or "NOT" at the end: nothing more to require
            return And(())
        token = self.tokens.pop(0)
        if token == "(":
            node = self.any_of() if self._peek() not in (None, ")") else And(())
            if self._peek() == ")":
                self.tokens.pop(0)
            return node
        name, colon, value = token.partition(":")
        if colon and name.lower() in FIELD_ALIASES and value:
            return _field(FIELD_ALIASES[name.lower()], value)
        return _words(token, "text")


def _words(token: str, field: str) -> Node:
    if token.startswith('"'):
        return Words(token.strip('"'), field, phrase=True)
    if token.endswith("*"):
        return _prefix(token.rstrip("*"), field)
    return Words(token, field)


def _prefix(text: str, field: str) -> Node:
    """A prefix; one with hyphens ("Afro-Colomb*", «Аму-Дар*») is its whole words and a prefix of the last
    word, as the analyzer splits such words (hyphenated prefixes like "co-" are joined first)."""
    parts = [p for p in re.split(r"-+", join_prefixes(text)) if p]
    if len(parts) < 2:
        return Words(parts[0] if parts else text, field, prefix=True)
    return And((*(Words(p, field) for p in parts[:-1]), Words(parts[-1], field, prefix=True)))


def _field(field: str, value: str) -> Node:
    if field in TEXT_FIELDS:
        return _words(value, field)
    if field == "year":
        found = RANGE.fullmatch(RANGE_STAR.sub("", value))
        if found:
            low, high = (int(bound) if bound else None for bound in found.groups())
            if low is not None and high is not None and low > high:
                raise QueryError(f"the years {value} run backwards: write year:[{high} TO {low}]")
            return YearRange(low, high)
    return Field(field, field_value(field, value.strip('"')))


def field_value(field: str, value: str) -> str:
    """A party (by its code or a name: its code), document type or language as a filter takes it; a QueryError
    for one that names nothing (party:Narnia, the typo party:RSU, type:treatyy), which had found nothing without
    a word. Other fields' values as they are."""
    if field in ("parties", "mentions"):
        code = party_code(value)
        if code.upper() not in party_codes() and not is_state(code.upper()):
            raise QueryError(f"no party {value!r}: write its code (party:RUS) or a name of it (party:Russia)")
        return code
    if field == "doc_type" and value.lower() not in DOC_TYPES:
        raise QueryError(f"no document type {value!r}: type: takes {', '.join(DOC_TYPES)}")
    if field == "language" and value.lower() not in language_names():
        raise QueryError(f"no language {value!r}: lang: takes a two-letter code (lang:ru, lang:en)")
    return value


def party_code(value: str) -> str:
    """A party as `party:` takes it: its code ("RUS"), or a name of it ("Russia", «Россия»), read as its code."""
    named = [] if value.isupper() else find_parties(value)  # a code typed as it is ("RUS", "ASEAN")
    return named[0] if len(named) == 1 else value


def leaves(node: Node) -> list[Words]:
    """The words, prefixes and phrases of a tree, left to right."""
    if isinstance(node, Words):
        return [node]
    if isinstance(node, Not):
        return leaves(node.node)
    if isinstance(node, And | Or):
        return [leaf for child in node.nodes for leaf in leaves(child)]
    return []


def map_leaves(node: Node, change: Callable[[Words], Node]) -> Node:
    """The tree with every Words leaf replaced by what `change` makes of it."""
    if isinstance(node, Words):
        return change(node)
    if isinstance(node, Not):
        return Not(map_leaves(node.node, change))
    if isinstance(node, And | Or):
        return replace(node, nodes=tuple(map_leaves(child, change) for child in node.nodes))
    return node


def expand_prefixes(node: Node, words_for: Callable[[str], list[str]]) -> Node:
    """Each prefix also stands for the whole words of the corpus that start with it, not only for stems:
    `cooperat*` finds «cooperation» although its stem is «cooper». `words_for` raises QueryError when a
    prefix stands for too many words."""

    def change(leaf: Words) -> Node:
        if not leaf.prefix:
            return leaf
        found = [Words(w, leaf.field) for w in words_for(fold(leaf.text))]
        return Or((leaf, *found)) if found else leaf

    return map_leaves(node, change)


def relaxed(node: Node | None) -> list[Node]:
    """Ever weaker forms of a query of several words that no document holds together: any n-1 of its words,
    then any n-2, down to any one; its other conditions (fields, years, NOT) stay. A known item is often
    sought with one word its text lacks ("Balticonnector pipeline"). [] for anything but several words."""
    if not isinstance(node, And):
        return []
    words = [n for n in node.nodes if _is_words(n)]
    conditions = tuple(n for n in node.nodes if not _is_words(n))
    found: list[Node] = []
    some_weighty = any(map(_weighty, words))
    for keep in range(len(words) - 1, 0, -1):
        groups = list(combinations(words, keep)) if keep > 1 else [(w,) for w in words]
        groups = [g for g in groups if any(map(_weighty, g))] if some_weighty else groups
        if not groups or len(groups) > MAX_RELAXED:
            continue  # none worth finding alone, or too many to try: the next, weaker step
        some = Or(tuple(g[0] if len(g) == 1 else And(g) for g in groups))
        found.append(And((*conditions, some)) if conditions else some)
    return found


def _weighty(node: Node) -> bool:
    """Whether a part of a query says enough to be looked for without the others that do: not a word of one or two
    letters ("Xi Jinping" had found every "Part XI" of a treaty where no text holds "Jinping")."""
    return not isinstance(node, Words) or len(node.text) > 2


def _is_words(node: Node) -> bool:
    """Words, a widened name, a prefix's words, a hyphenated prefix: a part a relaxed query may leave out."""
    return isinstance(node, Words) or (isinstance(node, Or | And) and all(_is_words(n) for n in node.nodes))


def fold(text: str) -> str:
    return text.lower().replace("ё", "е")


def words_with_prefix(words: Sequence[str], prefix: str, limit: int = MAX_PREFIX_WORDS) -> list[str]:
    """The words of a sorted list that start with a prefix; QueryError when there are more than `limit`."""
    start = bisect_left(words, prefix)
    found = list(takewhile(lambda w: w.startswith(prefix), words[start : start + limit + 1]))
    if len(found) > limit:
        raise too_many(prefix, limit)
    return found


def too_many(prefix: str, limit: int = MAX_PREFIX_WORDS) -> QueryError:
    return QueryError(f'"{prefix}*" stands for more than {limit} words; type more of the word')
