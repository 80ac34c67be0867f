"""Where the app's data folders are: inside the package when installed from a wheel, else at the repository root."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder `name` (templates, static, translations, migrations) of this installation."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name
