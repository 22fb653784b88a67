"""The first-run assistant on the department's shared PostgreSQL database, plain and over TLS."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from prdesk import config
from prdesk.domain import schema
from prdesk.domain.enums import Role
from prdesk.ui.first_run.detection import needs_assistant
from prdesk.ui.first_run.wizard import FirstRunWizard, Step
from tests.conftest import POSTGRES_ADMIN_URL, postgres_available
from tests.gui.conftest import wait_idle
from tests.gui.test_first_run import save_shot, shown_wizard, wait_for_step
from tests.support.tls_postgres import TlsServer, tls_postgres  # noqa: F401  (the fixture)

PASSWORD = "typed at the first start"


@pytest.fixture
def empty_database() -> Iterator[str]:
    """A new, empty database on the test server, as IT hands it over; dropped afterwards."""
    if not postgres_available():
        pytest.skip(f"no PostgreSQL server at {make_url(POSTGRES_ADMIN_URL).render_as_string()}")
    name = f"prdesk_first_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def choose_shared(
    qtbot: QtBot, wizard: FirstRunWizard, *, port: int, database: str, sslmode: str
) -> None:
    """The shared database chosen, and the connection typed as IT gave it."""
    wizard.where.where.shared.click()
    wizard.next()
    wait_for_step(qtbot, wizard, Step.CONNECTION)
    fields = wizard.connection.fields
    fields.server.setText("127.0.0.1")
    fields.port.setValue(port)
    fields.database.setText(database)
    fields.user.setText("postgres")
    fields.password.setText(PASSWORD)
    fields.remember.setChecked(True)
    fields.sslmode.setCurrentIndex(fields.sslmode.findData(sslmode))


def agree_to_create_tables(wizard: FirstRunWizard) -> list[str]:
    asked: list[str] = []

    def ask_upgrade(message: str) -> bool:
        asked.append(message)
        return True

    wizard.prepare.ask_upgrade = ask_upgrade  # type: ignore[method-assign]
    return asked


@pytest.mark.postgresql
def test_set_up_on_an_empty_shared_database_saves_the_connection_and_remembers_the_password(
    qtbot: QtBot, empty_database: str
) -> None:
    wizard = shown_wizard(qtbot)
    asked = agree_to_create_tables(wizard)
    port = make_url(POSTGRES_ADMIN_URL).port or 5432
    choose_shared(qtbot, wizard, port=port, database=empty_database, sslmode="disable")
    wizard.next()
    wait_for_step(qtbot, wizard, Step.ORGANISATION)
    assert len(asked) == 1 and "is empty" in asked[0]
    ctx = wizard.ctx
    assert ctx is not None
    # The first person on a new shared database administers it.
    assert ctx.actor.role is Role.ADMINISTRATOR
    assert schema.schema_state(ctx.db).up_to_date

    profile = config.load_profile()
    assert profile is not None
    assert (profile.host, profile.database, profile.username, profile.password) == (
        "127.0.0.1",
        empty_database,
        "postgres",
        None,
    )
    assert config.tls_settings(profile).sslmode == "disable"
    assert PASSWORD not in (config.config_dir() / "connection.json").read_text()
    assert config.saved_password(profile) == PASSWORD
    assert not needs_assistant(config.choose_database())
    wait_idle(qtbot)
    ctx.db.dispose()


@pytest.mark.postgresql
def test_verify_full_with_the_hospital_ca_connects_encrypted_and_a_wrong_ca_is_refused(
    qtbot: QtBot,
    tls_postgres: TlsServer,  # noqa: F811  (the fixture imported above)
) -> None:
    wizard = shown_wizard(qtbot)
    agree_to_create_tables(wizard)
    choose_shared(
        qtbot, wizard, port=tls_postgres.port, database=tls_postgres.database, sslmode="verify-full"
    )
    fields = wizard.connection.fields
    fields.ca_cert.setText(str(tls_postgres.wrong_ca_cert))
    wizard.next()
    qtbot.waitUntil(lambda: fields.errors.message("ca_cert") != "", timeout=20_000)
    wait_idle(qtbot)
    assert wizard.currentId() == Step.CONNECTION
    assert fields.errors.message("ca_cert").startswith(
        "The server's certificate could not be verified with this CA certificate file"
    )
    assert config.load_profile() is None  # a connection that failed is not kept
    save_shot(wizard, "wrong-ca")

    fields.ca_cert.setText(str(tls_postgres.ca_cert))
    wizard.next()
    wait_for_step(qtbot, wizard, Step.ORGANISATION)
    ctx = wizard.ctx
    assert ctx is not None
    with ctx.db.transaction(read_only=True) as session:
        encrypted = session.execute(
            text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        ).scalar_one()
    assert encrypted is True
    profile = config.load_profile()
    assert profile is not None
    assert config.tls_settings(profile) == config.TlsSettings("verify-full", tls_postgres.ca_cert)
    wait_idle(qtbot)
    ctx.db.dispose()
