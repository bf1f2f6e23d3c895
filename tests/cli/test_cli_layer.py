"""The CLI is a thin face: it imports neither SQLAlchemy nor the store (issue 9, point 2).

Checked on the source, over every import statement in ``cli/*.py`` (also the
ones inside functions), so a lazy import cannot slip past.
"""

from __future__ import annotations

import ast
from pathlib import Path

import newsdesk.cli

CLI = Path(newsdesk.cli.__file__).parent
FORBIDDEN = ("sqlalchemy", "newsdesk.store")


def _imports(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def test_cli_imports_neither_sqlalchemy_nor_the_store() -> None:
    files = sorted(CLI.glob("*.py"))
    assert len(files) > 5
    offending = [
        f"{path.name}:{line} imports {name}"
        for path in files
        for line, name in _imports(path)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)
    ]
    assert offending == []


def test_the_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from newsdesk.store import db\n    import sqlalchemy.orm\n")
    assert [name for _, name in _imports(sample)] == [
        "newsdesk.store",
        "newsdesk.store.db",
        "sqlalchemy.orm",
    ]
