"""``core`` is the ground floor: nothing under src/govcredit/core/ imports an app built on it."""

from __future__ import annotations

import ast
from pathlib import Path

import govcredit

CORE = Path(govcredit.__file__).parent / "core"
SRC = CORE.parent
#: every govcredit package except core itself (wave-2 apps included as they arrive)
ABOVE_CORE = sorted(
    p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists() and p.name != "core"
)


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level > 1:
            found.append((node.lineno, "." * node.level + (node.module or "")))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module",
            "__import__",
        ):
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def _violations(root: Path) -> list[str]:
    bad = []
    forbidden = tuple(f"govcredit.{name}" for name in ABOVE_CORE)
    for path in sorted(root.rglob("*.py")):
        for line, name in _imports(path):
            if name.startswith(forbidden) or name.startswith(".."):
                bad.append(f"{path.relative_to(root.parent)}:{line} imports {name}")
    return bad


def test_core_imports_no_app_above_it():
    assert "records" in ABOVE_CORE and "office" in ABOVE_CORE
    assert _violations(CORE) == []


def test_the_walk_catches_module_level_and_function_level_imports(tmp_path):
    (tmp_path / "bad.py").write_text(
        "from govcredit.records.models import CreditRecord\n"
        "def f():\n"
        "    import govcredit.disputes.services\n"
        "    from govcredit import sanctions\n"
        "    return importlib.import_module('govcredit.exchange.outbox')\n",
        encoding="utf-8",
    )
    (tmp_path / "good.py").write_text(
        "from govcredit.core.errors import NotFound\nimport django\n", encoding="utf-8"
    )
    found = "\n".join(_violations(tmp_path))
    assert "bad.py:1 imports govcredit.records.models" in found
    assert "bad.py:3 imports govcredit.disputes.services" in found
    assert "bad.py:4 imports govcredit.sanctions" in found
    assert "bad.py:5 imports govcredit.exchange.outbox" in found
    assert "good.py" not in found
