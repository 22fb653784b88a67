"""Export layer: letters (and later reports) as PDF files, with ReportLab.

Independent of Qt so the command line and background jobs can print too.
"""

from prdesk.export.fonts import mixed_script_markup, register_fonts
from prdesk.export.letter_pdf import render_letter_pdf

__all__ = ["mixed_script_markup", "register_fonts", "render_letter_pdf"]
