"""`prdesk profile`: the saved connection to a shared database."""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from prdesk import config
from prdesk.domain.database import Database, describe, parse_url, without_password
from prdesk.domain.errors import ValidationError


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    profile = commands.add_parser("profile", help="the saved connection to a shared database")
    sub = profile.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    set_ = sub.add_parser("set", help="save the database URL to use from now on")
    set_.add_argument("url", help="postgresql+psycopg://user@host:5432/prdesk (no password in it)")
    how = set_.add_mutually_exclusive_group()
    how.add_argument(
        "--ask-password",
        action="store_true",
        help="ask for the password and keep it in the system's credential store",
    )
    how.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    set_.add_argument(
        "--sslmode",
        choices=config.SSL_MODES,
        help="how the connection is encrypted (libpq's sslmode; default: prefer)",
    )
    set_.add_argument(
        "--ca-cert",
        metavar="FILE",
        type=Path,
        help="the CA certificate that signed the server's (for verify-ca and verify-full)",
    )
    set_.add_argument("--no-check", action="store_true", help="save without trying to connect")
    set_.set_defaults(handler=run_set)
    show = sub.add_parser("show", help="show the saved connection")
    show.set_defaults(handler=run_show)
    clear = sub.add_parser("clear", help="forget the saved connection and its password")
    clear.set_defaults(handler=run_clear)
    forget = sub.add_parser(
        "forget-password", help="remove the remembered password, keep the connection"
    )
    forget.set_defaults(handler=run_forget_password)


def run_set(args: argparse.Namespace) -> int:
    url = parse_url(args.url)
    password = url.password
    if url.get_backend_name() == "postgresql":
        # Settings given as options win over the same ones written in the URL.
        tls = config.tls_settings(url)
        if args.sslmode is not None:
            tls = replace(tls, sslmode=args.sslmode)
        if args.ca_cert is not None:
            tls = replace(tls, ca_cert=args.ca_cert)
        url = config.with_tls(url, tls)
    elif args.sslmode is not None or args.ca_cert is not None:
        raise ValidationError("TLS settings apply to a shared PostgreSQL database only.")
    if args.ask_password:
        password = getpass.getpass(f"Password for {url.username or 'the database'}: ")
    elif args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    if not args.no_check:
        db = Database(url, password=password or None)
        try:
            db.check_connection()
        finally:
            db.dispose()
    config.save_profile(without_password(url), password or None)
    print(
        f"Saved: {describe(without_password(url))}"
        + (" (password in the credential store)" if password else "")
    )
    return 0


def run_show(_args: argparse.Namespace) -> int:
    url = config.load_profile()
    if url is None:
        print(
            f"No saved connection: the embedded database {config.embedded_database_path()} is used."
        )
    else:
        stored = "yes" if config.saved_password(url) else "no"
        print(f"{describe(url)} (password stored: {stored})")
        if url.get_backend_name() == "postgresql":
            print(f"TLS: {config.tls_settings(url).describe()}")
    return 0


def run_clear(_args: argparse.Namespace) -> int:
    print("Forgot the saved connection." if config.clear_profile() else "No saved connection.")
    return 0


def run_forget_password(_args: argparse.Namespace) -> int:
    url = config.load_profile()
    if url is None or config.saved_password(url) is None:
        print("No password is remembered.")
        return 0
    config.forget_password(url)
    print("Forgot the password: PR Desk will ask for it when it connects.")
    return 0
