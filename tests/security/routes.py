"""What every route answers to every role, inside and outside the user's area: the table the sweep checks.

A route not in ROUTES fails tests/security/test_sweep.py: add it here with who may use it and whether it opens a
record of an area (then a commune user asking for commune B's record gets 404)."""

from dataclasses import dataclass, field

VIEWER, COLLECTOR, VILLAGE_HEAD, OFFICER, ADMIN = "viewer", "collector", "village_head", "officer", "admin"
SIGNED_IN = frozenset({VIEWER, COLLECTOR, VILLAGE_HEAD, OFFICER, ADMIN})
WORKERS = frozenset({COLLECTOR, VILLAGE_HEAD, OFFICER, ADMIN})
OFFICERS = frozenset({OFFICER, ADMIN})
READERS = frozenset({VIEWER, OFFICER, ADMIN})
ADMINS = frozenset({ADMIN})
COMMUNE_ROLES = frozenset({COLLECTOR, VILLAGE_HEAD, OFFICER})  # users of commune A (or its village)
PUBLIC = "public"


@dataclass(frozen=True)
class Rule:
    roles: frozenset | str  # who passes; PUBLIC needs no sign-in
    area: bool = False  # opens a record (or a unit) of an area: commune B's answers 404 to commune A's users
    ok: int = 200  # the answer to a user who may (302 for a page that sends a signed-in user elsewhere)
    own: dict = field(default_factory=dict)  # role -> answer for the user's own area, where it differs
    other: dict = field(default_factory=dict)  # role -> answer for commune B, where it differs
    query: str = ""  # the query string, {key} filled from the area's ids
    args: dict = field(default_factory=dict)  # URL argument -> ids key or a fixed value
    destructive: bool = False  # posting it in one's own area would change the world: not posted by the sweep
    partial: bool = False  # a list with an htmx partial: also asked with HX-Request


