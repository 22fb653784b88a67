"""Signatories' scanned signatures, printed above their names on letters."""

from __future__ import annotations

from sqlalchemy.orm import Session

from prdesk.domain import audit
from prdesk.domain.errors import NotFound, PermissionDenied, ValidationError
from prdesk.domain.models import Signature, User, utcnow
from prdesk.domain.permissions import Action, allowed
from prdesk.domain.readmodels import UserInfo

SIGNATURE_LIMIT = 1024 * 1024
# PNG and JPEG, the formats scanners and phones save signatures in.
_IMAGE_STARTS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def signature_image(session: Session, user_id: int | None) -> bytes | None:
    if user_id is None:
        return None
    row = session.get(Signature, user_id)
    return row.image if row else None


def set_signature(session: Session, actor: UserInfo, user_id: int, image: bytes | None) -> None:
    """Sets or (with None) removes a person's signature.

    People set their own; an administrator may set anyone's.
    """
    if user_id != actor.id and not allowed(actor.role, Action.MANAGE_ORGANISATION):
        raise PermissionDenied("Only an administrator may set someone else's signature.")
    if session.get(User, user_id) is None:
        raise NotFound("That person is no longer a user of PR Desk.")
    row = session.get(Signature, user_id)
    if image is None:
        if row is not None:
            session.delete(row)
    else:
        if len(image) > SIGNATURE_LIMIT:
            raise ValidationError("The signature picture is larger than 1 MB; use a smaller one.")
        if not image.startswith(_IMAGE_STARTS):
            raise ValidationError("A signature must be a PNG or JPEG picture.")
        if row is None:
            session.add(Signature(user_id=user_id, image=image))
        else:
            row.image = image
            row.updated_at = utcnow()
    session.flush()
    audit.record(session, actor, "delete" if image is None else "update", "signature", user_id)
