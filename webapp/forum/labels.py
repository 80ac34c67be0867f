"""What the forum's codes are called, in the user's language."""

from flask_babel import lazy_gettext as _l

LEVEL_LABELS = {"province": _l("Province"), "commune": _l("Commune"), "district": _l("District (before 2025)")}
ROLE_LABELS = {"delegate": _l("Delegate"), "child_facilitator": _l("Child facilitator")}
KIND_LABELS = {"child": _l("The child's own consent"), "guardian": _l("Parent's or guardian's consent")}
RELATION_LABELS = {"self": _l("The child"), "mother": _l("Mother"), "father": _l("Father"),
                   "grandparent": _l("Grandparent"), "sibling": _l("Older sibling"), "guardian": _l("Guardian"),
                   "other": _l("Other")}
METHOD_LABELS = {"paper": _l("Signed paper"), "in_person": _l("In person")}
PURPOSE_LABELS = {"participate": _l("Taking part"), "photos": _l("Photos"), "press": _l("Speaking to the press"),
                  "recommendations": _l("Passing recommendations to the agencies named")}
TOPIC_LABELS = {"violence_abuse": _l("Violence and abuse"), "drowning": _l("Drowning"),
                "child_labour": _l("Child labour"), "child_marriage": _l("Child marriage"), "school": _l("School"),
                "health": _l("Health"), "play_spaces": _l("Places to play"), "other": _l("Other")}
STATUS_LABELS = {"received": _l("Received"), "answered": _l("Answered"), "in_progress": _l("In progress"),
                 "done": _l("Done")}
