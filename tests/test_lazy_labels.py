"""Labels are translated when shown, never when the code is imported (issue 15 item 8): an f-string, "%" or str()
around a lazy_gettext label at import fixes it in English before any request's language is known, and "Thêm trẻ em"
read "a) Orphaned of both parents"."""

import ast
import dataclasses
import importlib
import pkgutil
from pathlib import Path

from flask_babel import LazyString
from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField

import webapp
from tests.vietnamese import english_in, english_phrases

ROOT = Path(__file__).resolve().parent.parent
LAZY = {"_l", "lazy_gettext", "lazy_ngettext", "lazy_pgettext", "LazyString"}
EAGER = {"_", "gettext", "ngettext", "pgettext"}
# Seed data written in both languages, each stored in its own column (the plan's goals in Vietnamese and English).
BILINGUAL = {"webapp.plans.seed_2023"}
# Caches filled while pages are shown, one entry per language (not labels fixed at import): an earlier test of the
# same run may have filled them in English.
PER_LANGUAGE_CACHES = {"webapp.offline._STRINGS"}


def _modules():
    for info in pkgutil.walk_packages(webapp.__path__, "webapp."):
        yield importlib.import_module(info.name)


def _plain_strings(value, depth=0):
    """The plain (already fixed) strings held in a value: a dict, list, tuple or set of them, a SelectChoice…"""
    if isinstance(value, LazyString) or depth > 4:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _plain_strings(item, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _plain_strings(item, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):  # a registered indicator, a nav item…
        for item in dataclasses.fields(value):
            yield from _plain_strings(getattr(value, item.name), depth + 1)


def _field_strings(field: UnboundField):
    label = field.args[0] if field.args else field.kwargs.get("label")
    yield from _plain_strings(label)
    yield from _plain_strings(field.kwargs.get("description"))
    choices = field.kwargs.get("choices")
    if isinstance(choices, (list, tuple)):
        for choice in choices:
            yield from _plain_strings(choice[1] if isinstance(choice, (list, tuple)) else choice.label)


def test_the_english_phrases_are_found():
    assert len(english_phrases()) > 500
    assert english_in("a) Orphaned of both parents") == ["Orphaned of both parents"]
    assert english_in("a) Mồ côi cả cha và mẹ") == []


def test_no_label_is_fixed_in_english_at_import():
    """Every label a module or form class holds at import is still lazy: none holds English of the catalogue."""
    frozen = []
    for module in _modules():
        for name, value in vars(module).items():
            if module.__name__ in BILINGUAL:
                continue
            if isinstance(value, type) and issubclass(value, FlaskForm) and value.__module__ == module.__name__:
                for attr, field in vars(value).items():
                    if isinstance(field, UnboundField):
                        frozen += [f"{module.__name__}.{name}.{attr}: {s!r}" for s in _field_strings(field)
                                   if english_in(s)]
            elif f"{module.__name__}.{name}" in PER_LANGUAGE_CACHES:
                continue
            elif not name.startswith("__") and getattr(value, "__module__", module.__name__) == module.__name__:
                frozen += [f"{module.__name__}.{name}: {s!r}" for s in _plain_strings(value) if english_in(s)]
    assert frozen == []


def _import_time(tree):
    """The nodes Python runs when the module is imported: module and class bodies, decorators, defaults."""
    stack = list(ast.iter_child_nodes(tree))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            stack += getattr(node, "decorator_list", []) + node.args.defaults + [d for d in node.args.kw_defaults if d]
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _calls(node, names):
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in names for n in ast.walk(node))


def test_no_string_is_built_around_a_label_at_import():
    """Statically: no f-string, "%", "+", .format(), .join() or str() at import around a lazy_gettext call, and no
    gettext at import (it would answer in no request's language)."""
    found = []
    for path in sorted((ROOT / "webapp").rglob("*.py")):
        for node in _import_time(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
            building = (isinstance(node, ast.JoinedStr)
                        or isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add))
                        or isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str"
                        or isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in ("format", "join"))
            if building and _calls(node, LAZY - {"LazyString"}):
                found.append(f"{where}: {ast.unparse(node)[:100]}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in EAGER:
                found.append(f"{where}: {ast.unparse(node)[:100]}")
    assert found == []
