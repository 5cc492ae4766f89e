"""The shared vocabularies of DESIGN section 3.

Codes are contracts (CSV files, JSON reports and survey answers use them); labels are translated,
with Japanese as the default language. Every model field, importer and report takes its codes from
here.
"""

import functools

from django.conf import settings
from django.db import models
from django.utils.translation import override, pgettext_lazy

# Files (imports and exports) use the codes or their labels in the office's language, Japanese
# (``settings.LANGUAGE_CODE``), whatever language a page or a command happens to run in: an
# exported file imports again as it is, and ``import_csv`` reads what the upload page reads.


def file_label(choices, code):
    """The label of ``code`` as files write it (社会福祉法人 for ``social_welfare``); "" for no
    code, the code itself for one the vocabulary does not know."""
    if not code:
        return ""
    return _file_labels(choices).get(code, code)


def code_for(choices, text, *, fold=str):
    """The code that ``text`` names, as its code or its file label (each compared after
    ``fold``); None when it names none."""
    return _codes_by_folded_label(choices, fold).get(fold(text))


def file_labels_allowed(choices):
    """ "社会福祉法人 (social_welfare)、…": what a cell of ``choices`` may say."""
    return "、".join(f"{label} ({code})" for code, label in _file_labels(choices).items())


@functools.cache
def _file_labels(choices):
    with override(settings.LANGUAGE_CODE):
        return {code: str(label) for code, label in choices.choices}


@functools.cache
def _codes_by_folded_label(choices, fold):
    labels = {fold(label): code for code, label in _file_labels(choices).items()}
    return {**labels, **{fold(code): code for code in choices.values}}


class ContactMethod(models.TextChoices):
    PHONE = "phone", pgettext_lazy("contact method", "Phone call")
    WORKPLACE_VISIT = "workplace_visit", pgettext_lazy("contact method", "Workplace visit")
    EMAIL = "email", pgettext_lazy("contact method", "E-mail")
    HOME_VISIT = "home_visit", pgettext_lazy("contact method", "Home visit")
    LINE_SNS = "line_sns", pgettext_lazy("contact method", "LINE or other social media")
    OFFICE_INTERVIEW = (
        "office_interview",
        pgettext_lazy("contact method", "Interview at the office"),
    )
    ONLINE_FORM = "online_form", pgettext_lazy("contact method", "Online form")
    MEDICAL_ACCOMPANIMENT = (
        "medical_accompaniment",
        pgettext_lazy("contact method", "Accompanying to a medical institution"),
    )
    AGENCY_COORDINATION = (
        "agency_coordination",
        pgettext_lazy("contact method", "Coordination with other agencies"),
    )
    VIDEO_CALL = "video_call", pgettext_lazy("contact method", "Video conference interview")
    OUTSIDE_MEETING = (
        "outside_meeting",
        pgettext_lazy("contact method", "Meeting outside the office, e.g. a café"),
    )


# Methods that are face-to-face by default. Whether a video call counts is an office setting
# (Office.video_call_counts_as_face_to_face), so it is deliberately absent here.
FACE_TO_FACE_METHODS = frozenset(
    {
        ContactMethod.WORKPLACE_VISIT,
        ContactMethod.HOME_VISIT,
        ContactMethod.OFFICE_INTERVIEW,
        ContactMethod.MEDICAL_ACCOMPANIMENT,
        ContactMethod.OUTSIDE_MEETING,
    }
)


def is_face_to_face(method, *, video_call_counts=False):
    """Whether a contact by this method is face-to-face by default."""
    if method == ContactMethod.VIDEO_CALL:
        return video_call_counts
    return method in FACE_TO_FACE_METHODS


class Counterpart(models.TextChoices):
    CLIENT = "client", pgettext_lazy("counterpart", "The person")
    EMPLOYER = "employer", pgettext_lazy("counterpart", "Employer")
    FAMILY = "family", pgettext_lazy("counterpart", "Family")
    MEDICAL = "medical", pgettext_lazy("counterpart", "Medical institution")
    CONSULTATION = "consultation", pgettext_lazy("counterpart", "Consultation support office")
    OTHER_AGENCY = "other_agency", pgettext_lazy("counterpart", "Other support agency")


