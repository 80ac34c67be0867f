"""Reference data of the child register: the 54 ethnic groups of Vietnam and the 14 groups of Điều 10 Luật Trẻ em."""

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

# The official list of the 54 ethnic groups (Danh mục các dân tộc Việt Nam, Tổng cục Thống kê), by code.
# Names are the Vietnamese official names; they are proper names and are shown as they are in every language.
ETHNICITIES: dict[str, str] = {
    "01": "Kinh", "02": "Tày", "03": "Thái", "04": "Hoa", "05": "Khơ-me", "06": "Mường", "07": "Nùng",
    "08": "Mông", "09": "Dao", "10": "Gia-rai", "11": "Ngái", "12": "Ê-đê", "13": "Ba-na", "14": "Xơ-đăng",
    "15": "Sán Chay", "16": "Cơ-ho", "17": "Chăm", "18": "Sán Dìu", "19": "Hrê", "20": "Mnông", "21": "Ra-glai",
    "22": "Xtiêng", "23": "Bru-Vân Kiều", "24": "Thổ", "25": "Giáy", "26": "Cơ-tu", "27": "Gié-Triêng", "28": "Mạ",
    "29": "Khơ-mú", "30": "Co", "31": "Tà-ôi", "32": "Chơ-ro", "33": "Kháng", "34": "Xinh-mun", "35": "Hà Nhì",
    "36": "Chu-ru", "37": "Lào", "38": "La Chí", "39": "La Ha", "40": "Phù Lá", "41": "La Hủ", "42": "Lự",
    "43": "Lô Lô", "44": "Chứt", "45": "Mảng", "46": "Pà Thẻn", "47": "Cơ Lao", "48": "Cống", "49": "Bố Y",
    "50": "Si La", "51": "Pu Péo", "52": "Brâu", "53": "Ơ Đu", "54": "Rơ-măm",
}

# The groups most children of Lào Cai belong to come first in the choice list (census 2019 shares).
LAO_CAI_FIRST = ("01", "08", "02", "09", "25", "07", "40", "35", "49", "38")


def ethnicity_choices() -> list[tuple[str, str]]:
    first = [(code, ETHNICITIES[code]) for code in LAO_CAI_FIRST]
    rest = sorted(((c, n) for c, n in ETHNICITIES.items() if c not in LAO_CAI_FIRST), key=lambda cn: cn[1])
    return first + rest


# Luật Trẻ em 2016, Điều 10: the 14 groups of children in special circumstances, by the law's own letters
# (Vietnamese enumeration skips f and j and has đ). Sensitive data: shown to officers only.
SPECIAL_GROUPS: dict[str, object] = {
    "a": _l("Orphaned of both parents"),
    "b": _l("Abandoned"),
    "c": _l("With no one to rely on"),
    "d": _l("With a disability"),
    "đ": _l("Living with HIV/AIDS"),
    "e": _l("In conflict with the law"),
    "g": _l("Addicted to drugs"),
    "h": _l("Dropped out of school to earn a living before completing lower secondary education"),
    "i": _l("Seriously harmed in body or mind by violence"),
    "k": _l("Exploited"),
    "l": _l("Sexually abused"),
    "m": _l("Trafficked"),
    "n": _l("With a life-threatening or long-term illness in a poor or near-poor household"),
    "o": _l("Migrant, displaced or refugee child whose parents are unknown or who has no carer"),
}



def lettered(letter: str, label) -> LazyString:
    """"a) Orphaned of both parents", translated when shown: an f-string around a lazy label at import would fix it
    in English before any request's language is known."""
    return LazyString(lambda: f"{letter}) {label}")


SEXES: dict[str, object] = {"F": _l("Girl"), "M": _l("Boy")}

CHILD_AGE_LIMIT = 16  # Luật Trẻ em, Điều 1: a child is a person under 16
CHILD_CONSENT_AGE = 7  # Nghị định 13/2023 Điều 20, Luật Trẻ em Điều 6: from 7 the child's own consent is needed too

# Who gave the consent to processing the child's data, and how (Nghị định 13/2023 Điều 20).
CONSENT_RELATIONS: dict[str, object] = {
    "mother": _l("Mother"), "father": _l("Father"), "grandparent": _l("Grandparent"), "guardian": _l("Guardian"),
    "other": _l("Other carer"),
    "parent": _l("Parent or guardian (named on the enrolment form)"),
}
CONSENT_METHODS: dict[str, object] = {
    "paper": _l("Signed paper"),
    "verbal": _l("Said aloud in the presence of the village head"),
    "enrolment": _l("The school's or course's enrolment form, signed by the parent or guardian"),
}

# Age bands of the counts page: only under-16s count as children.
AGE_BANDS: tuple[tuple[int, int], ...] = ((0, 5), (6, 10), (11, 15))
