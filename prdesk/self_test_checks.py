"""The checks `prdesk --self-test` runs, each returning its one-line finding.

Every check goes through the code the application itself uses, so a library or
data file missing from an installation fails here rather than in front of a user.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import re
import sys
import unicodedata
from datetime import date
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine
from sqlalchemy.engine import URL

from prdesk import config
from prdesk.self_test import CheckFailed, Notice, Run, Skipped

# Made-up people whose names need the Vietnamese, Korean and Arabic fonts.
PATIENT = "Nguyễn Thị Hương"
RAISED_BY = "김민준"
COPY_TO = "فاطمة الزهراء"
_SCRIPTS = {PATIENT: "Vietnamese", RAISED_BY: "Korean", COPY_TO: "Arabic"}
_FONTS = (
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "DroidSansFallbackFull.ttf",
    "NanumGothic.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansHebrew-Regular.ttf",
)


def resources(run: Run) -> str:
    from prdesk.assets import resource, resources_dir
    from prdesk.domain.letter_templates import BUILT_IN

    try:
        for font in _FONTS:
            resource("fonts", font)
        for tpl in BUILT_IN:
            for language in tpl.languages:
                resource("templates", "letters", f"{tpl.key}.{language}.md")
        resource("icons", "prdesk.svg")
        resource("guide", "index.md")
    except FileNotFoundError as missing:
        raise CheckFailed(str(missing)) from None
    return f"fonts, letter templates, icon and guide in {resources_dir()}"


def outlook_reader(run: Run) -> str:
    """The GPL-licensed Outlook reader is an optional extra of a pip install; the
    application folder must never carry it (prdesk.spec excludes it)."""
    found = importlib.util.find_spec("extract_msg") is not None
    if getattr(sys, "frozen", False):
        if found:
            raise CheckFailed(
                "the application folder holds extract-msg, the GPL-licensed Outlook "
                "reader, which it must not ship; build it again from prdesk.spec"
            )
        return "not in the application folder; Outlook messages are asked for as .eml"
    if found:
        return "extract-msg installed (the outlook extra, GPL-3.0)"
    return "not installed; Outlook messages are asked for as .eml"


def given_database(run: Run) -> str:
    """The database named with --database, opened read-only: its schema version, no writes."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from prdesk.domain import schema
    from prdesk.domain.database import describe
    from prdesk.domain.errors import DomainError

    try:
        choice = config.choose_database(run.database_url)
    except DomainError as error:
        raise CheckFailed(error.message) from None
    url = choice.url
    shown = describe(url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        if not path.is_file():
            raise CheckFailed(f"There is no database file at {path}.")
        # SQLite's own read-only mode: even a mistake here cannot change the file. With
        # no write-ahead log beside it nothing has the file open, and "immutable" also
        # keeps SQLite from leaving its -wal and -shm files next to it.
        quiet = {"immutable": "1"} if not Path(f"{path}-wal").exists() else {}
        url = URL.create(
            "sqlite",
            database=_file_uri(path),
            query={"mode": "ro", "uri": "true", **quiet},
        )
        connect_args: dict[str, object] = {}
    else:
        if url.password is None:
            password = config.saved_password(url)
            if password is not None:
                url = url.set(password=password)
        connect_args = {"connect_timeout": 10, "options": "-c default_transaction_read_only=on"}
    engine = create_engine(url, hide_parameters=True, connect_args=connect_args)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except Exception as error:
        reason = " ".join(str(getattr(error, "orig", error)).split())
        raise CheckFailed(f"{shown} cannot be opened: {reason}") from None
    finally:
        engine.dispose()
    head = schema.head_revision()
    if current is None:
        raise CheckFailed(f"{shown} holds no PR Desk schema (`prdesk db upgrade` creates it).")
    if current == head:
        return f"{shown}: schema {current}, current (opened read-only)"
    scripts = ScriptDirectory(str(Path(schema.__file__).parent / "migrations"))
    if current in {script.revision for script in scripts.walk_revisions()}:
        raise Notice(
            f"{shown}: schema {current}, older than {head}; `prdesk db upgrade` updates it"
        )
    raise CheckFailed(f"{shown}: schema {current} is newer than this version knows ({head}).")


def _file_uri(path: Path) -> str:
    """SQLite's file: URI of a path, spaces and Windows drive letters included."""
    posix = path.absolute().as_posix()
    return "file://" + quote(posix if posix.startswith("/") else f"/{posix}", safe="/:")


def temporary_database(run: Run) -> str:
    from prdesk.domain import schema
    from prdesk.domain.database import Database
    from prdesk.domain.services import users

    db = Database(f"sqlite:///{(run.folder / 'self-test.sqlite3').as_posix()}")
    run.db = db
    state = schema.upgrade(db)
    with db.transaction() as session:
        run.actor = users.resolve_actor(session, "selftest", "Self Test", workstation_owner=True)
    return f"new embedded database, migrated to schema {state.current}"


def log_case(run: Run) -> str:
    from prdesk.domain.enums import CaseKind, Channel, DisclosureBasis, Relationship
    from prdesk.domain.services import cases
    from prdesk.domain.services.case_input import NewCase, PersonInput

    db, actor = run.needs_database()
    new = NewCase(
        kind=CaseKind.COMPLAINT,
        channel=Channel.PHONE,
        patient=PersonInput(full_name=PATIENT, date_of_birth=date(1958, 3, 14)),
        complainant=PersonInput(
            full_name=RAISED_BY,
            address_line1="4 Oak Avenue",
            city="Springfield",
            region="IL",
            postal_code="62701",
        ),
        complainant_relationship=Relationship.CHILD,
        disclosure_basis=DisclosureBasis.INVOLVED_IN_CARE,
        description="Waited four hours in the emergency department without an update.",
    )
    with db.transaction() as session:
        run.case = cases.open_case(session, actor, new)
    return f"{run.case.number} logged and its deadlines set"


def letter_pdf(run: Run) -> str:
    import pypdfium2

    from prdesk.domain.services import letters, organisation
    from prdesk.export.letter_pdf import render_letter_pdf

    db, actor, case = run.needs_case()
    with db.transaction() as session:
        letter = letters.draft_letter(session, actor, case.id, "acknowledgement")
        head = organisation.letterhead(session)
    run.letter_id = letter.id
    # A copy to a third person puts Arabic, shaped right to left, on the page too.
    letter = dataclasses.replace(letter, copies_to=(COPY_TO,))
    pdf = render_letter_pdf(letter, head)
    if b"/BaseFont /Helvetica" in pdf or b"/FontFile2" not in pdf:
        raise CheckFailed("the letter's fonts are not embedded")
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = len(document)
        text = ""
        for index in range(pages):
            page = document[index]
            textpage = page.get_textpage()
            text += textpage.get_text_range()
            textpage.close()
            page.close()
    finally:
        document.close()
    missing = [script for name, script in _SCRIPTS.items() if not _printed(name, text)]
    if missing:
        raise CheckFailed(f"the {' and '.join(missing)} names could not be read back from the PDF")
    return f"{pages} page{'s' if pages > 1 else ''}, fonts embedded, Vietnamese, Korean and Arabic names read back"


def _printed(name: str, text: str) -> bool:
    """Whether the name is in the text read from a PDF. Arabic is stored shaped (its
    presentation forms) in visual order, so both sides are compared without spaces,
    folded by NFKC, in either direction."""
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    wanted = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
    return wanted in flat or wanted[::-1] in flat


def letter_word(run: Run) -> str:
    import docx

    from prdesk.domain.services import letter_workflow, organisation
    from prdesk.export.letter_docx import letter_docx

    db, actor, _case = run.needs_case()
    if run.letter_id is None:
        raise Skipped("needs the letter drafted above")
    with db.transaction() as session:
        letter = letter_workflow.letter_detail(session, actor, run.letter_id)
        head = organisation.letterhead(session)
    data = letter_docx(letter, head)
    words = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    if RAISED_BY not in words:
        raise CheckFailed("the Word document does not hold the letter")
    return f".docx of {len(data) // 1024} KB written to memory and read back"


def excel(run: Run) -> str:
    import openpyxl

    from prdesk.domain.queries import CaseFilter
    from prdesk.export.case_table import case_rows, write_xlsx

    db, _actor, case = run.needs_case()
    buffer = io.BytesIO()
    with db.transaction() as session:
        # Found by the accent-free spelling, as a coordinator types it.
        rows = list(case_rows(session, CaseFilter(search="nguyen thi")))
    if [row.number for row in rows] != [case.number]:
        raise CheckFailed("searching for 'nguyen thi' did not find the case logged above")
    write_xlsx(buffer, rows, ("number", "patient"))
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()), read_only=True).active
    cells = [cell.value for row in sheet.iter_rows() for cell in row]
    if PATIENT not in cells:
        raise CheckFailed("the spreadsheet does not hold the case")
    return "search for 'nguyen thi' found the case; .xlsx written to memory and read back"


