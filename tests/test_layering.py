"""The layering contracts hold: the engine is pure, apps never reach up into pages."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_import_linter_contract_is_kept() -> None:
    linter = Path(sys.executable).parent / "lint-imports"

    result = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_importing_the_whole_engine_loads_no_django() -> None:
    probe = (
        "import pkgutil, sys, importlib, mastery.engine as engine\n"
        "for module in pkgutil.walk_packages(engine.__path__, 'mastery.engine.'):\n"
        "    importlib.import_module(module.name)\n"
        "roots = {'django', 'ninja'}\n"
        "loaded = sorted(name for name in sys.modules if name.split('.')[0] in roots)\n"
        "print(','.join(loaded))\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == ""
