"""The tree's layering, checked as a newcomer would check it by hand.

- ``marketplace/core`` is the ground floor: it imports no domain (the domains register
  with it, ``marketplace.core.registry``); only the start-up checks of ``marketplace.config``,
  which themselves import no domain;
- reads never call writes: no selector imports a services module;
- importing a domain's modules (``shops``, ``logistics``, ``marketplace``) loads no other
  domain's views: what one domain's pages need from another goes through its models,
  services, selectors or a small module of helpers, never through its views;
- nobody looks classes up by name (Oscar's ``get_class``): imports say where code lives.

The checks read the source (``ast``) or import in a child process, so they see what a
fresh interpreter sees, not what earlier tests happened to import.
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
DOMAINS = ("marketplace", "shops", "logistics")


def _modules(root: str) -> list[Path]:
    return sorted(p for p in (PROJECT / root).rglob("*.py") if "migrations" not in p.parts)


def _imported(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in ``path``, relative imports resolved."""
    package = ".".join(path.relative_to(PROJECT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _is_domain(module: str) -> bool:
    top, _, rest = module.partition(".")
    if top in ("shops", "logistics"):
        return True
    return top == "marketplace" and rest != "" and rest.split(".")[0] not in ("core", "config")


def test_core_imports_no_domain():
    wrong = [f"{p.relative_to(PROJECT)}:{line} {module}"
             for p in _modules("marketplace/core") for line, module in _imported(p) if _is_domain(module)]
    assert wrong == []


def test_no_selector_imports_a_service():
    selectors = [p for root in DOMAINS for p in _modules(root)
                 if p.stem == "selectors" or "selectors" in p.relative_to(PROJECT).parts[:-1]]
    assert len(selectors) >= 10  # the check reads the real tree
    wrong = [f"{p.relative_to(PROJECT)}:{line} {module}" for p in selectors for line, module in _imported(p)
             if "services" in module.split(".")]
    assert wrong == []


def test_nobody_looks_classes_up_by_name():
    wrong = [f"{p.relative_to(PROJECT)}:{line}" for root in DOMAINS for p in _modules(root)
             for line, module in _imported(p) if module == "oscar.core.loading.get_class"]
    assert wrong == []


# Run in a child: Django set up, then every module of one domain imported (migrations aside,
# and marketplace.config, the top floor whose URLs wire every domain's views); the other domains' view modules it pulled in are printed.
PROBE = """
import importlib, json, pkgutil, sys
import django
django.setup()
domain = sys.argv[1]


def is_view(name):
    return any(p == "views" or p.startswith("views_") or p.endswith("_views") for p in name.split("."))


before = set(sys.modules)
package = importlib.import_module(domain)
for info in pkgutil.walk_packages(package.__path__, domain + "."):
    if "migrations" in info.name.split(".") or info.name.startswith("marketplace.config"):
        continue
    importlib.import_module(info.name)
loaded = set(sys.modules) - before
print(json.dumps(sorted(m for m in loaded if m.split(".")[0] in ("marketplace", "shops", "logistics")
                        and m.split(".")[0] != domain and is_view(m))))
"""


@pytest.mark.parametrize("domain", DOMAINS)
def test_importing_a_domain_imports_no_other_domains_views(domain):
    """Views already loaded by Django's own start-up (Oscar's app configs load theirs) are not counted."""
    child = subprocess.run([sys.executable, "-c", PROBE, domain], cwd=PROJECT, capture_output=True, text=True,
                           timeout=120, env={**os.environ,
                                             "DJANGO_SETTINGS_MODULE": "marketplace.config.settings.test",
                                             "PYTHONPATH": str(PROJECT)})
    assert child.returncode == 0, child.stderr[-3000:]
    assert json.loads(child.stdout.strip().splitlines()[-1]) == []
