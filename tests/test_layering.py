"""The layers: core (the shared mechanisms) and geo (the units every scope is built on) import no feature, so that
a feature can be added, changed or left out without the ground under the others moving. A feature plugs into core
through its registries (nav, waiting, working_set, the children's hooks, the indicators), never the other way."""

import ast
import pathlib

WEBAPP = pathlib.Path(__file__).parent.parent / "webapp"
ALLOWED = {"core": {"core", "geo"}, "geo": {"core", "geo"}}  # core reads the units (scope); geo stands on core
PACKAGES = {p.name for p in WEBAPP.iterdir() if (p / "__init__.py").exists()}  # the features, core and geo


def imported_packages(source: str, module: list[str]) -> set[str]:
    """The packages of webapp/ that the module `module` (["webapp", "core", "views"]) imports, relatively or by full
    name, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = module[:-node.level]  # `from .x` is a sibling of the module, `from ..x` of its package
                target = anchor + (node.module.split(".") if node.module else [])
                if len(target) >= 2:
                    found.add(target[1])
                else:  # from .. import x, y (in a top-level package): the names are packages or modules
                    found.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("webapp."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("webapp."))
    return found & PACKAGES


def test_core_and_geo_import_no_feature():
    offenders = []
    for package, allowed in ALLOWED.items():
        for path in sorted((WEBAPP / package).rglob("*.py")):
            module = ["webapp", *path.relative_to(WEBAPP).with_suffix("").parts]
            reached = imported_packages(path.read_text(), module) - allowed
            offenders += [f"{path.relative_to(WEBAPP)} imports {name}" for name in sorted(reached)]
    assert offenders == []


def test_the_check_sees_every_way_of_importing_a_feature():
    source = ("from ..children.models import Child\nimport webapp.forum.services\nfrom . import audit\n"
              "from .. import plans\n\ndef f():\n    from ..gifts import services\n")
    assert imported_packages(source, ["webapp", "core", "views"]) == {"children", "forum", "core", "plans", "gifts"}
