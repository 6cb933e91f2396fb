"""The engine stays apart from the web: no module under src/matchwerk/engine imports Django
(or a platform app, which would bring Django along)."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "src" / "matchwerk" / "engine"


def _imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in {
                "import_module", "__import__"} and node.args and isinstance(node.args[0], ast.Constant):
            names.append(str(node.args[0].value))
    return names


def test_no_engine_module_imports_django_or_a_platform_app():
    modules = sorted(ENGINE.rglob("*.py"))
    assert len(modules) > 20
    offenders = []
    for path in modules:
        for name in _imported_modules(path):
            top = name.split(".")[0]
            if top == "django" or top.startswith("django_") or (
                    top == "matchwerk" and not name.startswith("matchwerk.engine")):
                offenders.append(f"{path.relative_to(ENGINE)}: {name}")
    assert offenders == []


def test_importing_every_engine_module_loads_no_django():
    """The same in a fresh interpreter: every engine module imported, Django never loaded."""
    script = (
        "import importlib, json, pkgutil, sys\n"
        "import matchwerk.engine as engine\n"
        "names = [m.name for m in pkgutil.walk_packages(engine.__path__, 'matchwerk.engine.')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps({'modules': len(names),"
        " 'django': sorted(m for m in sys.modules if m == 'django' or m.startswith(('django.', 'django_')))}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["modules"] > 20 and report["django"] == []
