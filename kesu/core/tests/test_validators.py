"""Chinese identifiers: mainland mobile numbers, licence plates (GA 36-2018) and VINs (ISO 3779).

Messages are checked only for what is language independent (numbers, the expected check digit),
so the tests hold whether gettext answers in English or Chinese.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kesu.core.validators import (
    PROVINCES,
    mask_mobile,
    normalize_mobile,
    normalize_plate,
    normalize_vin,
    vin_check_digit,
    with_check_digit,
)

# No example database: hypothesis must not write a .hypothesis/ directory into the repository.
FAST = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

VIN_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"  # no I, O, Q
CHECK_VALUES = "0123456789X"
# Unicode decimal digits that NFKC does NOT fold to ASCII (Arabic-Indic, Devanagari, Thai…).
NON_ASCII_DIGITS = "١٢٣٤٥٦٧٨٩०१२३४५६७८९๑๒๓"


# --- mobile numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812341234", "13812341234"),
        ("138 1234 1234", "13812341234"),
        (" 138 1234 1234 ", "13812341234"),
        ("138-1234-1234", "13812341234"),
        ("+86 138 1234 1234", "13812341234"),
        ("+8613812341234", "13812341234"),
        ("+86-138-1234-1234", "13812341234"),
        ("008613812341234", "13812341234"),
        ("１３８１２３４１２３４", "13812341234"),  # full-width digits from a Chinese IME
        ("＋８６ １３８ １２３４ １２３４", "13812341234"),  # full-width plus and spaces
        ("138\u30001234\u30001234", "13812341234"),  # ideographic space
        ("19912345678", "19912345678"),
        ("16612345678", "16612345678"),
    ],
)
def test_valid_mobile_numbers_are_normalised(raw: str, expected: str) -> None:
    assert normalize_mobile(raw) == expected


@pytest.mark.parametrize(
    ("raw", "number_in_message"),
    [
        ("1381234123", "10"),  # 10 digits
        ("138123412345", "12"),  # 12 digits
        ("+86 138 1234 123", "10"),
    ],
)
def test_wrong_length_is_refused_and_the_message_gives_the_count(raw: str, number_in_message: str) -> None:
    with pytest.raises(ValueError, match=number_in_message):
        normalize_mobile(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "12812341234",  # mainland mobiles start 13–19
        "11812341234",
        "10812341234",
        "23812341234",
        "1381234abcd",  # letters
        "138I2341234",  # I for 1
        "138O2341234",  # O for 0
        "",
        "   ",
        "+86",
        "+87 138 1234 1234",
        "138/1234/1234",
        "(138)12341234",
    ],
)
def test_invalid_mobile_numbers_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        normalize_mobile(raw)


@FAST
@given(st.integers(min_value=3, max_value=9), st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_mainland_mobile_prefix_13_to_19_is_accepted(second: int, rest: str) -> None:
    number = f"1{second}{rest}"
    assert normalize_mobile(number) == number
    assert normalize_mobile(f"+86 {number[:3]} {number[3:7]} {number[7:]}") == number


@FAST
@given(
    st.one_of(
        st.text(max_size=20),
        st.text(alphabet="0123456789０１２３４５６７８９ -+" + NON_ASCII_DIGITS, max_size=16).map(
            lambda tail: "13" + tail
        ),
    )
)
def test_an_accepted_mobile_is_always_eleven_ascii_digits(raw: str) -> None:
    try:
        mobile = normalize_mobile(raw)
    except ValueError:
        return
    assert len(mobile) == 11 and mobile.isascii() and mobile.isdigit(), repr(mobile)


@pytest.mark.parametrize("digit", ["١", "५", "๓"])  # Arabic-Indic, Devanagari, Thai
def test_non_ascii_decimal_digits_are_not_a_mobile_number(digit: str) -> None:
    """``str.isdigit`` and ``\\d`` accept any Unicode decimal digit, and NFKC leaves Arabic-Indic
    or Devanagari digits alone: such a value must be refused, not stored as the customer's
    "canonical" mobile (SMS gateways and the 11-digit phone search would never match it)."""
    with pytest.raises(ValueError):
        normalize_mobile("138" + digit * 8)


# --- mask_mobile ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mobile", "masked"),
    [
        ("13812341234", "138****1234"),
        ("19900000000", "199****0000"),
        ("123456", "******"),
        ("", ""),
        ("1", "*"),
    ],
)
def test_mask_mobile(mobile: str, masked: str) -> None:
    assert mask_mobile(mobile) == masked


@FAST
@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_masking_an_eleven_digit_mobile_hides_the_middle_four(mobile: str) -> None:
    masked = mask_mobile(mobile)
    assert len(masked) == 11
    assert masked[:3] == mobile[:3]
    assert masked[3:7] == "****"
    assert masked[7:] == mobile[7:]


# --- plates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("京A12345", "京A12345"),
        ("粤B12345", "粤B12345"),
        ("沪CA1234", "沪CA1234"),
        ("京n12345", "京N12345"),  # lower case
        ("京A·12345", "京A12345"),  # the dot printed on the plate
        ("京A 12345", "京A12345"),
        ("京A-12345", "京A12345"),
        ("京Ａ１２３４５", "京A12345"),  # full width
        ("粤B·D1234", "粤BD1234"),  # a 7-character ordinary plate whose serial starts with D
        ("粤A1234挂", "粤A1234挂"),  # trailer
        ("粤A1234学", "粤A1234学"),  # driving school
        ("粤Z1234港", "粤Z1234港"),  # Hong Kong cross-border
        ("粤Z1234澳", "粤Z1234澳"),
        ("粤A1234领", "粤A1234领"),  # consulate
        # New-energy, small vehicles: D (pure electric) / F (other), then a letter or digit,
        # then four digits.
        ("粤BD12345", "粤BD12345"),
        ("粤BF12345", "粤BF12345"),
        ("粤BDA1234", "粤BDA1234"),
        ("粤BFA1234", "粤BFA1234"),
        ("粤B·D12345", "粤BD12345"),
        ("粤bd12345", "粤BD12345"),
        # New-energy, large vehicles: five digits then D / F.
        ("粤B12345D", "粤B12345D"),
        ("粤B12345F", "粤B12345F"),
    ],
)
def test_valid_plates_are_normalised(raw: str, expected: str) -> None:
    assert normalize_plate(raw) == expected


@pytest.mark.parametrize("province", PROVINCES)
def test_every_province_abbreviation_is_accepted(province: str) -> None:
    assert normalize_plate(f"{province}A12345") == f"{province}A12345"
    assert normalize_plate(f"{province}AD12345") == f"{province}AD12345"


@pytest.mark.parametrize(
    "raw",
    [
        # letters I and O are never used
        "京I12345",
        "京O12345",
        "京A1234I",
        "京AO1234",
        "粤BDI1234",
        "粤BDO1234",
        # not a province abbreviation
        "港A12345",
        "台A12345",
        "中A12345",
        "AA12345",
        "A京12345",
        # wrong length
        "京A1234",
        "京A123",
        "京A1234567",
        "粤BD123456",
        "",
        # the second character must be the issuing authority's letter
        "京112345",
        "京京12345",
        # new-energy with D/F in the wrong place
        "粤B1D2345",
        "粤B12D345",
        "粤B123D45",
        "粤B1234D5",
        "粤BA12345",  # 8 characters but neither D/F first nor last
        "粤B12345A",
        "粤BDD1234D",
        # small new-energy: after D/F one letter-or-digit, then FOUR DIGITS (GA 36-2018)
        "粤BF1A234",
        "粤BDAB123",
        "粤BD1234A",
        # large new-energy: the first five must be digits
        "粤BA1234D",
        "粤B1A234F",
        # consulate plates have four digits
        "粤AA123领",
        "粤A12345领",
        # symbols
        "京A1234!",
        "京A12_45",
    ],
)
def test_invalid_plates_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        normalize_plate(raw)


def test_wrong_length_message_gives_the_length() -> None:
    with pytest.raises(ValueError, match="9"):
        normalize_plate("京A1234567")


@pytest.mark.parametrize(
    "raw",
    ["粤BD1١٢٣٤", "粤B١٢٣٤٥D", "粤A١٢٣٤领", "粤BD१२३४५"],
)
def test_non_ascii_digits_are_not_a_plate(raw: str) -> None:
    """``\\d`` in the new-energy and consulate patterns matches any Unicode decimal digit."""
    with pytest.raises(ValueError):
        normalize_plate(raw)


_PLATE_TAIL = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789挂学警港澳领"


@FAST
@given(
    st.sampled_from(PROVINCES),
    st.text(
        alphabet=st.one_of(
            st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789挂学警港澳领 ·-"),
            st.sampled_from(NON_ASCII_DIGITS),
        ),
        min_size=5,
        max_size=8,
    ),
)
def test_an_accepted_plate_has_only_plate_characters(province: str, tail: str) -> None:
    try:
        plate = normalize_plate(province + tail)
    except ValueError:
        return
    assert plate[0] in PROVINCES
    assert len(plate) in (7, 8)
    assert all(ch in _PLATE_TAIL for ch in plate[1:]), repr(plate)
    assert "I" not in plate and "O" not in plate
    assert normalize_plate(plate) == plate  # canonical forms are fixed points


# --- VINs ---------------------------------------------------------------------------------------

# ISO 3779 / FMVSS 565 textbook example whose check digit is X.
VIN_WITH_X = "1M8GDM9AXKP042788"


@pytest.mark.parametrize(
    "vin",
    [
        VIN_WITH_X,
        "11111111111111111",  # the check digit of all ones is 1
        "LGBH52E00KY123450",
        with_check_digit("LGBH52E05KY123450"),
        with_check_digit("LSVAM4187C2184847"),
    ],
)
def test_valid_vins_are_accepted(vin: str) -> None:
    assert normalize_vin(vin) == vin


def test_the_x_check_digit_is_computed_and_accepted() -> None:
    assert vin_check_digit(VIN_WITH_X) == "X"
    assert with_check_digit("1M8GDM9A0KP042788") == VIN_WITH_X
    assert normalize_vin(VIN_WITH_X.lower()) == VIN_WITH_X


@pytest.mark.parametrize(
    "raw",
    [
        "1m8gdm9axkp042788",
        " 1M8G DM9A XKP0 4278 8 ",
        "1M8-GDM9AX-KP042788",
        "１Ｍ８ＧＤＭ９ＡＸＫＰ０４２７８８",
    ],
)
def test_vin_typing_variants_are_normalised(raw: str) -> None:
    assert normalize_vin(raw) == VIN_WITH_X


@pytest.mark.parametrize(
    ("raw", "count"),
    [("1M8GDM9AXKP04278", "16"), ("1M8GDM9AXKP0427880", "18"), ("", "0")],
)
def test_vin_of_wrong_length_is_refused(raw: str, count: str) -> None:
    with pytest.raises(ValueError, match=count):
        normalize_vin(raw)


@pytest.mark.parametrize("letter", "IOQ")
def test_vin_with_i_o_q_is_refused_naming_the_letter(letter: str) -> None:
    vin = with_check_digit("LGBH52E00KY12345" + "0")
    bad = vin[:12] + letter + vin[13:]
    with pytest.raises(ValueError, match=letter):
        normalize_vin(bad)


def test_wrong_check_digit_is_refused_and_the_message_names_the_expected_digit() -> None:
    vin = with_check_digit("LGBH52E05KY123450")
    expected = vin[8]
    wrong = "7" if expected != "7" else "3"
    with pytest.raises(ValueError) as info:
        normalize_vin(vin[:8] + wrong + vin[9:])
    message = str(info.value)
    assert expected in message and wrong in message


def test_wrong_x_check_digit_message_names_x() -> None:
    with pytest.raises(ValueError, match="X"):
        normalize_vin(VIN_WITH_X[:8] + "1" + VIN_WITH_X[9:])


_vin_bodies = st.text(alphabet=VIN_ALPHABET, min_size=17, max_size=17)


@settings(max_examples=500, deadline=None, database=None)
@given(_vin_bodies, st.sampled_from(VIN_ALPHABET))
def test_with_check_digit_is_accepted_and_any_other_check_character_is_refused(body: str, other: str) -> None:
    vin = with_check_digit(body)
    assert len(vin) == 17
    assert vin[:8] == body[:8] and vin[9:] == body[9:]
    assert vin[8] in CHECK_VALUES
    assert normalize_vin(vin) == vin
    assert normalize_vin(vin.lower()) == vin
    for replacement in (*CHECK_VALUES, other):
        if replacement == vin[8]:
            continue
        tampered = vin[:8] + replacement + vin[9:]
        with pytest.raises(ValueError) as info:
            normalize_vin(tampered)
        assert vin[8] in str(info.value)


@settings(max_examples=300, deadline=None, database=None)
@given(_vin_bodies, st.integers(min_value=0, max_value=16), st.sampled_from(VIN_ALPHABET))
def test_changing_any_single_character_other_than_the_check_digit_is_usually_caught(
    body: str, position: int, replacement: str
) -> None:
    """The weights make every single substitution at a weighted position change the sum unless
    the transliterated values are equal (e.g. A and J both count 1)."""
    vin = with_check_digit(body)
    if position == 8 or vin[position] == replacement:
        return
    tampered = vin[:position] + replacement + vin[position + 1 :]
    from kesu.core import validators

    same_value = validators._VIN_VALUES[vin[position]] == validators._VIN_VALUES[replacement]
    if same_value:
        assert normalize_vin(tampered) == tampered
    else:
        with pytest.raises(ValueError):
            normalize_vin(tampered)
