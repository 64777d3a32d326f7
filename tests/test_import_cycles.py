"""No two modules of ``opencomplaints`` import each other, counting imports inside functions, which import-linter's
layers contract does not see as cycles it forbids (docs/adr/0009-layers.md). Tests and migrations aside."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "opencomplaints"

# Cycles that predate this check, being broken. All four (interchange runs and tasks, notifications services and
# tasks, portal selectors and services, reporting files and tasks) are: a service queues its job by name
# (``common.dispatch``) and the portal's token hash lives in its models. The list may only shrink; it is empty.
KNOWN_CYCLES: set[tuple[str, str]] = set()


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if "tests" in parts or "migrations" in parts:
            continue
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every ``opencomplaints`` module ``name`` imports, at any depth of its code (functions included)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *([base] if base else [])])
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target.startswith("opencomplaints") and target != name:
                found.add(target)
    return found


def _mutual_imports() -> set[tuple[str, str]]:
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    return {(min(a, b), max(a, b)) for a, targets in graph.items() for b in targets if a in graph.get(b, set())}


def test_the_checker_sees_a_relative_import_inside_a_function(tmp_path):
    modules = {"opencomplaints.x.a": tmp_path / "a.py", "opencomplaints.x.b": tmp_path / "b.py"}
    (tmp_path / "a.py").write_text("def f():\n    from . import b\n", encoding="utf-8")
    assert _imports("opencomplaints.x.a", tmp_path / "a.py", modules) == {"opencomplaints.x.b"}


def test_no_two_modules_import_each_other():
    cycles = _mutual_imports()
    assert cycles - KNOWN_CYCLES == set(), "modules that import each other"
    assert KNOWN_CYCLES - cycles == set(), "broken cycles still listed in KNOWN_CYCLES: remove them"


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of imports through any number of modules, or ``[]`` (a depth-first search)."""
    state: dict[str, int] = {}  # 1 on the path being walked, 2 done
    path: list[str] = []

    def walk(name: str) -> list[str]:
        state[name] = 1
        path.append(name)
        for target in sorted(graph.get(name, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := walk(target)):
                return found
        path.pop()
        state[name] = 2
        return []

    for name in sorted(graph):
        if name not in state and (found := walk(name)):
            return found
    return []


def test_the_cycle_finder_sees_a_cycle_of_three():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_cycle_through_several_modules():
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert _cycle(graph) == [], "modules that import each other through others"
