"""A person's scanned signature, printed above their name on the letters they sign."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from prdesk.domain.errors import DomainError, ValidationError
from prdesk.domain.permissions import Action, allowed
from prdesk.domain.readmodels import UserInfo
from prdesk.domain.services import signatures, users
from prdesk.ui.context import AppContext
from prdesk.ui.info_bar import InfoBar
from prdesk.ui.picture_files import PICTURE_FILTER, picture_pixmap, read_picture
from prdesk.ui.questions import ask_discard
from prdesk.ui.style import STYLESHEET


@dataclass(frozen=True)
class SignatureOf:
    """Whose signature is shown, and the picture (None: they have none)."""

    user_id: int
    image: bytes | None


@dataclass(frozen=True)
class SignatureSetting:
    """What the dialog opens with: the people whose signature may be set, and the first one's."""

    people: tuple[UserInfo, ...]
    shown: SignatureOf


class SignatureDialog(QDialog):
    """Choose… takes a picture, Remove takes it away; Save writes it on a worker.
    Administrators pick whose signature it is; everyone else sets their own.

    Signals:
        saved: the id of the person whose signature was written.
    """

    saved = Signal(int)
    _ROOM = QSize(360, 120)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._shown: SignatureOf | None = None
        self._image: bytes | None = None
        self.setWindowTitle("Signature — PR Desk")
        self.setStyleSheet(STYLESHEET)
        self.banner = InfoBar()
        self.person = QComboBox()
        self.person.setAccessibleName("Whose signature")
        self.picture = QLabel()
        self.picture.setFrameShape(QFrame.Shape.StyledPanel)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setFixedSize(self._ROOM + QSize(12, 12))
        self.picture.setStyleSheet("background: white;")
        self.picture.setAccessibleName("Signature")
        self.choose = QPushButton("C&hoose…")
        self.remove = QPushButton("Re&move")
        for button in (self.choose, self.remove):
            button.setAutoDefault(False)
        self.error = QLabel()
        self.error.setProperty("role", "field-error")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.hide()
        hint = QLabel(
            "Sign in dark ink on white paper, scan or photograph it, and crop close round "
            "the signature. PNG or JPEG, at most 1 MB."
        )
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)
        picture_buttons = QVBoxLayout()
        picture_buttons.addWidget(self.choose)
        picture_buttons.addWidget(self.remove)
        picture_buttons.addStretch(1)
        picture_row = QHBoxLayout()
        picture_row.addWidget(self.picture)
        picture_row.addLayout(picture_buttons)
        form = QFormLayout()
        person_label = QLabel("&Person:")
        person_label.setBuddy(self.person)
        form.addRow(person_label, self.person)
        form.addRow("Signature:", picture_row)
        form.addRow("", self.error)
        form.addRow("", hint)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.choose.clicked.connect(self._choose_file)
        self.remove.clicked.connect(lambda: self.set_image(None))
        self.person.activated.connect(self._on_person_chosen)
        self.resize(560, 300)

    def load(self, setting: SignatureSetting) -> None:
        """Lists the people (only administrators see more than themselves) and shows one."""
        self.person.clear()
        for user in setting.people:
            self.person.addItem(user.display_name, user.id)
        # Nobody else to choose: a one-entry list would only suggest there could be.
        self.person.setEnabled(len(setting.people) > 1)
        self.show_signature(setting.shown)

    def show_signature(self, shown: SignatureOf) -> None:
        self._shown = shown
        self.person.setCurrentIndex(max(self.person.findData(shown.user_id), 0))
        self.set_image(shown.image)
        self.save_button.setEnabled(True)

    def is_modified(self) -> bool:
        return self._shown is not None and self._image != self._shown.image

    def image(self) -> bytes | None:
        return self._image

    def use_image_file(self, path: Path) -> bool:
        """Takes the picture at `path`; False (with the reason shown) when it cannot be used."""
        try:
            data = read_picture(path, limit=signatures.SIGNATURE_LIMIT, what="a signature")
        except ValidationError as error:
            self.error.setText(error.message)
            self.error.show()
            return False
        self.set_image(data)
        return True

    def set_image(self, data: bytes | None) -> None:
        self._image = data or None
        self.error.hide()
        pixmap = picture_pixmap(self._image, self._ROOM)
        self.picture.setPixmap(pixmap)
        if pixmap.isNull():
            self.picture.setText("No signature: letters leave room to sign by hand.")
            self.picture.setWordWrap(True)
        self.remove.setEnabled(self._image is not None)

    def choose_person(self, user_id: int) -> None:
        """Shows that person's signature (an administrator's choice; tests call this)."""
        index = self.person.findData(user_id)
        if index >= 0:
            self.person.setCurrentIndex(index)
            self._on_person_chosen(index)

    def _on_person_chosen(self, index: int) -> None:
        user_id = self.person.itemData(index)
        if self._shown is None or user_id is None or user_id == self._shown.user_id:
            return
        if self.is_modified() and not ask_discard(
            self, "Unsaved signature", "The signature you chose is not saved. Discard it?"
        ):
            self.person.setCurrentIndex(self.person.findData(self._shown.user_id))
            return
        chosen = int(user_id)
        self.save_button.setEnabled(False)
        (
            self._ctx.operation(
                self,
                lambda session: SignatureOf(chosen, signatures.signature_image(session, chosen)),
                read_only=True,
            )
            .success(self.show_signature)
            .failure(self._show_error)
            .run()
        )

    def _choose_file(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, "Choose the signature", "", PICTURE_FILTER
        )
        if chosen:
            self.use_image_file(Path(chosen))

    def save(self) -> None:
        if not self.save_button.isEnabled() or self._shown is None:
            return
        actor, user_id, image = self._ctx.actor, self._shown.user_id, self._image
        self.save_button.setEnabled(False)
        self.banner.hide()
        (
            self._ctx.operation(
                self,
                lambda session: signatures.set_signature(session, actor, user_id, image),
            )
            .success(lambda _none: self._on_saved(user_id))
            .failure(self._show_error)
            .done(lambda: self.save_button.setEnabled(True))
            .run()
        )

    def _on_saved(self, user_id: int) -> None:
        self.saved.emit(user_id)
        self.accept()

    def _show_error(self, error: DomainError) -> None:
        self.banner.show_message(error.message, kind="error")


def signature_setting(session: Session, actor: UserInfo) -> SignatureSetting:
    """The people whose signature `actor` may set (everyone for an administrator), and theirs."""
    others = allowed(actor.role, Action.MANAGE_ORGANISATION)
    people = tuple(users.active_users(session)) if others else (actor,)
    own = SignatureOf(actor.id, signatures.signature_image(session, actor.id))
    return SignatureSetting(people, own)


def edit_signature(ctx: AppContext, parent: QWidget) -> None:
    """Reads the signature on a worker, then shows it to change (saved on a worker too)."""

    def show(setting: SignatureSetting) -> None:
        dialog = SignatureDialog(ctx, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.load(setting)
        dialog.open()

    actor = ctx.actor
    (
        ctx.operation(parent, lambda session: signature_setting(session, actor), read_only=True)
        .success(show)
        .run()
    )
