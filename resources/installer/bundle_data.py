"""What prdesk.spec puts into the application folder besides the code PyInstaller finds itself.

PR Desk's own files (fonts, templates, icons, guide, migrations) are listed with
pathlib alone, so tests can check them without PyInstaller; the libraries' data,
plug-ins and dynamically imported modules come from PyInstaller's hook helpers.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Folders of resources/ that the program reads at run time, every one of them needed;
# the README's screenshots and the installer's own files stay out.
RESOURCE_FOLDERS = ("fonts", "templates", "icons", "guide")

# Never shipped: the GPL-licensed Outlook reader (an optional extra), test tools, the
# plain-text password store, and Tk.
EXCLUDES = (
    "extract_msg",
    "keyrings.alt",
    "tkinter",
    "_tkinter",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "pypdf",
    "PySide6.QtWebEngineCore",
    "PySide6.QtQml",
    "PySide6.QtQuick",
)

# python-docx opens its templates as "docx/parts/../templates/...": the folder
# docx/parts must exist on disk, so its modules are written out beside the archive.
MODULE_COLLECTION_MODE = {"docx": "pyz+py"}

Data = tuple[str, str]


def _files_under(folder: Path, dest: str) -> list[Data]:
    """(source file, destination folder) for every file below `folder`, caches left out."""
    found: list[Data] = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or "__pycache__" in relative.parts or path.suffix == ".pyc":
            continue
        found.append((str(path), str(Path(dest, *relative.parent.parts).as_posix())))
    return found


def project_datas(root: Path = ROOT) -> list[Data]:
    """PR Desk's own files, placed where prdesk.assets and prdesk.domain.schema look.

    In the application folder the package's modules sit in `_internal/prdesk`, so
    the resources go to `prdesk/resources` (as in an installed wheel) and the
    migrations, which Alembic loads from their .py files, to
    `prdesk/domain/migrations`.
    """
    datas: list[Data] = []
    for name in RESOURCE_FOLDERS:
        folder = root / "resources" / name
        if not folder.is_dir():
            raise FileNotFoundError(f"resources/{name} is missing from {root}")
        datas += _files_under(folder, f"prdesk/resources/{name}")
    datas += _files_under(root / "prdesk" / "domain" / "migrations", "prdesk/domain/migrations")
    return datas


def library_datas() -> list[Data]:
    """Data files the libraries open by path or find through their metadata."""
    from PyInstaller.utils.hooks import collect_data_files, copy_metadata

    datas: list[Data] = []
    # The version shown in the window and by --version is read from the metadata.
    datas += copy_metadata("prdesk")
    # keyring finds its backends through entry points.
    datas += copy_metadata("keyring")
    for package in ("babel", "anyascii", "holidays", "phonenumbers", "docx", "reportlab"):
        datas += collect_data_files(package)
    return datas


def hidden_imports() -> list[str]:
    """Modules that are imported by name at run time, which PyInstaller cannot see."""
    from PyInstaller.utils.hooks import collect_submodules

    names: list[str] = []
    # Every module of the application, including those only the migrations import.
    names += collect_submodules("prdesk", filter=lambda name: "tests" not in name)
    # Countries' holiday calendars are imported by name on first use.
    names += collect_submodules("holidays")
    names += collect_submodules("keyring.backends")
    names += ["psycopg_binary", "psycopg_binary.pq", "psycopg_binary._psycopg"]
    names += ["PySide6.QtSvg", "PySide6.QtPrintSupport"]
    return names


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """Windows' four-number file version of a Python version ("0.1.0.dev2" -> 0,1,0,0)."""
    numbers = [int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3]]
    numbers += [0] * (4 - len(numbers))
    return (numbers[0], numbers[1], numbers[2], numbers[3])


def version_info(version: str, program: str, description: str) -> object:
    """The version resource Windows shows in a program's Properties > Details."""
    from PyInstaller.utils.win32 import versioninfo as vi

    numbers = version_tuple(version)
    strings = [
        vi.StringStruct("CompanyName", "PR Desk developers"),
        vi.StringStruct("FileDescription", description),
        vi.StringStruct("FileVersion", version),
        vi.StringStruct("InternalName", program),
        vi.StringStruct("LegalCopyright", "MIT licence"),
        vi.StringStruct("OriginalFilename", f"{program}.exe"),
        vi.StringStruct("ProductName", "PR Desk"),
        vi.StringStruct("ProductVersion", version),
    ]
    return vi.VSVersionInfo(
        ffi=vi.FixedFileInfo(
            filevers=numbers,
            prodvers=numbers,
            mask=0x3F,
            flags=0x0,
            OS=0x40004,  # Windows NT, 32-bit and 64-bit
            fileType=0x1,  # an application
            subtype=0x0,
            date=(0, 0),
        ),
        kids=[
            # 0409 is US English, 04B0 is Unicode.
            vi.StringFileInfo([vi.StringTable("040904B0", strings)]),
            vi.VarFileInfo([vi.VarStruct("Translation", [0x0409, 1200])]),
        ],
    )
