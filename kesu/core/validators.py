"""Validation of Chinese identifiers: mainland mobile numbers, licence plates and VINs.

Each ``normalize_*`` returns the canonical form or raises ``ValueError`` with a message for the
person typing it; services turn that into an error naming the field.
"""

import os
import re
import unicodedata
from collections.abc import Callable

from django.utils.translation import gettext as _

_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_LETTER = "A-HJ-NP-Z"  # plates never use I or O
_PLATE_ORDINARY = re.compile(rf"^[{PROVINCES}][{_LETTER}][{_LETTER}0-9]{{4}}[{_LETTER}0-9挂学警港澳]$")
# New-energy plates (8 characters): small cars D/F + 5, large vehicles 5 digits + D/F.
_PLATE_NEW_ENERGY = re.compile(rf"^[{PROVINCES}][{_LETTER}](?:[DF][{_LETTER}0-9][0-9]{{4}}|[0-9]{{5}}[DF])$")
_PLATE_CONSULATE = re.compile(rf"^[{PROVINCES}][{_LETTER}][0-9]{{4}}领$")

_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}


def too_long(limit: int) -> str:
    """The one message for a text over its length limit, wherever the limit is."""
    return _("At most %(n)d characters.") % {"n": limit}


def _compact(value: str) -> str:
    value = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"[\s\-·•.]", "", value).upper()


def normalize_mobile(value: str) -> str:
    digits = _compact(value)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not digits:
        raise ValueError(_("Enter the customer's mobile number."))
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(_("A mobile number has digits only."))
    if len(digits) != 11:
        raise ValueError(_("A mainland mobile number has 11 digits (got %(n)d).") % {"n": len(digits)})
    if not _MOBILE.match(digits):
        raise ValueError(_("A mainland mobile number starts with 13–19."))
    return digits


def mask_mobile(mobile: str) -> str:
    """138****1234: what lists show to everyone."""
    if len(mobile) < 7:
        return "*" * len(mobile)
    return f"{mobile[:3]}****{mobile[-4:]}"


def mask_name(name: str) -> str:
    """张三丰 → 张**: the family name only, for roles that do not deal with the customer."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_plate(plate: str) -> str:
    """粤B12345 → 粤B·***45, 粤BD12345 → 粤B·****45: the province and the city's letter (where
    the car is registered, as statistics need it) and the last two characters; the rest, which
    tells one car from another, is hidden."""
    plate = plate or ""
    if len(plate) < 5:
        return "*" * len(plate)
    return f"{plate[:2]}·{'*' * (len(plate) - 4)}{plate[-2:]}"


VIN_SHOWN = 11


def mask_vin(vin: str) -> str:
    """LFV2A21K5N3123456 → LFV2A21K5N3******: the maker, the model, the engine, the model year and
    the plant (what quality statistics group by) are kept; the six-character serial number, which
    identifies the car (车架号后六位 is what owners and insurers quote to prove it is theirs), is
    hidden."""
    vin = vin or ""
    if len(vin) <= VIN_SHOWN:
        return "*" * len(vin)
    return vin[:VIN_SHOWN] + "*" * (len(vin) - VIN_SHOWN)


def normalized_or_empty(normalize: Callable[[str], str], value: str) -> str:
    """``normalize(value)``, or "" when the value is not one (a search term that may be a plate,
    a VIN or a phone, or none of them)."""
    try:
        return normalize(value)
    except ValueError:
        return ""


def normalize_plate(value: str) -> str:
    plate = _compact(value)
    if not plate:
        raise ValueError(_("Enter the licence plate."))
    if plate[0] not in PROVINCES:
        raise ValueError(_("A plate starts with a province abbreviation such as 京 or 粤."))
    if len(plate) not in (7, 8):
        raise ValueError(
            _("A plate has 7 characters, or 8 for a new-energy vehicle (got %(n)d).") % {"n": len(plate)}
        )
    if any(patt.match(plate) for patt in (_PLATE_ORDINARY, _PLATE_NEW_ENERGY, _PLATE_CONSULATE)):
        return plate
    if len(plate) == 8:
        raise ValueError(
            _("A new-energy plate has D or F after the city letter, or at the end (e.g. 粤BD12345).")
        )
    raise ValueError(_("Not a valid plate: letters I and O are never used, e.g. 京A12345."))


def vin_check_digit(vin: str) -> str:
    total = sum(_VIN_VALUES[ch] * weight for ch, weight in zip(vin, _VIN_WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def normalize_vin(value: str) -> str:
    vin = _compact(value)
    if len(vin) != 17:
        raise ValueError(_("A VIN has 17 characters (got %(n)d).") % {"n": len(vin)})
    bad = sorted({ch for ch in vin if ch not in _VIN_VALUES})
    if bad:
        raise ValueError(
            _("A VIN never contains %(chars)s (I, O and Q are not used).") % {"chars": "".join(bad)}
        )
    expected = vin_check_digit(vin)
    if vin[8] != expected:
        raise ValueError(
            _("The VIN check digit (9th character) should be %(expected)s, not %(got)s.")
            % {"expected": expected, "got": vin[8]}
        )
    return vin


def with_check_digit(vin_without_check: str) -> str:
    """Complete a 17-character VIN whose 9th character is a placeholder (demo and bench data)."""
    vin = vin_without_check[:8] + "0" + vin_without_check[9:]
    return vin[:8] + vin_check_digit(vin) + vin[9:]


# A file system stores at most 255 bytes per name (ext4, XFS, APFS); Django may add "_" and
# seven characters when the name is taken, so a stored name keeps well under that.
FILE_NAME_BYTES = 200


def safe_file_name(name: str, *, max_bytes: int = FILE_NAME_BYTES, max_chars: int = 200) -> str:
    """The upload's base name cut to ``max_bytes`` of UTF-8 and ``max_chars`` characters, its
    extension kept: a name of 84 Chinese characters is 252 bytes, over the file system's limit,
    and cutting by characters alone would both fail there and lose ``.pdf`` from a long ASCII name."""
    base = os.path.basename(name.replace("\\", "/")).strip() or "file"
    stem, extension = os.path.splitext(base)
    if len(extension.encode()) > 16 or not stem:  # no real extension: cut the whole name
        stem, extension = base, ""
    room_bytes = max_bytes - len(extension.encode())
    room_chars = max_chars - len(extension)
    kept = stem[:room_chars].encode()[:room_bytes].decode("utf-8", errors="ignore")
    return (kept or "file") + extension
