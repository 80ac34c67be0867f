"""The security sweep's class "a record naming a child, after the child moves" (issue 14, item 1), on the sweep's
world: in a module of its own, as it moves a child of that world."""

from tests.security.conftest import A_TAG, KID_TAG
from tests.security.forms import text_of
from tests.security.test_sweep import PARTIAL, cases
from webapp.children.models import Child
from webapp.extensions import db

# The sweep's class: every page of commune A, after commune A's child moved to commune B --------------------------

def test_after_a_move_no_page_of_the_old_commune_names_the_child(world):
    """The security sweep's world: commune A's child (delegate with consents and check-in, presenter, gift receipt,
    swim enrolment) moves to commune B; then every page the sweep opens in commune A, as each commune-A role, is
    free of the child's name, and commune B's officer opens the delegate."""
    from webapp.children.services import child_moved
    from webapp.geo.models import Unit

    marker = f"{KID_TAG} {A_TAG} a ".lower()
    before = [world.client("officer").get(url) for url in (f"/forum/delegates/{world.ids['A']['delegate']}",
                                                           f"/gifts/{world.ids['A']['distribution']}")]
    assert all(marker in text_of(r).lower() for r in before)  # the sweep would see the name
    with world.app.app_context():
        child = db.session.get(Child, world.ids["A"]["child"])
        village = db.session.get(Unit, world.ids["B"]["village"])
        child.unit_id, child.commune_id = village.id, village.parent_id
        child_moved(child)
        db.session.commit()
    seen, broken = [], []
    for case in cases(world):
        if case.method != "GET" or case.area != "A" or case.role not in ("collector", "village_head", "officer"):
            continue
        response = world.client(case.role).get(case.url, headers=dict(PARTIAL) if case.partial else {})
        if response.status_code >= 500:
            broken.append(case.url)
        if marker in text_of(response).lower():
            seen.append(f"{case.url} as {case.role}")
    assert not broken and not seen, (broken, seen)
    delegate = world.client("officer_B").get(f"/forum/delegates/{world.ids['A']['delegate']}")
    assert delegate.status_code == 200 and marker in text_of(delegate).lower()
    assert world.client("officer").get(f"/forum/delegates/{world.ids['A']['delegate']}").status_code == 404
