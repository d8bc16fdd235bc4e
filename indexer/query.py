"""The query language as a tree, for backends that do not parse it themselves (PostgreSQL).

The syntax is the one the search box documents and check_query() has already vetted: words (all must
match), "phrases", prefix*, AND / OR / NOT and a leading minus, parentheses, field:value and
year:[2015 TO 2022]. NOT binds tightest, then AND (also implied between neighbours), then OR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.results import FIELD_ALIASES

TOKEN = re.compile(r'"[^"]*"|[()]|-?\w+:(?:"[^"]*"|\[[^\]]*\]|[^\s()"]+)|[^\s()"]+')
RANGE = re.compile(r"\[\s*(\d*)\s+TO\s+(\d*)\s*\]", re.IGNORECASE)
TEXT_FIELDS = ("text", "title")


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


Node = Words | Field | YearRange | Not | And | Or


def parse(text: str) -> Node | None:
    """The tree of a checked query (see results.check_query); None for an empty query."""
    tokens = TOKEN.findall(text)
    if not tokens:
        return None
    return _Parser(tokens).any_of()  # check_query() has made sure the parentheses pair up


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
            return Not(self.unary())
        if token and token.startswith("-") and len(token) > 1:
            self.tokens[0] = token[1:]
            return Not(self.unary())
        return self.atom()

    def atom(self) -> Node:
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


def _words(token: str, field: str) -> Words:
    if token.startswith('"'):
        return Words(token.strip('"'), field, phrase=True)
    if token.endswith("*"):
        return Words(token.rstrip("*"), field, prefix=True)
    return Words(token, field)


def _field(field: str, value: str) -> Node:
    if field in TEXT_FIELDS:
        return _words(value, field)
    if field == "year":
        found = RANGE.fullmatch(value)
        if found:
            low, high = found.groups()
            return YearRange(int(low) if low else None, int(high) if high else None)
    return Field(field, value.strip('"'))
