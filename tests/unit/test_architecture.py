"""The shape of the code: layers that only depend downwards, no import cycles, small modules.

Read from the source with `ast`, so a lazy import inside a function counts as much as one at
the top: a cycle hidden in a function is still a cycle a newcomer has to untangle. Imports
under `if TYPE_CHECKING:` are left out: they never run, and annotating a parameter with the
type of its caller is not a dependency on it."""

from __future__ import annotations

import ast
from pathlib import Path

import bot

ROOT = Path(bot.__file__).parent
MAX_LINES = 400
# A module may be longer than MAX_LINES when its docstring says why, in a line starting so.
LONG_REASON = "Longer than 400 lines because"


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if "versions" in parts:  # Alembic revisions are a chain by design, not imported
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _runtime_nodes(tree: ast.Module) -> list[ast.AST]:
    type_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for stmt in node.body
        for inner in ast.walk(stmt)
    }
    return [node for node in ast.walk(tree) if id(node) not in type_only]


def _imports(name: str, path: Path) -> set[str]:
    """The project modules `name` imports, anywhere in the file."""
    targets: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in _runtime_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                targets.add(submodule if submodule in MODULES else base)
    # A package's __init__ runs on every import of its modules; ours hold only a docstring.
    return {t for t in targets if t in MODULES and t != name and MODULES[t].name != "__init__.py"}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(GRAPH[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return found


def test_the_analysis_sees_the_imports_it_checks() -> None:
    # Guards the checks below against passing because the graph came out empty.
    assert "bot.services.alerts.lifecycle" in GRAPH["bot.handlers.crisis"]
    assert "bot.services.alerts.escalation" in GRAPH["bot.services.alerts.lifecycle"]


def test_no_import_cycles() -> None:
    assert _cycles() == []


def _third_party(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_services_know_nothing_of_telegram_or_handlers() -> None:
    wrong = {
        name: sorted(
            {t for t in GRAPH[name] if t.startswith(("bot.handlers", "bot.transport", "bot.cli"))}
            | ({"telegram"} & _third_party(path))
        )
        for name, path in MODULES.items()
        if name.startswith("bot.services")
    }
    assert {name: found for name, found in wrong.items() if found} == {}


def test_lower_layers_do_not_import_upper_ones() -> None:
    upper = ("bot.handlers", "bot.cli", "bot.app", "bot.runner")
    wrong = {
        name: sorted(t for t in GRAPH[name] if t.startswith(upper))
        for name in MODULES
        if name.startswith(("bot.services", "bot.models", "bot.texts", "bot.config"))
    }
    assert {name: found for name, found in wrong.items() if found} == {}


def test_long_modules_say_why() -> None:
    too_long = {}
    for name, path in MODULES.items():
        lines = len(path.read_text().splitlines())
        if lines <= MAX_LINES:
            continue
        doc = ast.get_docstring(ast.parse(path.read_text())) or ""
        if not any(line.startswith(LONG_REASON) for line in doc.splitlines()):
            too_long[name] = lines
    assert too_long == {}
