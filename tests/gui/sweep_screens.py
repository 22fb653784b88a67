"""The screens of case work the accessibility sweep opens, each as a coordinator meets it."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from prdesk.domain.readmodels import CaseDetail
from prdesk.domain.services import letters, organisation
from prdesk.ui.case_view import CaseView
from prdesk.ui.context import AppContext
from tests.gui.conftest import shown_window, wait_idle
from tests.support.builders import departments


@dataclass(frozen=True)
class Where:
    """What a screen is built from: the application, an open case and a folder to save in.

    Attributes:
        request: the test's, for what is to be put away after it (a second database).
    """

    ctx: AppContext
    qtbot: QtBot
    case: CaseDetail
    folder: Path
    request: pytest.FixtureRequest


def shown(where: Where, widget: QWidget) -> QWidget:
    where.qtbot.addWidget(widget)
    widget.show()
    wait_idle(where.qtbot)
    return widget


def _main_window(where: Where) -> QWidget:
    return shown_window(where.ctx, where.qtbot)


def _dashboard(where: Where) -> QWidget:
    window = shown_window(where.ctx, where.qtbot)
    window.show_dashboard()
    wait_idle(where.qtbot)
    return window


def _case_in_window(where: Where) -> QWidget:
    window = shown_window(where.ctx, where.qtbot)
    assert window.tabs is not None
    window.tabs.open_case(where.case.id)
    wait_idle(where.qtbot)
    return window


def _case_page(page: str) -> Callable[[Where], QWidget]:
    """The case on its own, with one of its Timeline, Requests and Letters tabs in front."""

    def build(where: Where) -> QWidget:
        view = CaseView(where.ctx, where.case.id)
        view.resize(1280, 760)
        shown(where, view)
        where.qtbot.waitUntil(lambda: view.detail is not None)
        view.work.setCurrentWidget(getattr(view, page))
        wait_idle(where.qtbot)
        return view

    return build


def _composer(where: Where) -> QWidget:
    from prdesk.ui.letter_composer import LetterComposer

    with where.ctx.db.transaction() as session:
        letter = letters.draft_letter(session, where.ctx.actor, where.case.id, "acknowledgement")
    composer = LetterComposer(where.ctx, letter.id)
    shown(where, composer)
    where.qtbot.waitUntil(lambda: composer.letter() is not None)
    wait_idle(where.qtbot)
    return composer


def _template_editor(where: Where) -> QWidget:
    from prdesk.ui.letter_template_editor import LetterTemplateEditor

    return shown(where, LetterTemplateEditor(where.ctx))


def with_ctx(module: str, name: str) -> Callable[[Where], QWidget]:
    """A screen made from the application context alone."""

    def build(where: Where) -> QWidget:
        made: QWidget = getattr(importlib.import_module(f"prdesk.ui.{module}"), name)(where.ctx)
        return shown(where, made)

    return build


def made(make: Callable[[Where], QWidget]) -> Callable[[Where], QWidget]:
    return lambda where: shown(where, make(where))


def _department_request(where: Where) -> QWidget:
    from prdesk.ui.department_request_dialog import DepartmentRequestDialog

    departments(where.ctx.db, "Pharmacy", "Emergency department")
    return shown(where, DepartmentRequestDialog(where.ctx, where.case.id))


def _outcome(where: Where) -> QWidget:
    from prdesk.ui.outcome_dialog import OutcomeDialog

    return OutcomeDialog(where.ctx, where.case)


def _unlock(where: Where) -> QWidget:
    from prdesk.ui.lock_screen import UnlockPrompt

    return UnlockPrompt("María García")


def _login(where: Where) -> QWidget:
    from prdesk.ui.login_dialog import LoginDialog

    return LoginDialog(make_url("postgresql+psycopg://rosa@db.hospital.org/prdesk"))


def _summary_export(where: Where) -> QWidget:
    from prdesk.ui.case_summary_export import SummaryExportDialog

    return SummaryExportDialog(where.case.number, where.folder / "Case summary.pdf")


def _new_letter(where: Where) -> QWidget:
    from prdesk.ui.new_letter_dialog import NewLetterDialog

    return NewLetterDialog(where.case)


def _reclassify(where: Where) -> QWidget:
    from prdesk.ui.reclassify_dialog import ReclassifyDialog

    return ReclassifyDialog(where.case.number, to_grievance=True)


def _closure_override(where: Where) -> QWidget:
    from prdesk.ui.closure_override_dialog import ClosureOverrideDialog

    return ClosureOverrideDialog(where.case.number)


def _received_range(where: Where) -> QWidget:
    from prdesk.ui.received_range_dialog import ReceivedRangeDialog

    return ReceivedRangeDialog()


def _paste(where: Where) -> QWidget:
    from prdesk.ui.paste_dialog import PasteDialog

    return PasteDialog()


def _request_response(where: Where) -> QWidget:
    from prdesk.domain.services.department_requests import NewRequest, request_statement
    from prdesk.ui.request_response_dialog import RequestResponseDialog

    pharmacy = departments(where.ctx.db, "Pharmacy")["Pharmacy"]
    with where.ctx.db.transaction() as session:
        version = organisation.contacts_of(session, pharmacy).version
        organisation.set_department_contacts(
            session, where.ctx.actor, pharmacy, version, "Dr. Amara Okafor", "", "", ""
        )
        asked = request_statement(
            session,
            where.ctx.actor,
            where.case.id,
            NewRequest(pharmacy, "The dispensing record of 3 March", date.today()),
        )
    return RequestResponseDialog(where.ctx, asked)


def _new_person(where: Where) -> QWidget:
    from prdesk.ui.user_edit_dialog import UserEditDialog

    return UserEditDialog(where.ctx, [])


WORK_SCREENS: dict[str, Callable[[Where], QWidget]] = {
    "case list": _main_window,
    "dashboard": _dashboard,
    "case in the main window": _case_in_window,
    "case timeline": _case_page("timeline"),
    "case requests": _case_page("requests"),
    "case letters": _case_page("letters"),
    "reports": with_ctx("reports_window", "ReportsWindow"),
    "audit trail": lambda where: shown(
        where, importlib.import_module("prdesk.ui.audit_log_view").AuditLogWindow(where.ctx, None)
    ),
    "new case": with_ctx("new_case_dialog", "NewCaseDialog"),
    "department request": _department_request,
    "outcome": made(_outcome),
    "department response": made(_request_response),
    "new person": made(_new_person),
    "letter composer": _composer,
    "letter template editor": _template_editor,
    "users": with_ctx("users_dialog", "UsersDialog"),
    "deadline policy": with_ctx("policy_dialog", "PolicyDialog"),
    "letterhead": with_ctx("letterhead_dialog", "LetterheadDialog"),
    "signature": with_ctx("signature_dialog", "SignatureDialog"),
    "record number format": with_ctx("mrn_format_dialog", "MrnFormatDialog"),
    "department contacts": with_ctx("department_contacts_dialog", "DepartmentContactsDialog"),
    "attachment limit": with_ctx("attachment_limit_dialog", "AttachmentLimitDialog"),
    "idle lock": with_ctx("idle_lock_dialog", "IdleLockDialog"),
    "print queue": with_ctx("print_queue", "PrintQueue"),
    "lock screen": made(_unlock),
    "login": made(_login),
    "case summary export": made(_summary_export),
    "new letter": made(_new_letter),
    "reclassify": made(_reclassify),
    "closure override": made(_closure_override),
    "received range": made(_received_range),
    "paste": made(_paste),
}
