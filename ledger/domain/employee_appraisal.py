"""Appraisals of an employee: the ratings of PermenPANRB 6/2022, the numbers of the earlier rules
(PP 46/2011, PP 30/2019) and corrections. A mixin of Employee (ledger/domain/employee.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from ledger.domain.employee_state import EmployeeState
from ledger.domain.envelope import Envelope
from ledger.errors import FieldError, NotFound, PeriodAlreadyAppraised, reject
from ledger.nip import Nip
from ledger.period import Period, parse_period
from ledger.rules import PREDIKAT_RULES
from ledger.rules.appraisal import (
    ALL_FIELDS,
    APPRAISAL_RULES,
    NilaiKinerjaRule,
    PrestasiKerjaRule,
    fields_of,
    regulation_of,
)
from ledger.vocabulary import Rating


class EmployeeAppraisals(EmployeeState):
    def appraisal_problems(
        self, period: Period | None, appraiser: Nip | None, appraiser_known: bool, today: date
    ) -> list[FieldError]:
        problems = []
        if appraiser:
            if appraiser.value == self.nip:
                problems.append(FieldError("appraiser_nip", "an employee cannot appraise themselves"))
            elif not appraiser_known:
                problems.append(FieldError("appraiser_nip", "unknown NIP"))
        if period and period.start > today:
            problems.append(FieldError("period", "has not started yet"))
        if period and APPRAISAL_RULES.find(period.end) is None:
            problems.append(FieldError("period", APPRAISAL_RULES.describe_start()))
        return problems

    @staticmethod
    def appraisal_shape_problems(period: Period | None, given: Mapping[str, object]) -> list[FieldError]:
        """Each rule version takes its own inputs, picked by the period's end date: the ratings of
        PermenPANRB 6/2022, or the numbers of PP 46/2011 or PP 30/2019 (docs/RULES.md)."""
        rule = APPRAISAL_RULES.find(period.end) if period else APPRAISAL_RULES.versions[-1]
        if rule is None:
            return []  # the period's own problem names the missing rule
        wanted = fields_of(rule)
        under = f"{rule.version} ({regulation_of(rule)})"
        problems = [
            FieldError(name, f"not used for a period under {under}; give {', '.join(wanted)}")
            for name in ALL_FIELDS
            if name not in wanted and given.get(name) is not None
        ]
        optional = {"ide_baru"}
        problems += [
            FieldError(name, f"required for a period under {under}")
            for name in wanted
            if name not in optional and given.get(name) is None
        ]
        limits = {"nilai_skp": getattr(rule, "maximum", None), "nilai_perilaku": Decimal(100)}
        for name in ("nilai_skp", "nilai_perilaku"):
            value = given.get(name)
            top = limits[name]
            if name in wanted and isinstance(value, Decimal) and top is not None:
                if not Decimal(0) <= value <= top:
                    problems.append(FieldError(name, f"must be between 0 and {top}"))
                elif value != value.quantize(Decimal("0.01")):
                    problems.append(FieldError(name, "at most 2 decimal places"))
        return sorted(problems, key=lambda p: ALL_FIELDS.index(p.field))

    def record_appraisal(
        self,
        env: Envelope,
        *,
        period: Period,
        hasil_kerja: Rating,
        perilaku_kerja: Rating,
        appraiser: Nip,
        appraiser_known: bool,
    ) -> str:
        """Rate the period by the predikat rule in force at its end; one appraisal per period."""
        given = {"hasil_kerja": hasil_kerja, "perilaku_kerja": perilaku_kerja}
        reject(
            self.appraisal_problems(period, appraiser, appraiser_known, env.today)
            + self.appraisal_shape_problems(period, given)
        )
        self._no_overlap(period)
        rule = PREDIKAT_RULES.in_force(period.end)
        return self.record(
            self.AppraisalRecorded,
            env.at(period.end, rule_version=rule.version),
            period=period.text,
            hasil_kerja=hasil_kerja.value,
            perilaku_kerja=perilaku_kerja.value,
            predikat=rule.predikat(hasil_kerja, perilaku_kerja).value,
            appraiser_nip=appraiser.value,
        )

    def record_legacy_appraisal(
        self,
        env: Envelope,
        *,
        period: Period,
        nilai_skp: Decimal,
        nilai_perilaku: Decimal | None,
        ide_baru: bool | None,
        appraiser: Nip,
        appraiser_known: bool,
    ) -> str:
        """Rate a period before PermenPANRB 6/2022 by the rule in force at its end."""
        given = {"nilai_skp": nilai_skp, "nilai_perilaku": nilai_perilaku, "ide_baru": ide_baru}
        reject(
            self.appraisal_problems(period, appraiser, appraiser_known, env.today)
            + self.appraisal_shape_problems(period, given)
        )
        self._no_overlap(period)
        rule = APPRAISAL_RULES.in_force(period.end)
        if isinstance(rule, PrestasiKerjaRule):
            assert nilai_perilaku is not None
            nilai = rule.nilai(nilai_skp, nilai_perilaku)
            predikat = rule.sebutan(nilai)
        else:
            assert isinstance(rule, NilaiKinerjaRule)
            nilai, predikat = nilai_skp, rule.predikat(nilai_skp, bool(ide_baru))
        return self.record(
            self.LegacyAppraisalRecorded,
            env.at(period.end, rule_version=rule.version),
            period=period.text,
            nilai_skp=_plain(nilai_skp),
            nilai_perilaku=_plain(nilai_perilaku) if nilai_perilaku is not None else None,
            ide_baru=ide_baru,
            nilai=_plain(nilai),
            predikat=predikat,
            appraiser_nip=appraiser.value,
        )

    def _no_overlap(self, period: Period) -> None:
        for existing in self.appraisal_periods():
            if parse_period(existing).overlaps(period):
                raise PeriodAlreadyAppraised(
                    f"period {period.text} is already appraised ({existing}); record a correction"
                )

    def appraisal(self, appraisal_id: str) -> dict[str, Any]:
        appraisal = self.appraisals.get(appraisal_id)
        if appraisal is None:
            raise NotFound(f"unknown appraisal {appraisal_id} for this employee")
        return appraisal

    @staticmethod
    def correction_problems(hasil_kerja: object, perilaku_kerja: object) -> list[FieldError]:
        if hasil_kerja is None and perilaku_kerja is None:
            return [FieldError("hasil_kerja", "give hasil_kerja, perilaku_kerja or both")]
        return []

    @staticmethod
    def legacy_correction_problems(appraisal: Mapping[str, Any]) -> list[FieldError]:
        """Corrections re-rate hasil_kerja/perilaku_kerja: an appraisal under an earlier rule has
        numbers instead, which a correction does not take yet (docs/RULES.md)."""
        if appraisal.get("hasil_kerja") is not None:
            return []
        return [
            FieldError(
                "hasil_kerja",
                f"appraisal {appraisal['appraisal_id']} is under {appraisal['rule_version']}, which has "
                "no ratings to correct; a correction of its numbers is not supported",
            )
        ]

    def correct_appraisal(
        self,
        env: Envelope,
        appraisal_id: str,
        *,
        reason: str,
        hasil_kerja: Rating | None,
        perilaku_kerja: Rating | None,
    ) -> str:
        """A correction re-rates under the rule of the appraisal's own period."""
        appraisal = self.appraisal(appraisal_id)
        reject(
            self.correction_problems(hasil_kerja, perilaku_kerja) + self.legacy_correction_problems(appraisal)
        )
        new_hasil = hasil_kerja or Rating(appraisal["hasil_kerja"])
        new_perilaku = perilaku_kerja or Rating(appraisal["perilaku_kerja"])
        effective = date.fromisoformat(appraisal["effective_date"])
        rule = PREDIKAT_RULES.in_force(effective)
        return self.record(
            self.AppraisalCorrected,
            env.at(effective, rule_version=rule.version),
            appraisal_id=appraisal_id,
            hasil_kerja=new_hasil.value,
            perilaku_kerja=new_perilaku.value,
            predikat=rule.predikat(new_hasil, new_perilaku).value,
            reason=reason,
        )

    def appraisal_periods(self) -> list[str]:
        return [a["period"] for a in self.appraisals.values()]


def _plain(value: Decimal) -> str:
    """A decimal as plain digits, never in exponent form ("87.5", "90")."""
    return f"{value.normalize():f}"
