"""Letter templates as administrators edit them: every save is a new numbered version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from prdesk.domain import audit, letter_templates
from prdesk.domain.errors import ConflictError, NotFound, ValidationError
from prdesk.domain.models import LetterTemplateVersion, User
from prdesk.domain.permissions import Action, require
from prdesk.domain.readmodels import UserInfo

SHIPPED_BY = "PR Desk (as shipped)"


@dataclass(frozen=True)
class TemplateVersionInfo:
    """One version of one template in one language; version 0 is the shipped text."""

    key: str
    title: str
    language: str
    version: int
    source: str
    note: str
    created_at: datetime | None
    created_by_name: str

    @property
    def shipped(self) -> bool:
        return self.version == 0


def _shipped(key: str, language: str) -> TemplateVersionInfo:
    tpl = letter_templates.template(key)
    return TemplateVersionInfo(
        key=key,
        title=tpl.title,
        language=language,
        version=0,
        source=letter_templates.shipped_source(key, language),
        note="",
        created_at=None,
        created_by_name=SHIPPED_BY,
    )


def _info(row: LetterTemplateVersion, author: User) -> TemplateVersionInfo:
    return TemplateVersionInfo(
        key=row.key,
        title=letter_templates.template(row.key).title,
        language=row.language,
        version=row.version,
        source=row.source,
        note=row.note,
        created_at=row.created_at,
        created_by_name=author.display_name,
    )


def _check_language(key: str, language: str) -> None:
    tpl = letter_templates.template(key)
    if language not in tpl.languages:
        raise NotFound(f"The {tpl.title.lower()} template has no '{language}' version.")


def current_template(session: Session, key: str, language: str) -> TemplateVersionInfo:
    """The version letters are drafted from now: the newest saved, else the shipped text."""
    _check_language(key, language)
    row = session.execute(
        select(LetterTemplateVersion, User)
        .join(User, User.id == LetterTemplateVersion.created_by_id)
        .where(LetterTemplateVersion.key == key, LetterTemplateVersion.language == language)
        .order_by(LetterTemplateVersion.version.desc())
        .limit(1)
    ).first()
    return _info(*row) if row else _shipped(key, language)


def templates_overview(session: Session) -> tuple[TemplateVersionInfo, ...]:
    """The current version of every template in every language, in the shipped order."""
    newest = (
        select(
            LetterTemplateVersion.key,
            LetterTemplateVersion.language,
            func.max(LetterTemplateVersion.version).label("version"),
        )
        .group_by(LetterTemplateVersion.key, LetterTemplateVersion.language)
        .subquery()
    )
    rows = session.execute(
        select(LetterTemplateVersion, User)
        .join(User, User.id == LetterTemplateVersion.created_by_id)
        .join(
            newest,
            (newest.c.key == LetterTemplateVersion.key)
            & (newest.c.language == LetterTemplateVersion.language)
            & (newest.c.version == LetterTemplateVersion.version),
        )
    ).all()
    saved = {(row.key, row.language): _info(row, author) for row, author in rows}
    return tuple(
        saved.get((tpl.key, language)) or _shipped(tpl.key, language)
        for tpl in letter_templates.BUILT_IN
        for language in tpl.languages
    )


def template_history(session: Session, key: str, language: str) -> tuple[TemplateVersionInfo, ...]:
    """Every version, newest first, ending with the shipped text."""
    _check_language(key, language)
    rows = session.execute(
        select(LetterTemplateVersion, User)
        .join(User, User.id == LetterTemplateVersion.created_by_id)
        .where(LetterTemplateVersion.key == key, LetterTemplateVersion.language == language)
        .order_by(LetterTemplateVersion.version.desc())
    ).all()
    return (*(_info(row, author) for row, author in rows), _shipped(key, language))


def template_version(
    session: Session, key: str, language: str, version: int
) -> TemplateVersionInfo:
    if version == 0:
        return _shipped(key, language)
    for info in template_history(session, key, language):
        if info.version == version:
            return info
    raise NotFound(f"The {key} template has no version {version} in '{language}'.")


def save_template(
    session: Session,
    actor: UserInfo,
    key: str,
    language: str,
    source: str,
    *,
    based_on: int,
    note: str = "",
) -> TemplateVersionInfo:
    """Saves the text as the next version.

    `based_on` is the version the administrator started from: if someone saved another
    in the meantime, theirs is not silently replaced.
    """
    require(actor.role, Action.EDIT_TEMPLATES)
    current = current_template(session, key, language)
    if current.version != based_on:
        raise ConflictError(
            f"{current.created_by_name} saved version {current.version} of this template "
            "while you were editing it. Open it again to see their changes."
        )
    found = letter_templates.problems(source)
    if found:
        raise ValidationError(" ".join(found))
    if source.strip() == current.source.strip():
        raise ValidationError("Nothing has changed since the version you opened.")
    row = LetterTemplateVersion(
        key=key,
        language=language,
        version=current.version + 1,
        source=source,
        note=note.strip()[:300],
        created_by_id=actor.id,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        # Another administrator saved the same version number a moment earlier.
        raise ConflictError(
            "Someone saved this template at the same moment. Open it again to see their changes."
        ) from None
    audit.record(
        session,
        actor,
        "update",
        "letter_template",
        row.id,
        key=key,
        language=language,
        version=row.version,
    )
    author = session.get(User, actor.id)
    assert author is not None
    return _info(row, author)
