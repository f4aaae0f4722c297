"""The house has no back-stairs: each floor imports only the floors below it, read from the source.

These tests read the code (``ast``), not the running program: an import hidden inside a function
to dodge a cycle, or an engine reaching up into a flow, fails here before any user would notice.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from bot.services import Services

ROOT = Path(__file__).resolve().parents[2]
# The one module of bot/ that wires the flows into the Application (README, "The house").
COMPOSITION_ROOT = "bot/app.py"


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _name_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules an import statement names (``from a import b`` names ``a.b`` too, b may be a module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level or node.module is None:
        return []
    return [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]


def _imports(path: Path) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import of a module, and whether it sits inside a function."""
    found: list[tuple[ast.Import | ast.ImportFrom, bool]] = []

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append((child, in_function))
            walk(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    walk(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def _within(names: list[str], packages: tuple[str, ...]) -> list[str]:
    return [name for name in names if name.split(".")[0] in packages]


def test_no_flow_module_imports_another_inside_a_function():
    hidden = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in _modules("conversations")
        for node, in_function in _imports(path)
        if in_function and _within(_imported(node), ("conversations",))
    ]
    assert hidden == [], "imports of flow modules inside functions (a hidden cycle?): " + ", ".join(hidden)


def test_the_flows_import_each_other_in_one_direction_only():
    """No cycle among the flows' modules, counting every import at module level."""
    known = {_name_of(path): path for path in _modules("conversations")}
    graph = {
        name: {
            target
            for node, _in_function in _imports(path)
            for target in _imported(node)
            if target in known and target != name and not name.startswith(target + ".")
        }
        for name, path in known.items()
    }
    done: set[str] = set()

    def cycle_from(name: str, trail: list[str]) -> list[str] | None:
        if name in trail:
            return [*trail[trail.index(name) :], name]
        if name in done:
            return None
        for target in sorted(graph[name]):
            found = cycle_from(target, [*trail, name])
            if found:
                return found
        done.add(name)
        return None

    cycles = [found for name in sorted(graph) if (found := cycle_from(name, []))]
    assert cycles == [], "import cycle: " + " → ".join(cycles[0])


def test_bot_imports_no_flow_and_no_sandbox_except_where_the_app_wires_the_flows():
    upward = [
        f"{path.relative_to(ROOT)}:{node.lineno} imports {', '.join(names)}"
        for path in _modules("bot")
        if path.relative_to(ROOT).as_posix() != COMPOSITION_ROOT
        for node, _in_function in _imports(path)
        if (names := _within(_imported(node), ("conversations", "sandbox")))
    ]
    assert upward == [], "bot/ reaches above itself: " + "; ".join(upward)


def test_storage_and_the_flows_never_import_the_sandbox_and_storage_imports_no_flow():
    upward = [
        f"{path.relative_to(ROOT)}:{node.lineno} imports {', '.join(names)}"
        for package, above in (("storage", ("bot", "conversations", "sandbox")), ("conversations", ("sandbox",)))
        for path in _modules(package)
        for node, _in_function in _imports(path)
        if (names := _within(_imported(node), above))
    ]
    assert upward == [], "; ".join(upward)


def test_the_checks_see_a_hidden_import(tmp_path):
    """The walk finds an import inside a function, the shape of the old plans cycle."""
    module = tmp_path / "building.py"
    module.write_text("async def publish():\n    from conversations.plans import evaluations\n", encoding="utf-8")
    [(node, in_function)] = _imports(module)
    assert in_function and _within(_imported(node), ("conversations",)) == [
        "conversations.plans",
        "conversations.plans.evaluations",
    ]


def test_services_are_one_typed_object_and_nothing_is_looked_up_in_bot_data():
    """Handlers and due-message handlers reach the engines as ``context.services`` / ``application.services``
    (one frozen ``bot.services.Services``); PTB's string-keyed ``bot_data`` holds nothing of ours."""
    lookups = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for package in ("bot", "conversations", "sandbox")
        for path in _modules(package)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "bot_data"
    ]
    assert lookups == [], "bot_data used at " + ", ".join(lookups)
    assert dataclasses.is_dataclass(Services) and Services.__dataclass_params__.frozen
    fields = {field.name for field in dataclasses.fields(Services)}
    assert {"db", "clock", "settings", "reminders", "outbox", "forms", "inbox"} <= fields