def working_days(run: Run) -> str:
    from prdesk.domain.deadline_policy import add_working_days, holiday_calendar

    calendar = holiday_calendar("US", "", frozenset())
    # Wednesday 25 November 2026; Thanksgiving (26th) and the weekend are not worked.
    due = add_working_days(date(2026, 11, 25), 3, calendar)
    if due != date(2026, 12, 1):
        raise CheckFailed(f"3 working days after 25 Nov 2026 came out as {due}, not 1 Dec")
    holidays_uk = holiday_calendar("GB", "ENG", frozenset())
    if holidays_uk.is_working_day(date(2026, 12, 25)):
        raise CheckFailed("Christmas Day in England counted as a working day")
    return "3 working days after 25 Nov 2026 (US, Thanksgiving) is 1 Dec; England's holidays known"


def dates(run: Run) -> str:
    from babel.dates import format_date

    from prdesk.export.letter_text import long_date

    day = date(2026, 11, 26)
    spanish = long_date(day, "es")
    if spanish != "26 de noviembre de 2026":
        raise CheckFailed(f"the Spanish letter date came out as {spanish!r}")
    others = [format_date(day, "long", locale=locale) for locale in ("vi", "ko", "ar")]
    return ", ".join([spanish, *others])


def phone_numbers(run: Run) -> str:
    import phonenumbers

    number = phonenumbers.parse("020 7946 0018", "GB")
    if not phonenumbers.is_possible_number(number):
        raise CheckFailed("a London number was not recognised")
    us = phonenumbers.parse("(217) 555-0134", "US")
    shown = phonenumbers.format_number(us, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return f"{phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)}, {shown}"


def search_text(run: Run) -> str:
    from prdesk.domain.search_text import fold

    folded = fold(f"{PATIENT} Łukasz 王秀英 O'Brien", split=True)
    for word in ("nguyen", "lukasz", "wang", "brien"):
        if word not in folded.split():
            raise CheckFailed(f"'{word}' missing from the folded search words")
    return f"folded to '{folded}'"


def postgresql_driver(run: Run) -> str:
    import psycopg

    implementation = psycopg.pq.__impl__
    if implementation != "binary":
        raise CheckFailed(f"psycopg uses its {implementation} implementation, not the binary one")
    libpq = psycopg.pq.version()
    return f"psycopg {psycopg.__version__}, binary implementation, libpq {libpq // 10000}.{libpq % 100}"


def password_store(run: Run) -> str:
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if isinstance(backend, fail.Keyring):
        raise Notice("none on this computer: passwords for a shared database are asked each time")
    return name


def qt_started(run: Run) -> str:
    from prdesk.ui import installation_check

    return installation_check.start_qt()


def application_icon(run: Run) -> str:
    from prdesk.assets import resource
    from prdesk.ui import installation_check

    return installation_check.icon_renders(resource("icons", "prdesk.svg"))


def main_window(run: Run) -> str:
    from prdesk.ui import installation_check

    db, actor, _case = run.needs_case()
    return installation_check.main_window_opens(db, actor)
