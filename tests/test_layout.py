"""The layout's rules (docs/architecture.md), read from every module's source with ast: imports
inside functions count as much as those at the top."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "catalogue", "actions")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[module_name(path)] = path
    return found


MODULES = modules()


def imports_of(name: str, path: Path) -> set[str]:
    """Every module `name` imports, by full dotted name ("from a import b" gives a.b if that is
    a module, else a)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return found


IMPORTS = {name: imports_of(name, path) for name, path in MODULES.items()}


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def test_the_walk_sees_function_level_and_relative_imports():
    assert "bot.domain.answers.dispatch" in IMPORTS["bot.domain.answers"]  # from .dispatch import ...
    assert "bot.records.catalogue" in IMPORTS["bot.flows.learner"]
    assert len(MODULES) > 80


@pytest.mark.parametrize("name", sorted(n for n in MODULES if within(n, "bot.domain")))
def test_domain_has_no_io_frameworks_or_outer_layers(name):
    banned = ("sqlalchemy", "rasa", "rasa_sdk", "fastapi", "starlette", "bot.records", "bot.flows", "bot.api",
              "bot.engine", "bot.launch", "bot.settings")
    assert not [i for i in IMPORTS[name] if any(within(i, b) for b in banned)]


@pytest.mark.parametrize("name", sorted(n for n in MODULES if within(n, "bot.engine")))
def test_engine_needs_nothing_from_the_application_environment(name):
    ours = [i for i in IMPORTS[name] if i.split(".")[0] in PACKAGES]
    assert all(within(i, "bot.engine") or i in ("bot", *SHARED) for i in ours), ours


# what every environment imports: the one body limit and the one logging rule (issues 14.8, 14.12)
SHARED = ("bot.limits", "bot.logsafe")


@pytest.mark.parametrize("name", SHARED)
def test_shared_modules_are_standard_library_only(name):
    outside = [i for i in IMPORTS[name] if i.split(".")[0] not in sys.stdlib_module_names and i != "__future__"]
    assert not outside


@pytest.mark.parametrize("name", sorted(n for n in MODULES if within(n, "bot.launch")))
def test_launcher_is_standard_library_only(name):
    outside = [i for i in IMPORTS[name] if i.split(".")[0] not in sys.stdlib_module_names
               and not within(i, "bot.launch") and i not in ("bot", "__future__")]
    assert not outside


def test_no_import_cycles():
    graph = {n: {i for i in deps if i in MODULES and i != n} for n, deps in IMPORTS.items()}
    index, low, stack, on_stack, cycles, counter = {}, {}, [], set(), [], [0]

    def visit(node):  # Tarjan's strongly connected components
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in graph:
        if node not in index:
            visit(node)
    assert not cycles


def test_settings_are_read_in_one_place_per_environment():
    readers = sorted(name for name, path in MODULES.items()
                     if "os.environ" in path.read_text("utf-8") or "getenv(" in path.read_text("utf-8"))
    assert all(within(n, "bot.launch") for n in readers), readers
