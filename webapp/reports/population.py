"""The number of children aged 6 to 15 from the population statistics: the denominator of the plan's swim shares
(T6, T7), and how much of a unit's area it covers.

The figure of a unit for a plan's year is
- the figure entered for the unit itself, if any (it covers the unit's whole area);
- otherwise the sum of its sub-units' figures, each found by the same rule; None when none of them has one.
A share is computed only over the area its denominator covers: the numerator counts the children of the units
whose figure (their own or one above them, inside the unit whose share is computed) is in the denominator, and
nothing from a commune without a figure. With 3 communes of figures 100, 200 and none, and 45 children taught in
the first, 15 in the second and 40 in the third, the province's share is (45 + 15) / 300 = 20%, and the page says
"2 of 3 communes have a figure". Where no unit has a figure the share is None ("no data"), never a share of the
register's children (the register's count is shown beside it only as a check).

A figure serves the plan of its year only: the statistics office's latest figure (for example "Chi cục Thống kê,
số liệu 2022") is entered for the plan of 2023 with that source, never carried over from one year to the next."""

from dataclasses import dataclass

from sqlalchemy import func, select

from ..core.scope import subtree_ids
from ..extensions import db
from ..geo.models import COMMUNE, VILLAGE, Unit
from .models import PopulationFigure

FIGURE_LEVELS = ("province", "district", "commune")  # the units a figure is entered for (not villages)


@dataclass
class _Node:
    id: int
    parent_id: int | None
    level: str
    active: bool
    depth: int


def resolve(unit: Unit, year: int, counts: dict[int, dict[str, int]] | None = None) -> dict[int, dict[str, int]]:
    """For `unit` and every unit under it: {"population": its figure by the rule above (absent where None),
    "communes_covered": its active communes inside the area the figure covers, and for each key of `counts`
    ({unit_id: {key: n}}, e.g. children taught, by the unit where they were counted) the sum over that area}."""
    nodes = {uid: _Node(uid, parent, level, active, path.count("/")) for uid, parent, level, active, path in
             db.session.execute(select(Unit.id, Unit.parent_id, Unit.level, Unit.active, Unit.path)
                                .where(Unit.id.in_(subtree_ids(unit)), Unit.level != VILLAGE))}
    if unit.level == VILLAGE:  # a village has no figure of its own, nor any under it
        return {}
    counts = _to_communes(counts or {}, nodes)
    figures = {unit_id: n for unit_id, n in db.session.execute(
        select(PopulationFigure.unit_id, PopulationFigure.children_6_15)
        .where(PopulationFigure.year == year, PopulationFigure.unit_id.in_(subtree_ids(unit))))}
    keys = sorted({k for values in counts.values() for k in values})
    children: dict[int, list[int]] = {}
    for node in nodes.values():
        if node.id != unit.id and node.parent_id in nodes:
            children.setdefault(node.parent_id, []).append(node.id)
    area: dict[int, dict[str, int]] = {}  # everything counted in the unit's subtree, and its communes
    covered: dict[int, dict[str, int]] = {}  # the same over the area its figure covers, with the figure
    for node in sorted(nodes.values(), key=lambda n: -n.depth):  # the deepest first: children before parents
        kids = children.get(node.id, [])
        total = {k: counts.get(node.id, {}).get(k, 0) + sum(area[c][k] for c in kids) for k in keys}
        total["communes"] = int(node.level == COMMUNE and node.active) + sum(area[c]["communes"] for c in kids)
        area[node.id] = total
        own = figures.get(node.id)
        if own is not None:
            covered[node.id] = {**{k: total[k] for k in keys}, "population": own,
                                "communes_covered": total["communes"]}
            continue
        parts = [covered[c] for c in kids if c in covered]
        if parts:
            covered[node.id] = {**{k: sum(p[k] for p in parts) for k in keys},
                                "population": sum(p["population"] for p in parts),
                                "communes_covered": sum(p["communes_covered"] for p in parts)}
    return covered


def _to_communes(counts: dict[int, dict[str, int]], nodes: dict[int, _Node]) -> dict[int, dict[str, int]]:
    """The counts of villages added to their communes (a figure is entered for a commune, never a village)."""
    villages = [uid for uid in counts if uid not in nodes]
    parent = dict(db.session.execute(select(Unit.id, Unit.parent_id).where(Unit.id.in_(villages))).all()) \
        if villages else {}
    result: dict[int, dict[str, int]] = {}
    for uid, values in counts.items():
        target = result.setdefault(uid if uid in nodes else parent.get(uid), {})
        for key, n in values.items():
            target[key] = target.get(key, 0) + n
    result.pop(None, None)
    return result


@dataclass
class Coverage:
    """What a page says about the denominator of a unit: the figure, how many of its communes it covers, and the
    sources of the figures it is made of."""

    population: int | None
    communes_covered: int
    communes: int
    sources: list[str]


def coverage(unit: Unit, year: int) -> Coverage:
    values = resolve(unit, year).get(unit.id, {})
    communes = db.session.scalar(select(func.count()).select_from(Unit).where(
        Unit.id.in_(subtree_ids(unit)), Unit.level == COMMUNE, Unit.active.is_(True))) or 0
    of_year = PopulationFigure.year == year
    own = db.session.scalar(select(PopulationFigure.source).where(of_year, PopulationFigure.unit_id == unit.id))
    if own is not None:
        sources = [own]
    else:
        sources = list(db.session.scalars(select(PopulationFigure.source).distinct().where(
            of_year, PopulationFigure.unit_id.in_(subtree_ids(unit))).order_by(PopulationFigure.source)))
    return Coverage(values.get("population"), values.get("communes_covered", 0), communes, sources)
