"""Reference data of the swim programme: QĐ 2993/QĐ-BGDĐT's 16 lessons and the default skills ladder."""

from flask_babel import lazy_gettext as _l

# QĐ 2993/QĐ-BGDĐT (29/10/2025): 16 lessons of 60–90 minutes, the last one a test.
DEFAULT_LESSONS = 16
DEFAULT_MINUTES = 90

POOL, WATER_POINT = "pool", "water_point"
PLACE_KINDS: dict[str, object] = {POOL: _l("Swimming pool"), WATER_POINT: _l("Safe water point (river, lake)")}

# What a skill counts towards in the plan's indicators (T7); a skill an officer adds counts towards none.
SWIM, SELF_RESCUE = "swim", "self_rescue"

# The default ladder, in the order children usually reach it: (code, meaning for indicators, name).
DEFAULT_SKILLS: list[tuple[str, str | None, object]] = [
    ("at_ease", None, _l("At ease in water")),
    ("float", None, _l("Floating front and back")),
    ("breathing", None, _l("Breathing")),
    ("swim_10m", SWIM, _l("Swimming 10 m")),
    ("swim_25m", SWIM, _l("Swimming 25 m")),
    ("tread_30s", None, _l("Treading water 30 s")),
    ("self_rescue", SELF_RESCUE, _l("Self-rescue")),
    ("throw_dont_go", None, _l("Safe rescue of others without entering the water (throw, don't go)")),
    ("dangers", None, _l("Knows the dangers of water")),
]

# Vietnam has no single standard of "biết bơi an toàn": the test records which definition was used.
DEFAULT_TEST_DEFINITION = _l("Swims 25 m and treads water for 30 s")

# The ages the indicators count: children aged 6 to under 16 (QĐ 1248/QĐ-TTg, QĐ 3246/QĐ-BVHTTDL).
COUNTED_AGES = (6, 15)  # on the day a child first qualified, both ends counted

# What a tap at a lesson sets: a child present, a skill shown, the final test's result.
PRESENT, SKILL, RESULT = "present", "skill", "result"
