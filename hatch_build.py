"""Build hook: compile the message catalogues and ship the top-level data folders inside the `webapp` package.

hatch-babel compiles too, but it places the catalogues at the top of site-packages; the app looks for its data next
to its code (see webapp/paths.py), so this hook puts templates, static files, translations and migrations there.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

DATA_DIRS = ("templates", "static", "translations", "migrations")


def compile_catalogues(root: Path) -> None:
    for po_path in sorted((root / "translations").glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as f:
            catalogue = read_po(f)
        with po_path.with_suffix(".mo").open("wb") as f:
            write_mo(f, catalogue, use_fuzzy=False)


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        root = Path(self.root)
        compile_catalogues(root)
        if self.target_name == "wheel" and version == "standard":
            for name in DATA_DIRS:
                build_data["force_include"][str(root / name)] = f"webapp/{name}"
