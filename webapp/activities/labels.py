"""What each code of the activity log is called, in the user's language."""

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "communication": _l("Communication"),
    "training": _l("Training class"),
    "month_of_action": _l("Month of Action for Children"),
    "forum": _l("Children's forum"),
    "support_model": _l("Support and intervention model"),
    "child_friendly": _l("Child-friendly commune"),
    "recreation": _l("Recreation, visits and gifts"),
    "violence_prevention": _l("Violence and abuse prevention"),
    "injury_prevention": _l("Injury and drowning prevention"),
    "child_labour": _l("Child labour prevention"),
    "fundraising": _l("Fundraising"),
    "inspection": _l("Inspection visit"),
}
STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Waiting for review"),
    "approved": _l("Approved"),
    "returned": _l("Returned"),
}
FUNDING_LABELS = {
    "national_programme": _l("National target programme"),
    "provincial_budget": _l("Provincial budget"),
    "local_budget": _l("Local budget"),
    "donations": _l("Socialised sources (donations)"),
}
CHANNEL_LABELS = {
    "community_talk": _l("Talk in the community"),
    "school_talk": _l("Talk at a school"),
    "loudspeaker": _l("Loudspeaker or radio"),
    "television": _l("Television"),
    "press": _l("Press"),
    "online": _l("Website or social media"),
}
LEVEL_LABELS = {
    "province": _l("Province"),
    "district": _l("District"),
    "commune": _l("Commune"),
    "village": _l("Village"),
}
MATERIAL_LABELS = {
    "booklet": _l("Booklets"),
    "leaflet": _l("Leaflets"),
    "poster": _l("Posters"),
    "banner": _l("Banners"),
}
ROLE_LABELS = {
    "collaborator": _l("Collaborator"),
    "volunteer": _l("Volunteer"),
    "party_secretary": _l("Party cell secretary"),
    "village_head": _l("Village head"),
    "parent": _l("Parent or caregiver"),
    "teacher": _l("Teacher"),
    "officer": _l("Officer"),
    "other": _l("Other"),
}
FACET_LABELS = {
    "topic": {
        "children_law": _l("Children Law"),
        "violence_abuse": _l("Violence and abuse"),
        "injury_drowning": _l("Injury and drowning"),
        "child_labour": _l("Child labour"),
        "hotlines": _l("Hotlines 111 and the province's"),
    },
    "audience": {
        "collaborators": _l("Collaborators"),
        "volunteers": _l("Volunteers"),
        "party_secretaries": _l("Party cell secretaries"),
        "village_heads": _l("Village heads"),
        "parents_caregivers": _l("Parents and caregivers"),
        "children_in_school": _l("Children in school"),
        "children_out_of_school": _l("Children out of school"),
    },
    "model": {
        "referral_alternative_care": _l("Referral and alternative-care families"),
        "leaders_of_change": _l("“Leaders of change” clubs"),
        "service_connection": _l("Connecting to services"),
        "drowning_prevention": _l("Drowning prevention"),
        "child_labour_prevention": _l("Preventing early and hazardous child labour"),
        "abandoned_orphaned_disabled": _l("Abandoned, orphaned and disabled children"),
    },
    "model_step": {
        "kickoff": _l("Kick-off conference"),
        "survey": _l("Survey"),
        "plan": _l("Plan"),
        "training": _l("Training"),
        "communication": _l("Communication"),
        "monitoring": _l("Monitoring visit"),
    },
    "action": {
        "materials_to_schools": _l("Materials to schools and parents"),
        "monitoring_at_risk": _l("Monitoring children at risk"),
        "reports_received": _l("Reports received and handled"),
        "case_support_plan": _l("Case assessment and support plan"),
    },
    "setting": {
        "safe_school": _l("Safe school"),
        "safe_community": _l("Safe community"),
        "safe_home": _l("Safe home"),
        "drowning_project": _l("Drowning prevention project"),
    },
    "reached": {
        "companies": _l("Companies"),
        "employers": _l("Employers and workshops"),
        "families": _l("Families"),
        "children": _l("Children"),
    },
    "donor": {
        "agencies": _l("Agencies"),
        "companies": _l("Companies"),
        "individuals": _l("Individuals"),
        "international": _l("International organisations"),
    },
    "check": {
        "programmes_plans": _l("Programmes and plans"),
        "child_friendly_criteria": _l("Child-friendly commune criteria"),
        "health_insurance_under6": _l("Health insurance cards of children under 6"),
        "child_database": _l("Updating of the child database"),
    },
    "recreation": {
        "culture_sports": _l("Cultural and sports activities"),
        "visits_gifts": _l("Visits and gifts"),
        "scholarships": _l("Scholarships"),
        "award_ceremony": _l("Award ceremony for excellent pupils"),
    },
}
EVENT_TYPE_LABELS = {"launch": _l("Launch ceremony"), "event": _l("Other event")}
FORUM_PART_LABELS = {
    "preparation": _l("Training of facilitators and children"),
    "forum": _l("Forum"),
    "dialogue": _l("Dialogue with leaders"),
}
STAGE_LABELS = {
    "guidance": _l("Guidance"),
    "self_assessment": _l("Self-assessment"),
    "recognition": _l("Recognition"),
    "inspection": _l("Inspection of the assessment"),
}
OCCASION_LABELS = {
    "tet": _l("Lunar New Year (Tết)"),
    "children_day": _l("Children's Day (1 June)"),
    "mid_autumn": _l("Mid-Autumn Festival"),
    "school_year": _l("End of the school year"),
    "other": _l("Other"),
}
THRESHOLD_LABELS = {
    800: _l("800 — commune in a mountain or island area, or extremely difficult"),
    850: _l("850 — other communes and wards"),
    900: _l("900 — ward of a city under the central government"),
}
# The 13 criteria of Quyết định 06/QĐ-TTg (03/01/2019), in the words of the decision.
CRITERION_LABELS = {
    1: _l("Resources for carrying out children's rights"),
    2: _l("Children registered at birth as required"),
    3: _l("Children who suffered abuse"),
    4: _l("Children in conflict with the law or using drugs"),
    5: _l("Children injured in accidents"),
    6: _l("Children in special circumstances who are supported"),
    7: _l("Children under 1 fully vaccinated under the expanded programme"),
    8: _l("Children under 5 underweight or stunted"),
    9: _l("Children with regular health checks"),
    10: _l("Children attending pre-school"),
    11: _l("Children exercising their right to participate"),
    12: _l("Recreation, culture, physical education and sport for children"),
    13: _l("Satisfaction of children and residents with how children's rights are carried out"),
}
