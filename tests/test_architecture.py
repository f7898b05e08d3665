"""The house rules of ARCHITECTURE.md that a test can hold: no module imports one that imports it
back (deferred imports count), and the stages after evaluation reach the evaluator only through the
values and the name table they are given."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "reportdsl"
AFTER_EVALUATION = ("document", "checks", "stated", "stale_text", "leftovers", "classification", "rules")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """Every module of the package this file imports, at the top or inside a function."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
            named = [target] if node.module else []  # `from . import x` imports the module x, not its package
            found |= {name for name in [*named, *(f"{target}.{a.name}" for a in node.names)] if name in modules}
    return found - {here}


def import_graph() -> dict[str, set[str]]:
    paths = list(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): imports_of(p, modules) for p in paths}


def cycle_through(graph: dict[str, set[str]], start: str) -> list[str]:
    """A path start -> … -> start, if there is one."""
    stack, seen = [(start, [start])], set()
    while stack:
        module, path = stack.pop()
        for target in graph[module]:
            if target == start:
                return path + [start]
            if target not in seen:
                seen.add(target)
                stack.append((target, path + [target]))
    return []


def test_no_module_imports_one_that_imports_it_back():
    graph = import_graph()
    cycles = [cycle_through(graph, module) for module in sorted(graph)]
    assert [" -> ".join(c) for c in cycles if c] == []


def test_the_document_builder_and_the_checks_do_not_import_the_evaluator():
    graph = import_graph()
    reaching = {name: sorted(graph[f"reportdsl.{name}"] & {"reportdsl.evaluate"}) for name in AFTER_EVALUATION}
    assert reaching == {name: [] for name in AFTER_EVALUATION}


def test_the_name_table_is_built_without_computing_a_value():
    from reportdsl.names import NameTable
    from reportdsl.parser import parse_text

    found = []
    names = NameTable(parse_text('report "示例" year 2024 unit 万元\nfact a = 1 / 0\nfact a = 2\n'
                                 'items t (m) { 1 "甲" (1) }\n'), found)
    assert list(names.definitions) == [("a", None)] and list(names.trees) == ["t"]
    assert [d.code for d in found] == ["RD102"]  # the division by zero is never computed


def test_each_stage_reports_its_own_faults_once():
    from reportdsl.compiler import compile_text

    result = compile_text('report "示例" year 2024 unit 万元\nitems t (m) { 1 "甲" (1) }\nfact a = 1\nfact a = 2\n'
                          'let b = a + 1 人\npara "{t.children}"\ncheck b == 2 "b"\n')
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("RD102", 4), ("RD106", 5), ("RD106", 6)]
