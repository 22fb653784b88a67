"""Font switching: text in any script reaches the PDF in a font that has its letters."""

from __future__ import annotations

import threading

from reportlab.lib.fonts import tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph

from prdesk.export.fonts import (
    ARABIC_FONT,
    BASE_FONT,
    CJK_FONT,
    HANGUL_FONT,
    HEBREW_FONT,
    font_runs,
    mixed_script_markup,
    needs_cjk_wrap,
    register_fonts,
)


def fonts_of(text: str) -> list[str]:
    return [font for font, _ in font_runs(text)]


def printed(markup: str) -> list[tuple[str, str]]:
    """(font, text) pieces ReportLab would print for some paragraph markup."""
    paragraph = Paragraph(markup, ParagraphStyle("test", fontName=BASE_FONT))
    pieces: list[tuple[str, str]] = []
    for frag in paragraph.frags:
        # ReportLab cuts text at each entity (&lt; ...); join pieces in the same font.
        if pieces and pieces[-1][0] == frag.fontName:
            pieces[-1] = (frag.fontName, pieces[-1][1] + frag.text)
        else:
            pieces.append((frag.fontName, frag.text))
    return pieces


def test_registering_twice_and_from_several_threads_at_once_is_harmless() -> None:
    threads = [threading.Thread(target=register_fonts) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    register_fonts()
    for name in (BASE_FONT, CJK_FONT, HANGUL_FONT, ARABIC_FONT, HEBREW_FONT):
        assert pdfmetrics.getFont(name).fontName == name


def test_bold_and_italic_use_the_family_faces_or_fall_back_to_regular() -> None:
    register_fonts()
    assert tt2ps(BASE_FONT, 1, 0) == "NotoSans-Bold"
    assert tt2ps(BASE_FONT, 1, 1) == "NotoSans-BoldItalic"
    assert tt2ps(HANGUL_FONT, 1, 0) == "NanumGothic-Bold"
    # Droid Sans Fallback has no bold or italic face: regular it is, not a missing font.
    assert tt2ps(CJK_FONT, 1, 1) == CJK_FONT
    assert tt2ps(ARABIC_FONT, 0, 1) == ARABIC_FONT


def test_latin_vietnamese_greek_and_cyrillic_stay_in_noto_sans() -> None:
    text = "Łukasz Wójcik, Nguyễn Thị Hương, Γιώργος Παπαδόπουλος, Анна Кузнецова"
    assert font_runs(text) == [(BASE_FONT, text)]


def test_each_script_goes_to_the_font_that_has_it() -> None:
    assert fonts_of("Dear 王秀英 and 김민준") == [BASE_FONT, CJK_FONT, BASE_FONT, HANGUL_FONT]
    assert fonts_of("محمد") == [ARABIC_FONT]
    assert fonts_of("שלום") == [HEBREW_FONT]


def test_spaces_and_punctuation_do_not_break_a_run() -> None:
    assert font_runs("王秀英 王秀英") == [(CJK_FONT, "王秀英 王秀英")]
    assert font_runs("김민준, 김서연") == [(HANGUL_FONT, "김민준, 김서연")]


def test_decomposed_accents_are_composed_so_they_print_as_one_letter() -> None:
    # "ễ" typed as e + circumflex + tilde, as some keyboards and macOS file names do.
    assert font_runs("Nguye\u0302\u0303n") == [(BASE_FONT, "Nguyễn")]


def test_arabic_is_joined_and_laid_out_right_to_left() -> None:
    [(font, shown)] = font_runs("محمد")
    assert font == ARABIC_FONT
    # Printed left to right: final dal first, initial meem last, in joined forms.
    assert shown == "\ufeaa\ufee4\ufea4\ufee3"


def test_hebrew_is_laid_out_right_to_left_inside_english_text() -> None:
    assert font_runs("Mr שלום Cohen") == [
        (BASE_FONT, "Mr "),
        (HEBREW_FONT, "םולש "),
        (BASE_FONT, "Cohen"),
    ]


def test_markup_prints_user_text_literally() -> None:
    text = "<b>not bold</b> & O'Brien &amp;"
    assert printed(mixed_script_markup(text)) == [(BASE_FONT, text)]


def test_bold_markup_emboldens_every_script_that_has_a_bold_face() -> None:
    assert printed(mixed_script_markup("Kim 김민준 王", bold=True)) == [
        ("NotoSans-Bold", "Kim "),
        ("NanumGothic-Bold", "김민준 "),
        (CJK_FONT, "王"),
    ]


def test_line_breaks_are_kept_and_control_characters_dropped() -> None:
    markup = mixed_script_markup("Line one\nLine\x00 two\x07")
    assert "<br/>" in markup
    assert "\x00" not in markup
    assert "\x07" not in markup


def test_chinese_needs_cjk_line_breaking_but_korean_and_latin_do_not() -> None:
    assert needs_cjk_wrap("您母亲的病历已经转交")
    assert not needs_cjk_wrap("김민준 님께서 보내주신 의견")
    assert not needs_cjk_wrap("Nguyễn Thị Hương")
