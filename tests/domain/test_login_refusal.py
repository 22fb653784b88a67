"""A refused database login is told apart from a server that cannot be reached."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.exc import OperationalError

from prdesk.domain.database import translate_errors
from prdesk.domain.errors import DatabaseUnavailable, LoginRequired

_SERVER = 'connection failed: connection to server at "10.0.0.5", port 5432 failed: '


def _raise_from_driver(text: str) -> None:
    with translate_errors():
        raise OperationalError("connect", None, psycopg.OperationalError(_SERVER + text))


@pytest.mark.parametrize(
    ("server_says", "message"),
    [
        (
            'FATAL:  password authentication failed for user "mgarcia"',
            "The database refused the user name or password.",
        ),
        ("fe_sendauth: no password supplied", "The database needs your password to sign you in."),
    ],
)
def test_a_refused_or_missing_password_asks_for_a_login(server_says: str, message: str) -> None:
    with pytest.raises(LoginRequired) as refused:
        _raise_from_driver(server_says)
    assert refused.value.message == message
    # Shown and handled like any other unreachable database where no dialog can ask.
    assert isinstance(refused.value, DatabaseUnavailable)


@pytest.mark.parametrize(
    "server_says",
    [
        'FATAL:  no pg_hba.conf entry for host "10.0.0.9", user "mgarcia", database "prdesk"',
        "Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?",
    ],
)
def test_a_server_that_lets_nobody_in_from_here_is_not_a_password_problem(
    server_says: str,
) -> None:
    with pytest.raises(DatabaseUnavailable) as failed:
        _raise_from_driver(server_says)
    assert not isinstance(failed.value, LoginRequired)
    assert failed.value.message.startswith("Cannot reach the database")


def test_the_server_s_invalid_password_code_asks_for_a_login() -> None:
    with pytest.raises(LoginRequired), translate_errors():
        raise OperationalError("connect", None, psycopg.errors.InvalidPassword("refused"))
