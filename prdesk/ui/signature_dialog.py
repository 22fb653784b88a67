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


class SignaturePicture(QWidget):
    """The signature as it will print, with Choose… and Remove, and what is wrong with a file.

    Used by the Signature dialog and by the Signature settings page.

    Signals:
        edited: the person chose or removed a picture.
    """

    edited = Signal()
    _ROOM = QSize(360, 120)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: bytes | None = None
        self.picture = QLabel()
        self.picture.setFrameShape(QFrame.Shape.StyledPanel)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setFixedSize(self._ROOM + QSize(12, 12))
        # A signature is dark ink on paper: shown on white even in a dark palette.
        self.picture.setStyleSheet("background: white; color: #444;")
        self.picture.setAccessibleName("Signature")
        self.choose = QPushButton("C&hoose…")
        self.choose.setAccessibleName("Choose the signature picture")
        self.remove = QPushButton("Re&move")
        self.remove.setAccessibleName("Remove the signature")
        for button in (self.choose, self.remove):
            button.setAutoDefault(False)
        self.error = QLabel()
        self.error.setProperty("role", "field-error")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.hide()
        self.hint = QLabel(
            "Sign in dark ink on white paper, scan or photograph it, and crop close round "
            "the signature. PNG or JPEG, at most 1 MB."
        )
        self.hint.setProperty("role", "hint")
        self.hint.setWordWrap(True)
        buttons = QVBoxLayout()
        buttons.addWidget(self.choose)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.picture)
        row.addLayout(buttons)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(self.hint)
        self.choose.clicked.connect(self._choose_file)
        self.remove.clicked.connect(self._on_remove)
        self.set_image(None)

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
        self.edited.emit()
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

    def _on_remove(self) -> None:
        self.set_image(None)
        self.edited.emit()

    def _choose_file(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, "Choose the signature", "", PICTURE_FILTER
        )
        if chosen:
            self.use_image_file(Path(chosen))


class SignatureDialog(QDialog):
    """Choose… takes a picture, Remove takes it away; Save writes it on a worker.
    Administrators pick whose signature it is; everyone else sets their own.

    Signals:
        saved: the id of the person whose signature was written.
    """

    saved = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._shown: SignatureOf | None = None
        self.setWindowTitle("Signature — PR Desk")
        self.banner = InfoBar()
        self.person = QComboBox()
        self.person.setAccessibleName("Whose signature")
        self.signature = SignaturePicture()
        self.picture, self.choose = self.signature.picture, self.signature.choose
        self.remove, self.error = self.signature.remove, self.signature.error
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(False)
        form = QFormLayout()
        person_label = QLabel("&Person:")
        person_label.setBuddy(self.person)
        form.addRow(person_label, self.person)
        form.addRow("Signature:", self.signature)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
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
        return self._shown is not None and self.image() != self._shown.image

    def image(self) -> bytes | None:
        return self.signature.image()

    def use_image_file(self, path: Path) -> bool:
        """Takes the picture at `path`; False (with the reason shown) when it cannot be used."""
        return self.signature.use_image_file(path)

    def set_image(self, data: bytes | None) -> None:
        self.signature.set_image(data)

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

    def save(self) -> None:
        if not self.save_button.isEnabled() or self._shown is None:
            return
        actor, user_id, image = self._ctx.actor, self._shown.user_id, self.image()
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
