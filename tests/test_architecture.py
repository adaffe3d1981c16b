"""The package shows the pipeline: each layer imports only the layers below it, and no function or
class grows past what a reader holds in mind (issue 12's limits)."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "auditor"

# low to high; a module may import its own layer and any layer before it
LAYERS = [
    {"auditor", "auditor.errors", "auditor.resources", "auditor.yaml_lines", "auditor.positions", "auditor.output",
     "auditor.config"},
    {"auditor.facts"},
    {"auditor.findings"},
    {"auditor.source"},
    {"auditor.parse"},
    {"auditor.lexicon"},
    {"auditor.extract"},
    {"auditor.check"},
    {"auditor.engine"},
    {"auditor.records"},
    {"auditor.across"},
    {"auditor.batch"},
    {"auditor.render"},
    {"auditor.arguments", "auditor.serve"},
    {"auditor.cli"},
    {"auditor.__main__"},
]
MAX_FUNCTION_LINES = 80
MAX_CLASS_LINES = 300


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    for depth in (2, 1):  # "auditor.check.kinds.sum" is in the layer of "auditor.check"
        head = ".".join(module.split(".")[:depth])
        for i, layer in enumerate(LAYERS):
            if head in layer:
                return i
    raise AssertionError(f"{module} is in no layer: add it to LAYERS where the pipeline has it")


def _imports(path: Path) -> list[tuple[int, str]]:
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
            if node.module is None:  # "from . import __version__" or "from . import bound, count"
                out += [(node.lineno, f"{target}.{a.name}" if (PACKAGE.parent / target.replace(".", "/") / f"{a.name}.py").exists()
                         else target) for a in node.names]
            else:
                out.append((node.lineno, target))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("auditor.")]
    return out


def test_imports_point_down():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = _layer(_module(path))
        for line, target in _imports(path):
            if _layer(target) > here:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}, a layer above it")
    assert not wrong, "\n".join(wrong)


def test_every_module_has_a_layer():
    for path in PACKAGE.rglob("*.py"):
        _layer(_module(path))


def test_no_long_function_or_class():
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            limit = MAX_CLASS_LINES if isinstance(node, ast.ClassDef) else MAX_FUNCTION_LINES \
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
            if limit is not None and node.end_lineno - node.lineno + 1 > limit:
                long.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}: "
                            f"{node.end_lineno - node.lineno + 1} lines (at most {limit})")
    assert not long, "\n".join(long)
