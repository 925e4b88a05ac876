"""NIP parsing at its exact edges: the messages a 422 carries, the 1900 floor, the age-18 month.

Written against surviving mutants of ledger/nip.py (docs/TESTING.md): each test pins one
behaviour a one-token change would alter without any other test noticing.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from ledger.nip import MIN_AGE_AT_TMT, Nip, parse_nip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("19850315201001100", "NIP must be exactly 18 digits"),
        ("198502302010011002", "digits 1-8 must be a valid birth date YYYYMMDD"),
        ("198503152010131002", "digits 9-14 must be a valid TMT month YYYYMM"),
        ("198503152002121002", "TMT must be at least 18 years after the birth date"),
        ("198503152010013002", "digit 15 (sex) must be 1 or 2"),
    ],
)
def test_each_faulty_part_has_its_own_exact_message(text: str, message: str) -> None:
    # The message is the `reason` of the 422 field error a client shows: its wording is contract.
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_nip(text)


def test_tmt_year_1900_is_the_first_accepted_year() -> None:
    # born 1880-01-01, TMT 1900-01: the oldest TMT the format admits, at exactly 20 years of age
    assert parse_nip("188001011900011001") == Nip(
        value="188001011900011001",
        birth_date=date(1880, 1, 1),
        tmt=date(1900, 1, 1),
        sex=1,
        serial="001",
    )
    with pytest.raises(ValueError, match=r"^digits 9-14 must be a valid TMT month YYYYMM$"):
        parse_nip("187901011899121001")


def test_tmt_in_the_month_of_the_eighteenth_birthday_is_accepted_one_month_earlier_is_not() -> None:
    assert MIN_AGE_AT_TMT == 18
    # born 1985-03-15: TMT 2003-03 is the first month the person is (or turns) 18
    assert parse_nip("198503152003031002").tmt == date(2003, 3, 1)
    with pytest.raises(ValueError, match=r"^TMT must be at least 18 years after the birth date$"):
        parse_nip("198503152003021002")


@pytest.mark.parametrize(
    "text",
    [
        "198503152010011002\n",  # `$` lets a trailing newline through; a fullmatch does not
        "١٩٨٥٠٣١٥٢٠١٠٠١١٠٠٢",  # Arabic-Indic digits: `\d` matches them and int() reads them
    ],
)
def test_a_nip_is_exactly_eighteen_ascii_digits(text: str) -> None:
    with pytest.raises(ValueError, match="NIP must be exactly 18 digits"):
        parse_nip(text)
