"""The architecture test: the arrows between the packages point down (STYLE.md "The house", §3).

The import contracts live in pyproject.toml under ``[tool.importlinter]`` and are checked by
import-linter's ``lint-imports``, run from this interpreter's bin directory (the one ``make test``
installs ``.[dev]`` into) in a subprocess: import-linter finds packages by name, and this process
has already imported the real ``casus``, so the throw-away trees below could not be checked
in-process. The rule import-linter has no contract for, no private name imported from another
package, is an ast check here. Each check is also run on a small tree with a violation, to prove
that it fails.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = REPO / "pyproject.toml"
CHECKED_PACKAGES = ("casus", "audit", "partners", "config")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


# --- import-linter -------------------------------------------------------------------------


def run_contracts(cwd: Path) -> subprocess.CompletedProcess[str]:
    """Check the contracts in pyproject.toml against the packages found in ``cwd``."""
    if not LINT_IMPORTS.exists():
        pytest.fail(
            f"{LINT_IMPORTS} is missing: install the dev dependencies (pip install -e '.[dev]')"
        )
    return subprocess.run(  # noqa: S603 - fixed arguments, our own venv's script
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(PYPROJECT)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        # A wide terminal, so that rich does not wrap the report lines the tests look for.
        env={**os.environ, "COLUMNS": "250", "NO_COLOR": "1"},
    )


def contracts() -> dict[str, dict[str, Any]]:
    """The import-linter contracts in pyproject.toml, by id."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    return {contract["id"]: contract for contract in config["tool"]["importlinter"]["contracts"]}


def test_import_contracts_are_kept() -> None:
    result = run_contracts(REPO)
    if result.returncode != 0 or "BROKEN" in result.stdout:
        pytest.fail(result.stdout + result.stderr, pytrace=False)


def test_composition_root_contract_lists_every_config_module_but_kernel() -> None:
    """A forbidden contract cannot say "config except config.kernel", so it lists the rest."""
    config_dir = REPO / "config"
    modules = {f"config.{path.stem}" for path in config_dir.glob("*.py") if path.stem != "__init__"}
    modules |= {f"config.{path.parent.name}" for path in config_dir.glob("*/__init__.py")}
    modules.discard("config.kernel")
    assert set(contracts()["composition-root"]["forbidden_modules"]) == modules


def test_feature_package_contract_lists_every_feature_package() -> None:
    """A casus sub-package with views, api or urls is a feature package."""
    features = {
        f"casus.{path.parent.name}"
        for name in ("views", "api", "urls")
        for path in (REPO / "casus").glob(f"*/{name}.py")
    }
    assert set(contracts()["feature-packages"]["source_modules"]) == features


def skeleton() -> dict[str, str]:
    """The house in miniature, with one allowed import per arrow: the contracts must keep it."""
    files = {
        "config/__init__.py": "from .celery import app as celery_app\n",
        "config/celery.py": "app = object()\n",
        "config/kernel/__init__.py": "",
        "config/kernel/crypto.py": "from django.conf import settings\n",
        "config/urls.py": "from casus.casussen import urls\nfrom audit import views\n",
        "casus/__init__.py": "",
        "casus/models/__init__.py": "from casus.models.casus import Casus\n",
        "casus/models/casus.py": (
            "from guardian.models import GroupObjectPermissionBase\n"
            "from config.kernel import crypto\n"
            "from partners.models import Partner\n"
            "class Casus(GroupObjectPermissionBase): ...\n"
        ),
        "casus/policy.py": "from guardian.shortcuts import assign_perm\nfrom partners import policy\n",
        "audit/__init__.py": "",
        "audit/services.py": "from partners.models import Partner\n",
        "audit/views.py": "from audit import services\n",
        "partners/__init__.py": "",
        "partners/models.py": "from config.kernel import crypto\nPartner = object()\n",
        "partners/policy.py": "from partners.models import Partner\n",
    }
    for feature in contracts()["feature-packages"]["source_modules"]:
        folder = feature.replace(".", "/")
        files |= {
            f"{folder}/__init__.py": "",
            f"{folder}/services.py": (
                "from casus import policy\n"
                "from casus.casussen import selectors\n"
                "from audit import services\n"
            ),
            f"{folder}/selectors.py": "from casus.models import Casus\n",
            f"{folder}/views.py": f"from {feature} import services\n",
            f"{folder}/api.py": f"from {feature} import selectors\n",
            f"{folder}/urls.py": f"from {feature} import api, views\n",
        }
    for module in contracts()["composition-root"]["forbidden_modules"]:
        files.setdefault(module.replace(".", "/") + ".py", "")
    return files


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")


@dataclass(frozen=True)
class Violation:
    module: str  # the file to append the violating import to
    line: str
    contract_id: str
    reported: str  # what import-linter's report must say


