"""The words of a report about a child (Nghị định 56/2017/NĐ-CP, Mẫu số 01 and 02): kinds of harm, the steps of
handling a case, risk and harm levels. Labels are lazy: translated when shown."""

from flask_babel import lazy_gettext as _l

# The forms of harm the Luật Trẻ em 2016 (Điều 4) names under "xâm hại trẻ em", as the reporter sees them.
KINDS = {
    "violence": _l("Violence"),
    "sexual_abuse": _l("Sexual abuse"),
    "labour": _l("Exploitation or child labour"),
    "neglect": _l("Abandonment or neglect"),
    "other": _l("Other"),
}
# T3 (violence and abuse) and T5 (child labour) of the plan, by kind.
T3_KINDS = ("violence", "sexual_abuse", "neglect")
T5_KINDS = ("labour",)

STATUSES = {
    "received": _l("Received"),
    "verified": _l("Verified"),
    "not_true": _l("Not true: closed"),
    "assessed": _l("Risk assessed"),
    "planned": _l("Plan approved"),
    "carried_out": _l("Plan carried out"),
    "closed": _l("Closed"),
}
OPEN = ("received", "verified", "assessed", "planned", "carried_out")

STEPS = {
    "verify": _l("Verify the information"),
    "assess": _l("Initial risk assessment (Mẫu 02)"),
    "plan": _l("Support and intervention plan"),
    "carry_out": _l("Plan carried out"),
    "review": _l("Review and close"),
    "refer": _l("Refer the case"),
}
# The step a case waits for, by its status (the decree's order); "refer" can be done at any open step.
NEXT_STEP = {"received": "verify", "verified": "assess", "assessed": "plan", "planned": "carry_out",
             "carried_out": "review"}
STEP_ALLOWED = {"verify": ("received",), "assess": ("verified",), "plan": ("assessed",),
                "carry_out": ("planned",), "review": ("carried_out",), "refer": OPEN}

RISKS = {"high": _l("High"), "medium": _l("Medium"), "low": _l("Low")}
HARMS = {"serious": _l("Serious"), "moderate": _l("Moderate"), "minor": _l("Minor"), "none": _l("No harm seen")}
VERIFY_OUTCOMES = {"true": _l("The information is true"), "not_true": _l("The information is not true")}
REVIEW_OUTCOMES = {"close": _l("The child is safe and stable: close the case"),
                   "replan": _l("Risk remains: make a new plan")}
REFERRALS = {"province": _l("The province (Sở Y tế)"), "police": _l("The police")}
YES_NO = {"yes": _l("Yes"), "no": _l("No")}

# Điều 26: emergency measures within 12 hours of receiving the information.
HOURS = 12
