"""Retirement age (batas usia pensiun, BUP) by the category of the post.

UU 5/2014 Pasal 90 and PP 11/2017 Pasal 239 as amended by PP 17/2020: 58 years for
administrative posts and junior functional posts (ahli pertama, ahli muda and the skill
grades), 60 for high leadership posts (JPT) and ahli madya, 65 for ahli utama. Not checked
against the regulation's text here: see docs/SERVICE.md.

Positions are free text, so the category is derived from the position's words, conservatively:
a post is taken as the lowest category (58) unless its text names a higher one, so an employee
is flagged too early rather than too late.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

from ledger.rules.base import RuleHistory


class PostCategory(StrEnum):
    ADMINISTRASI_DAN_FUNGSIONAL = "ADMINISTRASI_DAN_FUNGSIONAL"  # administrative, junior functional
    JPT_DAN_AHLI_MADYA = "JPT_DAN_AHLI_MADYA"
    AHLI_UTAMA = "AHLI_UTAMA"


@dataclass(frozen=True)
class Retirement:
    """What the rule gives for one employee: the category, the age, when it is reached."""

    category: PostCategory
    age: int
    reached_on: date  # the birthday on which the employee reaches the BUP
    pension_from: date  # the first day of the following month: no longer in service from then
    rule_version: str


@dataclass(frozen=True)
class RetirementRule:
    version: str
    legal_basis: str
    effective_from: date
    ages: Mapping[PostCategory, int]
    # Words of the position text (case-insensitive, whole words) that name a category above the
    # lowest one; checked from the highest category down.
    words: Mapping[PostCategory, tuple[str, ...]]
    # Posts that contain such words but belong to the lowest category (an inspektur pembantu is
    # an administrator under the inspektur, a JPT).
    not_words: tuple[str, ...] = ()

    def category(self, position: str) -> PostCategory:
        text = " ".join(position.casefold().split())
        if any(_has(text, w) for w in self.not_words):
            return PostCategory.ADMINISTRASI_DAN_FUNGSIONAL
        for category in (PostCategory.AHLI_UTAMA, PostCategory.JPT_DAN_AHLI_MADYA):
            if any(_has(text, w) for w in self.words[category]):
                return category
        return PostCategory.ADMINISTRASI_DAN_FUNGSIONAL

    def of(self, birth_date: date, position: str) -> Retirement:
        category = self.category(position)
        age = self.ages[category]
        reached = _birthday(birth_date, age)
        following = date(reached.year + reached.month // 12, reached.month % 12 + 1, 1)
        return Retirement(category, age, reached, following, self.version)


def _has(text: str, words: str) -> bool:
    return _word_pattern(words).search(text) is not None


@lru_cache(maxsize=256)
def _word_pattern(words: str) -> re.Pattern[str]:
    # Compiled once per word list: the employees read model asks for every employee of a batch.
    return re.compile(rf"\b{re.escape(words)}\b")


def _birthday(birth: date, age: int) -> date:
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:  # born on 29 February
        return date(birth.year + age, 3, 1)


RETIREMENT_RULES: RuleHistory[RetirementRule] = RuleHistory(
    (
        RetirementRule(
            version="bup/2017.1",
            legal_basis=(
                "UU 5/2014 Pasal 90; PP 11/2017 Pasal 239 sebagaimana diubah PP 17/2020 "
                "(not checked against the text)"
            ),
            effective_from=date(2017, 3, 30),
            ages={
                PostCategory.ADMINISTRASI_DAN_FUNGSIONAL: 58,
                PostCategory.JPT_DAN_AHLI_MADYA: 60,
                PostCategory.AHLI_UTAMA: 65,
            },
            words={
                PostCategory.AHLI_UTAMA: ("ahli utama",),
                # The JPT of a kabupaten/kota (UU 5/2014 Pasal 19: JPT madya, the sekretaris
                # daerah; JPT pratama, the heads of its dinas and badan, the inspektur, the
                # asisten, staf ahli and sekretaris DPRD, the heads of Satpol PP and of the
                # BPBD's executive, a regional hospital's director), and ahli madya.
                PostCategory.JPT_DAN_AHLI_MADYA: (
                    "ahli madya",
                    "sekretaris daerah",
                    "sekretaris dprd",
                    "kepala dinas",
                    "kepala badan",
                    "staf ahli",
                    "asisten",
                    "inspektur",
                    "kepala satuan polisi pamong praja",
                    "kepala pelaksana",
                    "direktur",
                ),
            },
            not_words=("inspektur pembantu",),
        ),
    )
)