VIOLATIONS = {
    "audit imports casus": Violation(
        "audit/services.py",
        "from casus.models import casus",
        "layers",
        "audit.services -> casus.models.casus",
    ),
    "partners imports casus": Violation(
        "partners/policy.py", "import casus.policy", "layers", "partners.policy -> casus.policy"
    ),
    "partners imports audit": Violation(
        "partners/models.py",
        "from audit import services",
        "layers",
        "partners.models -> audit.services",
    ),
    "kernel imports an app": Violation(
        "config/kernel/crypto.py",
        "from partners import models",
        "layers",
        "config.kernel.crypto -> partners.models",
    ),
    "an app imports settings": Violation(
        "casus/trends/services.py",
        "from config import settings",
        "composition-root",
        "casus.trends.services -> config.settings",
    ),
    "an app imports the config package": Violation(
        "audit/services.py",
        "from config import celery_app",
        "composition-root",
        "config -> config.celery",
    ),
    "kernel imports navigation": Violation(
        "config/kernel/crypto.py",
        "import config.navigation",
        "composition-root",
        "config.kernel.crypto -> config.navigation",
    ),
    "a feature imports another's views": Violation(
        "casus/overleg/services.py",
        "from casus.casussen.views import x",
        "feature-packages",
        "casus.overleg.services -> casus.casussen.views",
    ),
    "a feature imports another's urls": Violation(
        "casus/avg/views.py",
        "from casus.signalen import urls",
        "feature-packages",
        "casus.avg.views -> casus.signalen.urls",
    ),
    "a feature imports another's api": Violation(
        "casus/trends/selectors.py",
        "import casus.casussen.api",
        "feature-packages",
        "casus.trends.selectors -> casus.casussen.api",
    ),
    "a selector calls guardian": Violation(
        "casus/signalen/selectors.py",
        "from guardian.shortcuts import get_objects_for_user",
        "guardian",
        "casus.signalen.selectors -> guardian",
    ),
    "partners calls guardian": Violation(
        "partners/models.py", "import guardian", "guardian", "partners.models -> guardian"
    ),
}


@pytest.mark.slow
def test_skeleton_keeps_the_contracts(tmp_path: Path) -> None:
    """The allowed arrows of the skeleton do not trip a contract, so the failures below are real."""
    write_tree(tmp_path, skeleton())
    result = run_contracts(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(contracts())} kept, 0 broken." in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("violation", VIOLATIONS.values(), ids=VIOLATIONS.keys())
def test_contracts_report_a_violation(tmp_path: Path, violation: Violation) -> None:
    files = skeleton()
    files[violation.module] += violation.line + "\n"
    write_tree(tmp_path, files)
    result = run_contracts(tmp_path)
    name = contracts()[violation.contract_id]["name"]
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{name} BROKEN" in result.stdout, result.stdout
    assert f"Contracts: {len(contracts()) - 1} kept, 1 broken." in result.stdout, result.stdout
    assert violation.reported in result.stdout, result.stdout


def test_guardian_exception_is_only_the_permission_table_base() -> None:
    """The contract can only ignore casus.models.casus -> guardian as a whole: pin the one name."""
    tree = ast.parse((REPO / "casus/models/casus.py").read_text(encoding="utf-8"))
    guardian_imports = [
        ast.unparse(node)
        for node in ast.walk(tree)
        if (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "guardian")
        or (
            isinstance(node, ast.Import)
            and any(a.name.split(".")[0] == "guardian" for a in node.names)
        )
    ]
    assert guardian_imports == ["from guardian.models import GroupObjectPermissionBase"]


# --- private names -------------------------------------------------------------------------


@dataclass(frozen=True)
class PrivateImport:
    path: str
    line: int
    importer_package: str
    module: str
    name: str
    owner_package: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: from {self.module} import {self.name}"
            f" ({self.importer_package} imports a name private to {self.owner_package or '?'})"
        )


def is_private(name: str) -> bool:
    return (
        name.startswith("_") and name != "_" and not (name.startswith("__") and name.endswith("__"))
    )


def package_of(module: str, root: Path) -> str:
    """The package a module's names belong to: a package itself, or a module's parent package."""
    if (root / module.replace(".", "/") / "__init__.py").exists():
        return module
    return module.rpartition(".")[0]


def find_private_imports(root: Path, packages: tuple[str, ...]) -> list[PrivateImport]:
    """Every ``from x.y import _z`` in ``packages`` under ``root`` whose x.y is another package."""
    found: list[PrivateImport] = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if "migrations" in relative.parts:
                continue
            # A module's names, and an __init__'s, belong to the package of its folder.
            importer_package = ".".join(relative.parent.parts)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
                if not isinstance(node, ast.ImportFrom):
                    continue
                if node.level:
                    base = importer_package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    module = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    module = node.module or ""
                owner_package = package_of(module, root)
                if owner_package == importer_package:
                    continue
                found += [
                    PrivateImport(
                        str(relative),
                        node.lineno,
                        importer_package,
                        module,
                        alias.name,
                        owner_package,
                    )
                    for alias in node.names
                    if is_private(alias.name)
                ]
    return found


def test_no_private_name_is_imported_from_another_package() -> None:
    violations = find_private_imports(REPO, CHECKED_PACKAGES)
    if violations:
        pytest.fail("\n".join(map(str, violations)), pytrace=False)


def test_private_name_check_reports_violations(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "_registry = {}\n__version__ = '1'\n",
            "app/forms.py": "def _label(): ...\n",
            "app/views.py": textwrap.dedent(
                """\
                from app import _registry, __version__
                from app.forms import _label
                from .forms import _label as label
                from django.utils.translation import gettext_lazy as _
                """
            ),
            "app/feature/__init__.py": "",
            "app/feature/views.py": textwrap.dedent(
                """\
                from app.forms import _label
                from ..forms import (
                    _label as label,
                )
                from . import views

                def lazy():
                    from app import _registry
                """
            ),
            "app/migrations/0001_initial.py": "from app.forms import _label\n",
            "other/__init__.py": "",
            "other/services.py": "from app.feature.views import lazy, _hidden\nfrom django.db.models import _x\n",
        },
    )
    found = {
        (v.path, v.line, v.module, v.name) for v in find_private_imports(tmp_path, ("app", "other"))
    }
    assert found == {
        ("app/feature/views.py", 1, "app.forms", "_label"),
        ("app/feature/views.py", 2, "app.forms", "_label"),
        ("app/feature/views.py", 8, "app", "_registry"),
        ("other/services.py", 1, "app.feature.views", "_hidden"),
        ("other/services.py", 2, "django.db.models", "_x"),
    }