R = Rule
NOT_TEACHER = 404  # a collector opens only the swim courses she teaches
REPORTERS = frozenset({COLLECTOR, VILLAGE_HEAD, OFFICER})  # who reports a concern about a child
NOT_HANDLER = {VIEWER: 404, COLLECTOR: 404, VILLAGE_HEAD: 404}  # a report exists only for its handlers
ROUTES: dict[tuple[str, str], Rule] = {
    # core, accounts, places
    ("core.home", "GET"): R(SIGNED_IN),
    ("core.healthz", "GET"): R(PUBLIC),
    ("core.audit_log", "GET"): R(ADMINS, partial=True),
    ("static", "GET"): R(PUBLIC, args={"filename": "css/app.css"}),
    ("accounts.login", "GET"): R(PUBLIC, ok=302),
    ("accounts.login", "POST"): R(PUBLIC, destructive=True),
    ("accounts.logout", "POST"): R(PUBLIC, destructive=True),
    ("accounts.language", "POST"): R(PUBLIC, destructive=True),
    ("accounts.profile", "GET"): R(SIGNED_IN),
    ("accounts.profile", "POST"): R(SIGNED_IN, destructive=True),
    ("accounts.users", "GET"): R(OFFICERS, partial=True),
    ("accounts.new_user", "GET"): R(OFFICERS),
    ("accounts.new_user", "POST"): R(OFFICERS, destructive=True),
    ("accounts.user_detail", "GET"): R(OFFICERS, area=True),
    ("accounts.user_active", "POST"): R(OFFICERS, area=True, destructive=True),
    ("geo.index", "GET"): R(WORKERS, partial=True),
    ("geo.detail", "GET"): R(WORKERS, area=True, own={VILLAGE_HEAD: 404}),
    ("geo.new_village_view", "GET"): R(OFFICERS, area=True),
    ("geo.new_village_view", "POST"): R(OFFICERS, area=True, destructive=True),
    ("geo.rename_village", "GET"): R(OFFICERS, area=True, args={"unit_id": "village"}),
    ("geo.rename_village", "POST"): R(OFFICERS, area=True, args={"unit_id": "village"}, destructive=True),
    ("geo.import_view", "GET"): R(OFFICERS),
    ("geo.import_view", "POST"): R(OFFICERS, destructive=True),
    # plans
    ("plans.index", "GET"): R(SIGNED_IN),
    ("plans.detail", "GET"): R(SIGNED_IN),
    ("plans.copy", "POST"): R(ADMINS, destructive=True),
    ("plans.edit", "GET"): R(ADMINS),
    ("plans.edit", "POST"): R(ADMINS, destructive=True),
    ("plans.edit_target", "GET"): R(ADMINS),
    ("plans.edit_target", "POST"): R(ADMINS, destructive=True),
    ("plans.new_target", "GET"): R(ADMINS),
    ("plans.new_target", "POST"): R(ADMINS, destructive=True),
    ("plans.remove_target", "POST"): R(ADMINS, destructive=True),
    ("plans.new_quantity", "GET"): R(ADMINS),
    ("plans.new_quantity", "POST"): R(ADMINS, destructive=True),
    ("plans.edit_quantity", "GET"): R(ADMINS),
    ("plans.edit_quantity", "POST"): R(ADMINS, destructive=True),
    ("plans.remove_quantity", "POST"): R(ADMINS, destructive=True),
    ("plans.agencies", "GET"): R(ADMINS),
    ("plans.agencies", "POST"): R(ADMINS, destructive=True),
    ("plans.edit_agency", "GET"): R(ADMINS, args={"agency_id": "P.agency"}),
    ("plans.edit_agency", "POST"): R(ADMINS, args={"agency_id": "P.agency"}, destructive=True),
    ("plans.period_cutoff", "GET"): R(ADMINS),
    ("plans.period_cutoff", "POST"): R(ADMINS, destructive=True),
    # activities
    ("activities.index", "GET"): R(WORKERS, partial=True),
    ("activities.new", "GET"): R(WORKERS),
    ("activities.create", "GET"): R(WORKERS, args={"kind": "communication"}),
    ("activities.create", "POST"): R(WORKERS, args={"kind": "communication"}, destructive=True),
    ("activities.participant_row", "GET"): R(WORKERS),
    ("activities.detail", "GET"): R(WORKERS, area=True),
    # the village head may not edit the collector's activity; an officer may
    ("activities.edit", "GET"): R(WORKERS, area=True, own={VILLAGE_HEAD: 403}),
    ("activities.edit", "POST"): R(WORKERS, area=True, own={VILLAGE_HEAD: 403}, destructive=True),
    # the area is checked before the role, so that a record elsewhere is not revealed by a 403
    ("activities.review", "POST"): R(WORKERS, area=True, own={COLLECTOR: 403, VILLAGE_HEAD: 403},
                                     destructive=True),
    ("activities.delete", "POST"): R(WORKERS, area=True, own={VILLAGE_HEAD: 403}, destructive=True),
    # children
    ("children.index", "GET"): R(WORKERS, partial=True),
    ("children.new", "GET"): R(WORKERS),
    ("children.new", "POST"): R(WORKERS, destructive=True),
    ("children.detail", "GET"): R(WORKERS, area=True),
    ("children.merge_view", "POST"): R(OFFICERS, area=True, destructive=True),
    ("children.export", "GET"): R(OFFICERS, area=True),
    ("children.erase_view", "POST"): R(OFFICERS, area=True, destructive=True),
    ("children.edit", "GET"): R(WORKERS, area=True),
    ("children.edit", "POST"): R(WORKERS, area=True, destructive=True),
    ("children.counts_view", "GET"): R(SIGNED_IN, area=True, query="unit={unit}", own={VILLAGE_HEAD: 404}),
    # gifts
    ("gifts.index", "GET"): R(SIGNED_IN, partial=True),
    ("gifts.new", "GET"): R(WORKERS, area=True, query="village={village}"),
    ("gifts.new", "POST"): R(WORKERS, area=True, query="village={village}", destructive=True),
    ("gifts.detail", "GET"): R(SIGNED_IN, area=True),
    ("gifts.sheet", "GET"): R(WORKERS, area=True),
    ("gifts.photo", "GET"): R(WORKERS, area=True, ok=404),  # no photo attached
    ("gifts.photo", "POST"): R(WORKERS, area=True, destructive=True),
    ("gifts.receipt_reason", "POST"): R(OFFICERS, area=True, destructive=True),
    ("gifts.receipt_remove", "POST"): R(OFFICERS, area=True, destructive=True),
    ("gifts.totals_view", "GET"): R(SIGNED_IN),
    ("gifts.edit", "GET"): R(WORKERS, area=True),
    ("gifts.edit", "POST"): R(WORKERS, area=True, destructive=True),
    # fund
    ("fund.index", "GET"): R(READERS, area=True, query="unit={unit}"),
    ("fund.new_donation", "GET"): R(OFFICERS, area=True, query="unit={unit}"),
    ("fund.new_donation", "POST"): R(OFFICERS, area=True, query="unit={unit}", destructive=True),
    ("fund.receipt", "GET"): R(OFFICERS, area=True),
    ("fund.donors_view", "GET"): R(OFFICERS, area=True, query="unit={unit}"),
    ("fund.new_spending", "GET"): R(OFFICERS, area=True, query="unit={unit}"),
    ("fund.new_spending", "POST"): R(OFFICERS, area=True, query="unit={unit}", destructive=True),
    ("fund.target", "POST"): R(OFFICERS, area=True, query="unit={unit}", destructive=True),
    # forum: a forum is seen from its unit and from below it
    ("forum.index", "GET"): R(SIGNED_IN),
    ("forum.new", "GET"): R(OFFICERS),
    ("forum.new", "POST"): R(OFFICERS, destructive=True),
    ("forum.detail", "GET"): R(SIGNED_IN, area=True),
    ("forum.badges", "GET"): R(WORKERS, area=True),
    ("forum.checkin", "GET"): R(WORKERS, area=True),
    ("forum.check_in", "POST"): R(WORKERS, area=True, destructive=True),
    ("forum.consent_register", "GET"): R(OFFICERS, area=True),
    ("forum.delegates_export", "GET"): R(OFFICERS, area=True),
    ("forum.add_delegate", "GET"): R(WORKERS, area=True),
    ("forum.add_delegate", "POST"): R(WORKERS, area=True, destructive=True),
    ("forum.register", "GET"): R(WORKERS, area=True),
    ("forum.register", "POST"): R(WORKERS, area=True, destructive=True),
    ("forum.new_recommendation", "GET"): R(OFFICERS, area=True),
    ("forum.new_recommendation", "POST"): R(OFFICERS, area=True, destructive=True),
    ("forum.report_sent", "POST"): R(OFFICERS, area=True, destructive=True),
    ("forum.training", "GET"): R(OFFICERS, area=True),
    ("forum.training", "POST"): R(OFFICERS, area=True, destructive=True),
    ("forum.delegate", "GET"): R(WORKERS, area=True),
    ("forum.add_consent", "POST"): R(WORKERS, area=True, destructive=True),
    ("forum.withdraw_consent", "POST"): R(WORKERS, area=True, destructive=True),
    ("forum.consent_paper", "GET"): R(OFFICERS, area=True, ok=404),  # consent given in person: no paper
    ("forum.photo", "GET"): R(WORKERS, area=True, ok=404),  # no photo taken
    ("forum.photo", "POST"): R(WORKERS, area=True, destructive=True),
    ("forum.public", "GET"): R(PUBLIC),  # the children's page: recommendations only, for anyone
    ("forum.recommendation", "GET"): R(SIGNED_IN, area=True),
    ("forum.update_recommendation", "POST"): R(OFFICERS, area=True, destructive=True),
    # swim: a collector opens the courses she teaches (the village head teaches none of commune A's)
    ("swim.index", "GET"): R(WORKERS),
    ("swim.new", "GET"): R(WORKERS),
    ("swim.new", "POST"): R(WORKERS, destructive=True),
    ("swim.detail", "GET"): R(WORKERS, area=True, own={VILLAGE_HEAD: NOT_TEACHER}),
    ("swim.programme", "GET"): R(OFFICERS, area=True),
    ("swim.programme", "POST"): R(OFFICERS, area=True, destructive=True),
    ("swim.enrol_view", "GET"): R(WORKERS, area=True, own={VILLAGE_HEAD: NOT_TEACHER}),
    ("swim.enrol_view", "POST"): R(WORKERS, area=True, own={VILLAGE_HEAD: NOT_TEACHER}, destructive=True),
    ("swim.quick_add_view", "POST"): R(WORKERS, area=True, own={VILLAGE_HEAD: NOT_TEACHER}, destructive=True),
    ("swim.import_view", "GET"): R(WORKERS, area=True, own={VILLAGE_HEAD: NOT_TEACHER}),
    ("swim.import_view", "POST"): R(WORKERS, area=True, own={VILLAGE_HEAD: NOT_TEACHER}, destructive=True),
    ("swim.lesson", "GET"): R(WORKERS, area=True, own={VILLAGE_HEAD: NOT_TEACHER}, args={"number": 1}),
    ("swim.tap", "POST"): R(WORKERS, area=True, own={VILLAGE_HEAD: NOT_TEACHER}, args={"number": 1},
                            destructive=True),
    ("swim.certificates", "GET"): R(WORKERS, area=True, own={VILLAGE_HEAD: NOT_TEACHER}),
    # concerns (Báo tin về trẻ em): the commune's collectors and officers report; only the commune's officers and the
    # province's admin open a report, everybody else gets 404 by id (the reporter too, once it is sent)
    ("concerns.new", "GET"): R(REPORTERS, partial=True),
    ("concerns.new", "POST"): R(REPORTERS, destructive=True),
    ("concerns.sent", "GET"): R(REPORTERS),
    ("concerns.index", "GET"): R(OFFICERS),
    ("concerns.detail", "GET"): R(SIGNED_IN, area=True, own=NOT_HANDLER),
    ("concerns.record_step", "GET"): R(SIGNED_IN, area=True, own=NOT_HANDLER, args={"step": "verify"}),
    ("concerns.record_step", "POST"): R(SIGNED_IN, area=True, own=NOT_HANDLER, args={"step": "verify"},
                                        destructive=True),
    ("concerns.print_view", "GET"): R(SIGNED_IN, area=True, own=NOT_HANDLER),
    ("concerns.erase_view", "POST"): R(SIGNED_IN, area=True, own=NOT_HANDLER, destructive=True),
    # reports: a unit's officers write its report, the units above read and review it
    ("reports.index", "GET"): R(READERS),
    ("reports.dashboard", "GET"): R(READERS, area=True, query="unit={unit}", partial=True),
    ("reports.goal_page", "GET"): R(READERS, area=True, query="unit={unit}"),
    ("reports.completeness", "GET"): R(READERS, area=True, query="unit={unit}"),
    ("reports.report", "GET"): R(READERS, area=True),
    ("reports.report", "POST"): R(READERS, area=True, destructive=True),
    ("reports.print_view", "GET"): R(READERS, area=True),
    ("reports.export_report", "GET"): R(READERS, area=True, args={"fmt": "docx"}),
    ("reports.submit", "POST"): R(OFFICERS, area=True, destructive=True),
    ("reports.review", "POST"): R(OFFICERS, area=True, destructive=True),
    ("reports.enter_value", "GET"): R(OFFICERS, area=True, own={ADMIN: 403}, other={ADMIN: 403}),
    ("reports.enter_value", "POST"): R(OFFICERS, area=True, own={ADMIN: 403}, other={ADMIN: 403},
                                       destructive=True),
    ("reports.export_activities", "GET"): R(OFFICERS, area=True, query="unit={unit}", args={"fmt": "csv"}),
    # the sources of figures: children aged 6-15 from population statistics, recognitions of child-friendly communes
    ("reports.population_figures", "GET"): R(READERS),
    ("reports.enter_population", "GET"): R(OFFICERS, area=True),
    ("reports.enter_population", "POST"): R(OFFICERS, area=True, destructive=True),
    ("reports.recognitions", "GET"): R(READERS),
    ("reports.new_recognition", "GET"): R(ADMINS),
    ("reports.new_recognition", "POST"): R(ADMINS, destructive=True),
    ("reports.edit_recognition", "GET"): R(ADMINS, area=True),
    ("reports.edit_recognition", "POST"): R(ADMINS, area=True, destructive=True),
    # working offline
    ("offline.manifest", "GET"): R(PUBLIC),
    ("offline.service_worker", "GET"): R(PUBLIC),
    ("offline.offline_page", "GET"): R(PUBLIC),
    ("offline.csrf_token", "GET"): R(PUBLIC),
    ("offline.working_set", "GET"): R(PUBLIC),  # empty when signed out; only the asker's own pages
    ("offline.outbox", "GET"): R(PUBLIC),
    ("offline.conflicts", "GET"): R(WORKERS),
    # a conflict is its author's (officer A's here), and every one in an officer's area is the officer's to settle
    ("offline.settle", "POST"): R(WORKERS, area=True, own={COLLECTOR: 404, VILLAGE_HEAD: 404}, destructive=True),
}

