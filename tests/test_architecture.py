"""The folders are the architecture: imports point one way, and each outside library stays in its stage."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"corpus", "crawler", "indexer", "compare", "webui", "treatysearch"}
ALLOWED = {
    "corpus": set(),
    "crawler": {"corpus"},
    "indexer": {"corpus"},
    "compare": {"corpus", "indexer"},
    "webui": {"corpus", "indexer", "compare"},
    "treatysearch": OURS - {"treatysearch"},
}
ONLY = {"flask": {"webui"}, "whoosh": {"indexer"}, "requests": {"crawler"}, "bs4": {"crawler"}}


def imports(package: str) -> set[str]:
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_imports_point_one_way(package):
    assert (imports(package) & OURS) - {package} <= ALLOWED[package]


@pytest.mark.parametrize("library", sorted(ONLY))
def test_each_library_stays_in_its_stage(library):
    users = {package for package in ALLOWED if library in imports(package)}
    assert users <= ONLY[library]
