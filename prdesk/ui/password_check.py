"""Whether a typed password is the signed-in person's: by the shared database, or by the computer.

Each check runs on a worker thread (a server round trip, or PAM's deliberate delay
after a wrong password) and answers True or False; a DomainError says it could not
tell (the server is down).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import getpass
import os
import sys
from typing import Protocol

from sqlalchemy.engine import URL

from prdesk.domain.database import Database, translate_errors, without_password
from prdesk.domain.errors import DatabaseUnavailable, LoginRequired


class PasswordCheck(Protocol):
    def __call__(self, password: str) -> bool:
        """True for the right password; runs on a worker thread."""


class DatabaseLoginCheck:
    """The shared database's own judgement: a login with the typed password.

    Only when the server asked for the password and used it. A server that trusts
    this computer (trust, peer or certificate sign-on) lets any password in, so then
    `fallback` judges it: the computer account's password, as on the embedded database.
    """

    def __init__(self, url: URL, fallback: PasswordCheck | None = None) -> None:
        self._url = without_password(url)
        self._fallback = fallback if fallback is not None else OperatingSystemCheck()

    def __call__(self, password: str) -> bool:
        if not password:
            return False
        db = Database(self._url, password=password)
        try:
            with translate_errors(), db.engine.connect() as connection:
                driver = connection.connection.driver_connection
                assert driver is not None, "a connection that is open has its driver's"
                used_password = bool(driver.pgconn.used_password)
        except LoginRequired:
            return False
        finally:
            db.dispose()
        return used_password or self._fallback(password)


class OperatingSystemCheck:
    """The password of the computer's account (Windows logon, or PAM elsewhere)."""

    def __init__(self, username: str | None = None, *, service: str = "login") -> None:
        self._username = username or getpass.getuser()
        self._service = service

    def __call__(self, password: str) -> bool:
        if not password:
            return False
        if sys.platform == "win32":
            return _windows_logon(self._username, password)
        return _pam_authenticate(self._service, self._username, password)


def password_check_for(db: Database) -> PasswordCheck:
    """The database's check when signing in took a password; otherwise (the embedded
    database, or single sign-on, where the database asks for none) the computer's."""
    if db.dialect == "postgresql" and db.url.password:
        return DatabaseLoginCheck(db.url)
    return OperatingSystemCheck()


_CANNOT_CHECK = (
    "This computer cannot check passwords for PR Desk ({why}). Ask your IT support desk."
)


if sys.platform == "win32":

    def _windows_logon(username: str, password: str) -> bool:
        from ctypes import wintypes

        advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        token = wintypes.HANDLE()
        interactive, default_provider = 2, 0
        # A domain account signs in with its domain; a local one with "." (this computer).
        domain = os.environ.get("USERDOMAIN") or "."
        ok = advapi32.LogonUserW(
            username, domain, password, interactive, default_provider, ctypes.byref(token)
        )
        if ok:
            kernel32.CloseHandle(token)
        return bool(ok)


class _PamMessage(ctypes.Structure):
    _fields_ = [("msg_style", ctypes.c_int), ("msg", ctypes.c_char_p)]


class _PamResponse(ctypes.Structure):
    _fields_ = [("resp", ctypes.c_void_p), ("resp_retcode", ctypes.c_int)]


_CONVERSATION = ctypes.CFUNCTYPE(
    ctypes.c_int,
    ctypes.c_int,
    ctypes.POINTER(ctypes.POINTER(_PamMessage)),
    ctypes.POINTER(ctypes.POINTER(_PamResponse)),
    ctypes.c_void_p,
)


class _PamConversation(ctypes.Structure):
    _fields_ = [("conv", _CONVERSATION), ("appdata_ptr", ctypes.c_void_p)]


_PAM_SUCCESS, _PAM_BUF_ERR, _PAM_PROMPT_ECHO_OFF = 0, 5, 1


def _pam_authenticate(service: str, username: str, password: str) -> bool:
    pam_path = ctypes.util.find_library("pam")
    libc_path = ctypes.util.find_library("c")
    if pam_path is None or libc_path is None:
        raise DatabaseUnavailable(_CANNOT_CHECK.format(why="PAM is not installed"))
    pam, libc = ctypes.CDLL(pam_path), ctypes.CDLL(libc_path)
    libc.calloc.restype = ctypes.c_void_p
    libc.calloc.argtypes = [ctypes.c_size_t, ctypes.c_size_t]
    libc.strdup.restype = ctypes.c_void_p
    libc.strdup.argtypes = [ctypes.c_char_p]
    pam.pam_start.argtypes = [
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.POINTER(_PamConversation),
        ctypes.POINTER(ctypes.c_void_p),
    ]
    pam.pam_authenticate.argtypes = [ctypes.c_void_p, ctypes.c_int]
    pam.pam_end.argtypes = [ctypes.c_void_p, ctypes.c_int]
    secret = password.encode("utf-8")

    def answer(
        count: int,
        messages: ctypes._Pointer[ctypes._Pointer[_PamMessage]],
        responses: ctypes._Pointer[ctypes._Pointer[_PamResponse]],
        _data: int | None,
    ) -> int:
        # PAM frees the answers itself, so they are allocated with the C library.
        address = libc.calloc(count, ctypes.sizeof(_PamResponse))
        if not address:
            return _PAM_BUF_ERR
        replies = ctypes.cast(address, ctypes.POINTER(_PamResponse))
        for index in range(count):
            if messages[index].contents.msg_style == _PAM_PROMPT_ECHO_OFF:
                replies[index].resp = libc.strdup(secret)
        responses[0] = replies
        return _PAM_SUCCESS

    conversation = _PamConversation(_CONVERSATION(answer), None)
    handle = ctypes.c_void_p()
    status = pam.pam_start(
        service.encode(), username.encode(), ctypes.byref(conversation), ctypes.byref(handle)
    )
    if status != _PAM_SUCCESS:
        raise DatabaseUnavailable(_CANNOT_CHECK.format(why=f"PAM could not start, {status}"))
    try:
        status = pam.pam_authenticate(handle, 0)
    finally:
        pam.pam_end(handle, status)
    return bool(status == _PAM_SUCCESS)
