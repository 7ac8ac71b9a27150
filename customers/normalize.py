"""How customer data is normalized for storage and search.

Names are searched without accents or case ("Bérg" finds "Berg"); phones are
stored in E.164 and searched by their digits, so "(555) 010-2001",
"+1 555 010 2001" and "2001" all find the same customer.
"""

import re
import unicodedata

import phonenumbers
from django.utils.translation import gettext as _

DEFAULT_REGION = "US"
# a number typed with a national trunk prefix ("0" in most of Europe) has at least this
# many digits, the prefix included; fewer are the last digits of a number
NATIONAL_MIN_DIGITS = 8

# Postal code formats of the countries we ship to; others are only length-checked.
POSTAL_CODES = {
    "US": (r"^\d{5}(-\d{4})?$", "12345 or 12345-6789"),
    "CA": (r"^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$", "K1A 0B1"),
    "FR": (r"^\d{5}$", "75001"),
    "DE": (r"^\d{5}$", "10115"),
    "GB": (r"^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$", "SW1A 1AA"),
}


def search_text(value: str) -> str:
    """Lower case, accents removed, spaces collapsed: the form names are searched in."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def digits_only(value: str) -> str:
    """The digits of ``value``, in ASCII: full-width "２００１" (an Asian keyboard's) and
    other scripts' digits are the same digits as "2001"."""
    return "".join(str(unicodedata.decimal(c)) for c in value or "" if c.isdecimal())


def phone_suffixes(digits: str) -> list[str]:
    """The digit strings a phone's stored digits (its E.164 form's) may end with when the
    caller gives ``digits``: those, and without the national trunk prefix of a number
    typed the national way ("01 23 45 67 89" is +33 1 23 45 67 89: its digits end with
    123456789) or the international call prefix ("00 33 1 ...")."""
    suffixes = [digits]
    if len(digits) >= NATIONAL_MIN_DIGITS and digits.startswith("0"):
        suffixes.append(digits[2:] if digits.startswith("00") else digits[1:])
    return suffixes


def phone_digits(value: str) -> str:
    """The digits phones are searched by: those of the E.164 form when the number parses,
    so "555-010-2001" saved as typed is found by "+1 555 010 2001" too."""
    try:
        return digits_only(normalize_phone(value))
    except ValueError:
        return digits_only(value)


def normalize_phone(value: str, region: str = DEFAULT_REGION) -> str:
    """The phone in E.164 (+15550102001). Raises ValueError with a message for the clerk."""
    try:
        number = phonenumbers.parse(value, region or DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(_("Enter a phone number, e.g. (555) 010-2001.")) from exc
    if not phonenumbers.is_possible_number(number):
        raise ValueError(_("This phone number has too few or too many digits."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """A stored phone as people read it: national format at home, international abroad."""
    try:
        number = phonenumbers.parse(e164, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return e164
    home = phonenumbers.region_code_for_number(number) == DEFAULT_REGION
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def international_phone(e164: str) -> str:
    """A stored phone in the international format ("+1 555-010-2001"), which reads as the
    same number whatever the region it is parsed with; as stored when it does not parse."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# postal codes written with a space before their last three characters ("K1A 0B1",
# "SW1A 1AA"), whether typed with it or not: stored and compared so
SPACED_POSTAL_CODES = {
    "CA": re.compile(r"^([A-Z]\d[A-Z]) ?(\d[A-Z]\d)$"),
    "GB": re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$"),
}


def canonical_postal_code(value: str, country: str) -> str:
    """A postal code as it is stored: upper case, spaces collapsed, and a Canadian or UK
    one with its space ("k1a0b1": "K1A 0B1")."""
    value = " ".join((value or "").upper().split())
    pattern = SPACED_POSTAL_CODES.get(country)
    found = pattern.match(value) if pattern else None
    return f"{found[1]} {found[2]}" if found else value


def postal_code_forms(value: str) -> set[str]:
    """The stored forms a postal code typed without its country may have: as typed (upper
    case) and, when it reads as a Canadian or UK one, with its space."""
    forms = {" ".join((value or "").upper().split())}
    for country in SPACED_POSTAL_CODES:
        forms.add(canonical_postal_code(value, country))
    return forms


def spaced_postal_code(query: str) -> str | None:
    """The query as a Canadian or UK postal code typed with its space ("K1A 0B1"), which
    the search takes as one word rather than two; None when it is not one."""
    if len(query.split()) != 2:
        return None
    for country in SPACED_POSTAL_CODES:
        canonical = canonical_postal_code(query, country)
        if SPACED_POSTAL_CODES[country].match(canonical):
            return canonical
    return None


def is_country_code(value: str) -> bool:
    """Whether ``value`` (upper case) is a country code: two ASCII letters ("US", "FR")."""
    return len(value) == 2 and value.isalpha() and value.isascii()


def check_postal_code(value: str, country: str) -> str:
    """The postal code, normalized; raises ValueError with the expected format."""
    value = canonical_postal_code(value, country)
    pattern = POSTAL_CODES.get(country)
    if pattern and not re.match(pattern[0], value, re.IGNORECASE):
        raise ValueError(
            _("Enter a postal code of %(country)s, like %(example)s.")
            % {"country": country, "example": pattern[1]}
        )
    if not 2 <= len(value) <= 12:
        raise ValueError(_("Enter a postal code."))
    return value