# URL arguments and the ids they take (an area's ids: its "unit" is the commune).
ARGUMENTS = {
    "activity_id": "activity", "child_id": "child", "distribution_id": "distribution", "receipt_id": "receipt",
    "donation_id": "donation", "forum_id": "forum", "delegate_id": "delegate", "consent_id": "consent",
    "recommendation_id": "recommendation", "course_id": "course", "period_id": "period", "unit_id": "unit",
    "plan_id": "plan", "target_id": "target", "quantity_id": "quantity", "user_id": "user", "conflict_id": "conflict",
    "goal": "goal", "recognition_id": "recognition", "concern_id": "concern",
}

# Other ways into the same lists and files, which a commune-A user could try with commune B's ids.
EXTRA_GETS = [
    "/children/?q={B_PART}", "/children/?q=kidnamez", "/children/?village={B.village}", "/places/?q={B_PART}",
    "/places/?q=ban pho", "/users?q={B_PART}", "/users?q=nguoi", "/activities/?unit={B.unit}",
    "/activities/?unit={B.village}", "/activities/?period=period-{B.period}", "/gifts/?year={year}",
    "/gifts/totals?year={year}", "/fund/?unit={B.unit}", "/fund/donors?unit={B.unit}",
    "/reports/dashboard?unit={B.unit}", "/reports/dashboard/goals/Q1?unit={B.unit}", "/reports/activities.xlsx",
    "/reports/activities.csv",
    "/reports/activities.csv?unit={B.unit}", "/reports/{A.period}/units/{A.unit}/report.xlsx",
    "/reports/{A.period}/units/{A.unit}/report.docx", "/reports/{A.period}/units/{A.unit}/print",
    "/reports/{A.period}/completeness", "/reports/{A.period}/completeness?missing=1", "/forum/{A.forum}/checkin",
    "/forum/{A.forum}/delegates/add?q={B_PART}", "/forum/{A.forum}/delegates/add?q=kidnamez",
    "/forum/{A.forum}/delegates/add?child={B.child}", "/forum/{A.forum}/register?q={B_PART}",
    "/forum/{A.forum}/register?q=kidnamez", "/forum/public/{A.forum}", "/swim/{A.course}/enrol?q=kidnamez",
    "/gifts/new?village={A.village}", "/audit?object_type=child", "/conflicts", "/outbox", "/",
]