class ServiceType(models.TextChoices):
    RETENTION_SUPPORT = "retention_support", pgettext_lazy("service type", "Retention support")
    TRANSITION_SUPPORT = "transition_support", pgettext_lazy("service type", "Transition support")
    CONTINUOUS_A = "continuous_a", pgettext_lazy("service type", "Continuous support type A")
    CONTINUOUS_B = "continuous_b", pgettext_lazy("service type", "Continuous support type B")
    INDEPENDENCE_TRAINING = (
        "independence_training",
        pgettext_lazy("service type", "Independence training"),
    )
    LIFE_CARE = "life_care", pgettext_lazy("service type", "Life care")
    EMPLOYMENT_LIFE_CENTER = (
        "employment_life_center",
        pgettext_lazy("service type", "Employment and life support center"),
    )
    CONSULTATION_SUPPORT = (
        "consultation_support",
        pgettext_lazy("service type", "Consultation support"),
    )


class CorporationType(models.TextChoices):
    FOR_PROFIT = "for_profit", pgettext_lazy("corporation type", "For-profit corporation")
    SOCIAL_WELFARE = (
        "social_welfare",
        pgettext_lazy("corporation type", "Social welfare corporation"),
    )
    NPO = "npo", pgettext_lazy("corporation type", "Specified non-profit corporation")
    GENERAL_INCORPORATED = (
        "general_incorporated",
        pgettext_lazy("corporation type", "General incorporated association or foundation"),
    )
    MEDICAL = "medical", pgettext_lazy("corporation type", "Medical corporation")
    PUBLIC = "public", pgettext_lazy("corporation type", "Local government")
    OTHER = "other", pgettext_lazy("corporation type", "Other")


class DisabilityType(models.TextChoices):
    PHYSICAL = "physical", pgettext_lazy("disability type", "Physical")
    INTELLECTUAL = "intellectual", pgettext_lazy("disability type", "Intellectual")
    MENTAL = "mental", pgettext_lazy("disability type", "Mental")
    DEVELOPMENTAL = "developmental", pgettext_lazy("disability type", "Developmental")
    HIGHER_BRAIN = "higher_brain", pgettext_lazy("disability type", "Higher brain dysfunction")
    INTRACTABLE = "intractable", pgettext_lazy("disability type", "Intractable disease")
    OTHER = "other", pgettext_lazy("disability type", "Other")


class PlanType(models.TextChoices):
    SELF_PLAN = "self_plan", pgettext_lazy("plan type", "Self plan")
    CONSULTATION_PLAN = "consultation_plan", pgettext_lazy("plan type", "Consultation plan")


class SeparationReason(models.TextChoices):
    PERSONAL = "personal", pgettext_lazy("separation reason", "Personal reasons")
    COMPANY = "company", pgettext_lazy("separation reason", "Company reasons")
    CONTRACT_END = "contract_end", pgettext_lazy("separation reason", "End of contract")
    JOB_CHANGE = "job_change", pgettext_lazy("separation reason", "Job change")
    HEALTH = "health", pgettext_lazy("separation reason", "Illness or disability")
    OTHER = "other", pgettext_lazy("separation reason", "Other")


# JIS X 0401. Prefecture names are proper nouns, shown as they are in every language.
PREFECTURES = {
    "01": "北海道", "02": "青森県", "03": "岩手県", "04": "宮城県", "05": "秋田県",
    "06": "山形県", "07": "福島県", "08": "茨城県", "09": "栃木県", "10": "群馬県",
    "11": "埼玉県", "12": "千葉県", "13": "東京都", "14": "神奈川県", "15": "新潟県",
    "16": "富山県", "17": "石川県", "18": "福井県", "19": "山梨県", "20": "長野県",
    "21": "岐阜県", "22": "静岡県", "23": "愛知県", "24": "三重県", "25": "滋賀県",
    "26": "京都府", "27": "大阪府", "28": "兵庫県", "29": "奈良県", "30": "和歌山県",
    "31": "鳥取県", "32": "島根県", "33": "岡山県", "34": "広島県", "35": "山口県",
    "36": "徳島県", "37": "香川県", "38": "愛媛県", "39": "高知県", "40": "福岡県",
    "41": "佐賀県", "42": "長崎県", "43": "熊本県", "44": "大分県", "45": "宮崎県",
    "46": "鹿児島県", "47": "沖縄県",
}  # fmt: skip
PREFECTURE_CHOICES = list(PREFECTURES.items())
