"""The languages letters and interpreters are most often needed in, by ISO 639-1 code."""

from __future__ import annotations

# US hospitals' most requested languages after English come first (DOMAIN.md),
# then other languages often met; the code is what the letter templates use.
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("es", "Spanish"),
    ("zh", "Chinese"),
    ("vi", "Vietnamese"),
    ("ko", "Korean"),
    ("tl", "Tagalog"),
    ("ru", "Russian"),
    ("ar", "Arabic"),
    ("pl", "Polish"),
    ("el", "Greek"),
    ("fr", "French"),
    ("ht", "Haitian Creole"),
    ("pt", "Portuguese"),
    ("de", "German"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("hi", "Hindi"),
    ("ur", "Urdu"),
    ("bn", "Bengali"),
    ("pa", "Punjabi"),
    ("fa", "Persian (Farsi)"),
    ("he", "Hebrew"),
    ("uk", "Ukrainian"),
    ("hy", "Armenian"),
    ("so", "Somali"),
    ("am", "Amharic"),
    ("km", "Khmer"),
    ("lo", "Lao"),
    ("hmn", "Hmong"),
    ("ne", "Nepali"),
    ("sw", "Swahili"),
    ("th", "Thai"),
)

_NAMES = dict(LANGUAGES)


def language_name(code: str) -> str:
    """The English name of a language code, or the code itself when it is not listed."""
    return _NAMES.get(code, code)
