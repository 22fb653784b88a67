"""Fictional people for demo data: names from many cultures and scripts, US addresses, relatives.

Every name, street and number here is invented. Phone numbers use the 555-01xx block,
which US numbering reserves for fiction, and e-mail addresses use the example.* domains.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from prdesk.domain.enums import ContactPreference, DisclosureBasis, Relationship
from prdesk.domain.search_text import fold


@dataclass(frozen=True)
class Culture:
    """A naming tradition.

    Attributes:
        language: BCP 47 tag of the language its people most often prefer.
        english_share: how many of them want English letters all the same.
        families: family names; "male|female" where the form depends on gender.
        family_first: the family name is written first ("Nguyễn Thị Hương").
        joined: no space between the parts (Han and Hangul names: "王秀英").
        honorific: whether "Mr./Ms. <family name>" is a natural greeting.
        middles: "female|male" middle names (Vietnamese "Thị|Văn").
    """

    language: str
    weight: int
    english_share: float
    female: tuple[str, ...]
    male: tuple[str, ...]
    families: tuple[str, ...]
    family_first: bool = False
    joined: bool = False
    honorific: bool = True
    middles: tuple[str, ...] = ()


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# The tables below are kept one entry per line or row; the formatter would explode them.
# fmt: off
CULTURES: tuple[Culture, ...] = (
    Culture("en", 34, 1.0,
            _words("Mary Patricia Jennifer Linda Zoë Renée Dorothy Ashley Shanice Brenda Emily"),
            _words("James Robert Michael William John Seán D'Andre Tyrone Kevin Raymond Curtis"),
            _words("Smith Johnson O'Brien Brontë McAllister Washington Jackson Miller Davis "
                   "Thompson O'Neill Brooks Sullivan Hughes Carter Bennett-Lyons Whitfield")),
    Culture("es", 19, 0.35,
            _words("María Guadalupe Sofía Lucía Ana Verónica Marisol Rocío Ximena Inés Yolanda"),
            _words("José Juan Luis Jesús Héctor Andrés Ramón Joaquín Rubén Sergio Óscar"),
            _words("García Núñez Rodríguez Martínez Hernández López González Pérez Sánchez "
                   "Ramírez Muñoz Díaz Ibáñez Peña Castañeda")),
    Culture("vi", 7, 0.25,
            _words("Hương Lan Mai Thảo Linh Ngọc Trang Hạnh"),
            _words("Minh Hùng Dũng Tuấn Quang Khánh Phúc Bảo"),
            _words("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Võ Đặng Bùi"),
            family_first=True, middles=("Thị|Văn", "Ngọc|Đức", "Thu|Minh", "Kim|Quốc")),
    Culture("zh", 4, 0.1,
            _words("秀英 芳 娜 敏 静 丽 淑华 美玲"), _words("伟 强 磊 军 洋 勇 志明 建国"),
            _words("王 李 张 刘 陈 杨 黄 赵 吴 周"),
            family_first=True, joined=True, honorific=False),
    # Chinese names as many Chinese Americans write them, in pinyin or Cantonese romanisation.
    Culture("zh", 3, 0.5,
            _words("Xiuying Fang Mei Jing Na Wai-Ling Siu-Ming"),
            _words("Wei Qiang Lei Jun Hao Tao Ka-Wing Chi-Keung"),
            _words("Wang Li Zhang Liu Chen Yang Huang Chan Wong Leung")),
    Culture("ko", 5, 0.3,
            _words("서연 지우 하은 수빈 민서 지민 예은"),
            _words("민준 도윤 서준 현우 지호 성민 영수"),
            _words("김 이 박 최 정 강 조 윤"), family_first=True, joined=True, honorific=False),
    Culture("ru", 4, 0.2,
            _words("Анна Мария Елена Ольга Татьяна Наталья Светлана"),
            _words("Иван Дмитрий Сергей Алексей Михаил Николай Андрей"),
            _words("Кузнецов|Кузнецова Иванов|Иванова Смирнов|Смирнова Попов|Попова "
                   "Соколов|Соколова Волков|Волкова"), honorific=False),
    Culture("el", 2, 0.4,
            _words("Μαρία Ελένη Αικατερίνη Σοφία Δέσποινα"),
            _words("Γιώργος Νίκος Δημήτρης Κώστας Παναγιώτης"),
            _words("Παπαδόπουλος|Παπαδοπούλου Παππάς|Παππά Οικονόμου Γεωργίου Νικολάου "
                   "Αλεξίου Βλάχος|Βλάχου"), honorific=False),
    Culture("ar", 4, 0.3,
            _words("فاطمة مريم نور ليلى سارة هدى"), _words("محمد أحمد علي يوسف عمر خالد"),
            _words("العلي الحسن حداد منصور الخطيب النجار"), honorific=False),
    Culture("pl", 3, 0.4,
            _words("Małgorzata Agnieszka Katarzyna Zofia Grażyna Joanna"),
            _words("Łukasz Krzysztof Paweł Wojciech Jędrzej Michał"),
            _words("Wójcik Nowak Kowalski|Kowalska Wiśniewski|Wiśniewska Dąbrowski|Dąbrowska "
                   "Zieliński|Zielińska Lewandowski|Lewandowska")),
    Culture("tl", 4, 0.6,
            _words("Maricel Rowena Analyn Jocelyn Cristina Ligaya"),
            _words("Rodel Jun Ramil Jericho Dante Efren"),
            ("Santos", "Reyes", "Cruz", "Bautista", "dela Cruz", "Mendoza", "Villanueva")),
)

STREETS = _words(
    "Magnolia|Avenue Main|Street Arlington|Avenue Palm|Drive Canyon|Road Mission|Boulevard "
    "Orange|Street Jurupa|Avenue Lemon|Street Sycamore|Lane Chicago|Avenue Brockton|Avenue "
    "Victoria|Avenue Iowa|Avenue Central|Avenue Mulberry|Court Alessandro|Boulevard "
    "Riverview|Drive Olivewood|Avenue Juniper|Way"
)
UNITS = ("Apt 4B", "Apt 12", "Unit 7", "Apt 210", "Suite 3", "Unit C", "Apt 1108", "Space 41")
# (city, state, ZIP prefix, telephone area code, weight): mostly the hospital's own county.
CITIES = (
    ("Riverside", "CA", "925", "951", 30), ("Moreno Valley", "CA", "925", "951", 12),
    ("Corona", "CA", "928", "951", 10), ("Perris", "CA", "925", "951", 6),
    ("Jurupa Valley", "CA", "917", "951", 6), ("Fontana", "CA", "923", "909", 6),
    ("San Bernardino", "CA", "924", "909", 6), ("Redlands", "CA", "923", "909", 4),
    ("Ontario", "CA", "917", "909", 4), ("Anaheim", "CA", "928", "714", 3),
    ("El Monte", "CA", "917", "626", 3), ("Palm Springs", "CA", "922", "760", 2),
    ("Phoenix", "AZ", "850", "602", 1), ("Las Vegas", "NV", "891", "702", 1),
)
MAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example.com")

# Clinicians and staff that complaints and compliments name (all fictional).
CLINICIANS = ("Dr. Anjali Patel", "Dr. Marcus Webb", "Dr. Elena Sokolova", "Dr. Kwame Mensah",
              "Dr. Hannah Goldberg", "Dr. Tomás Reyes", "Dr. Yuki Tanaka", "Dr. Fatima Haddad")
NURSES = ("Kelly", "Rosa", "Jamal", "Mei", "Bridget", "Oksana", "Darnell", "Priya", "Carmen")
STAFF_ROLES = ("the triage nurse", "the registration clerk", "the transport aide",
               "the security officer", "the charge nurse", "a resident", "the unit secretary")
# When and where things happen in a complainant's account (a location is "<department>, <place>").
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TIMES = ("around 2 a.m.", "early in the morning", "at about 11 p.m.", "around lunchtime",
         "in the late afternoon", "just after 7 p.m.", "at shift change")
PLACES = ("waiting room", "front desk", "Room {n}", "Bay {n}", "hallway", "check-in")
ITEMS = ("hearing aids", "upper denture", "reading glasses", "wedding ring",
         "cell phone and charger", "wallet", "walking cane", "CPAP machine", "winter jacket",
         "prayer beads", "insulin pump")

# The department's own people: (username, display name, role, job title, phone extension).
STAFF = (
    ("moconnell", "Margaret O'Connell", "coordinator", "Patient Relations Coordinator", "2200"),
    ("lhernandez", "Luis Hernández", "representative", "Senior Patient Representative", "2211"),
    ("tnguyen", "Thanh Nguyễn", "representative", "Patient Representative", "2212"),
    ("arahman", "Aisha Rahman", "representative", "Patient Representative", "2213"),
    ("dkim", "Daniel Kim", "representative", "Patient Advocate", "2214"),
    ("opetrenko", "Olena Petrenko", "representative", "Patient Representative", "2215"),
    ("sokafor", "Samuel Okafor", "representative", "Patient Advocate", "2216"),
    ("gliu", "Grace Liu", "clerk", "Patient Relations Clerk", "2220"),
    ("rfeldman", "Robert Feldman", "auditor", "Quality and Compliance Analyst", "2230"),
)

R, D = Relationship, DisclosureBasis
_Ages = tuple[int, int] | None
_Relation = tuple[Relationship, int, str, str, _Ages, tuple[DisclosureBasis, ...], tuple[int, ...]]
# (relationship, weight, how the raiser names the patient if female / male, patient's ages,
#  disclosure bases and their weights): parents and guardians speak for minors (164.502(g)).
RELATIONS: tuple[_Relation, ...] = (
    (R.SPOUSE_OR_PARTNER, 25, "my wife", "my husband", None, (D.INVOLVED_IN_CARE,
     D.PATIENT_AUTHORIZATION, D.NONE_ON_FILE), (6, 3, 1)),
    (R.PARENT, 20, "my daughter", "my son", (0, 17), (D.PERSONAL_REPRESENTATIVE,), (1,)),
    (R.CHILD, 25, "my mother", "my father", (65, 95), (D.INVOLVED_IN_CARE,
     D.PATIENT_AUTHORIZATION, D.NONE_ON_FILE), (6, 3, 1)),
    (R.OTHER_FAMILY, 12, "my sister", "my brother", None, (D.INVOLVED_IN_CARE,
     D.PATIENT_AUTHORIZATION, D.NONE_ON_FILE), (5, 3, 2)),
    (R.FRIEND, 6, "my friend", "my friend", None, (D.INVOLVED_IN_CARE, D.NONE_ON_FILE), (6, 4)),
    (R.LEGAL_GUARDIAN, 5, "my ward", "my ward", (3, 40), (D.PERSONAL_REPRESENTATIVE,), (1,)),
    (R.ATTORNEY, 4, "my client", "my client", None, (D.PATIENT_AUTHORIZATION, D.NONE_ON_FILE),
     (8, 2)),
    (R.OTHER_REPRESENTATIVE, 3, "the patient", "the patient", None, (D.PATIENT_AUTHORIZATION,
     D.PERSONAL_REPRESENTATIVE, D.NONE_ON_FILE), (5, 3, 2)),
)
# fmt: on
_FAMILY = frozenset({R.SPOUSE_OR_PARTNER, R.PARENT, R.CHILD, R.OTHER_FAMILY})
_CULTURE_WEIGHTS = [culture.weight for culture in CULTURES]
_CITY_WEIGHTS = [city[-1] for city in CITIES]
_RELATION_WEIGHTS = [relation[1] for relation in RELATIONS]
_CONTACT = (ContactPreference.LETTER, ContactPreference.PHONE, ContactPreference.EMAIL)


@dataclass(frozen=True)
class Name:
    full_name: str
    given: str
    family: str
    female: bool
    salutation: str
    culture: Culture
    family_forms: str  # "male|female", so that relatives get the right form


@dataclass(frozen=True)
class Raiser:
    """Someone raising a case for a patient, and how they speak of the patient."""

    row: dict[str, Any]
    relationship: Relationship
    disclosure_basis: DisclosureBasis
    phrase: str  # "my mother", as it appears in their description


def make_name(
    rng: random.Random, culture: Culture, *, female: bool, family_forms: str | None = None
) -> Name:
    """A name in the culture's own order and script; `family_forms` gives a relative's surname."""
    given = rng.choice(culture.female if female else culture.male)
    family_forms = family_forms or rng.choice(culture.families)
    family = family_forms.split("|")[-1 if female else 0]
    parts = [given, family]
    if culture.middles:  # Vietnamese: family name, gendered middle name, given name
        parts = [family, rng.choice(culture.middles).split("|")[0 if female else 1], given]
    elif culture.family_first:
        parts = [family, given]
    elif culture.language == "es" and rng.random() < 0.3:
        # Many Hispanic patients give both surnames.
        parts = [given, family, rng.choice(culture.families)]
    salutation = ""
    if culture.honorific and rng.random() < 0.5:
        spanish = culture.language == "es"
        title = ("Sra." if spanish else "Ms.") if female else ("Sr." if spanish else "Mr.")
        salutation = f"{title} {family}"
    full_name = ("" if culture.joined else " ").join(parts)
    return Name(full_name, given, family, female, salutation, culture, family_forms)


def person_row(
    rng: random.Random, name: Name, today: date, age: tuple[int, int] | None
) -> dict[str, Any]:
    """Column values of a `people` row; `age` (a range of years) only for patients.

    Ids, record numbers and timestamps are added when the row is written.
    """
    city, state, zip_prefix, area, _ = rng.choices(CITIES, _CITY_WEIGHTS)[0]
    street, suffix = rng.choice(STREETS).split("|")
    language = "en" if rng.random() < name.culture.english_share else name.culture.language
    email = ""
    if rng.random() < 0.65:
        local = f"{fold(name.given)}.{fold(name.family)}".replace(" ", "")
        number = str(rng.randrange(1, 99)) if rng.random() < 0.5 else ""
        email = f"{local}{number}@{rng.choice(MAIL_DOMAINS)}"
    birth = None
    if age is not None:
        birth = today - timedelta(days=rng.randrange(age[0] * 365 + 1, age[1] * 365 + 300))
    return {
        "full_name": name.full_name,
        "salutation_name": name.salutation,
        "date_of_birth": birth,
        "medical_record_number": None,
        "phone": f"({area}) 555-01{rng.randrange(100):02d}",
        "email": email,
        "address_line1": f"{rng.randrange(100, 19999)} {street} {suffix}",
        "address_line2": rng.choice(UNITS) if rng.random() < 0.25 else "",
        "city": city,
        "region": state,
        "postal_code": f"{zip_prefix}{rng.randrange(100):02d}",
        "country": "",
        "preferred_language": language,
        "contact_preference": rng.choices(_CONTACT, (50, 35, 15 if email else 0))[0],
    }


def medical_record_number(person_id: int) -> str:
    """A unique, random-looking MRN: multiplying by a unit modulo 10^8 is a bijection."""
    return f"MRN{(person_id * 48271 + 31415926) % 100_000_000:08d}"


def patient_and_raiser(
    rng: random.Random, today: date, raised_by_other: bool
) -> tuple[dict[str, Any], Raiser | None]:
    """A new patient and, when someone else raises the case, that person.

    Relatives share the patient's culture and family name; attorneys and friends need not.
    """
    relation = rng.choices(RELATIONS, _RELATION_WEIGHTS)[0] if raised_by_other else None
    culture = pick_culture(rng)
    patient = make_name(rng, culture, female=rng.random() < 0.55)
    ages = relation[4] if relation and relation[4] else (18, 90)
    row = person_row(rng, patient, today, ages)
    if relation is None:
        return row, None
    relationship, _, her, him, _, bases, weights = relation
    if relationship in _FAMILY:
        raiser = make_name(
            rng, culture, female=rng.random() < 0.6, family_forms=patient.family_forms
        )
    else:
        raiser = make_name(rng, pick_culture(rng), female=rng.random() < 0.5)
    return row, Raiser(
        person_row(rng, raiser, today, None),
        relationship,
        rng.choices(bases, weights)[0],
        her if patient.female else him,
    )


def pick_culture(rng: random.Random) -> Culture:
    return rng.choices(CULTURES, _CULTURE_WEIGHTS)[0]
