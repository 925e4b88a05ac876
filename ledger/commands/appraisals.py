"""Appraisals (penilaian kinerja), their corrections, and supervisor or peer feedback."""

from __future__ import annotations

from ledger import values
from ledger.domain.employee import Employee
from ledger.nip import parse_nip
from ledger.period import parse_period
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.validation import Checker
from ledger.vocabulary import (
    FeedbackSource,
    Rating,
)


class AppraisalCommands(LedgerService):
    def record_appraisal(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        period: str,
        hasil_kerja: str,
        perilaku_kerja: str,
        appraiser_nip: str,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            c = Checker()
            parsed = c.parse("period", period, parse_period)
            hasil = c.enum("hasil_kerja", hasil_kerja, Rating)
            perilaku = c.enum("perilaku_kerja", perilaku_kerja, Rating)
            appraiser = c.parse("appraiser_nip", appraiser_nip, parse_nip)
            known = bool(
                appraiser and appraiser.value != employee.nip and self._exists(Employee, appraiser.value)
            )
            c.extend(employee.appraisal_problems(parsed, appraiser, known, self.today()))
            c.done()
            assert parsed and hasil and perilaku and appraiser
            eid = employee.record_appraisal(
                self.envelope(ctx),
                period=parsed,
                hasil_kerja=hasil,
                perilaku_kerja=perilaku,
                appraiser=appraiser,
                appraiser_known=known,
            )
            recorded = employee.appraisals[eid]
            return Pending(
                [employee],
                eid,
                {
                    "appraisal_id": eid,
                    "predikat": recorded["predikat"],
                    "rule_version": recorded["rule_version"],
                },
            )

        return self._execute(ctx, build)

    def correct_appraisal(
        self,
        ctx: CommandContext,
        nip: str,
        appraisal_id: str,
        *,
        reason: str,
        hasil_kerja: str | None = None,
        perilaku_kerja: str | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            employee.appraisal(appraisal_id)
            c = Checker()
            reason_ok = c.text("reason", reason)
            hasil = c.enum("hasil_kerja", hasil_kerja, Rating) if hasil_kerja is not None else None
            perilaku = (
                c.enum("perilaku_kerja", perilaku_kerja, Rating) if perilaku_kerja is not None else None
            )
            c.extend(Employee.correction_problems(hasil_kerja, perilaku_kerja))
            c.done()
            assert reason_ok
            eid = employee.correct_appraisal(
                self.envelope(ctx), appraisal_id, reason=reason_ok, hasil_kerja=hasil, perilaku_kerja=perilaku
            )
            corrected = employee.appraisals[appraisal_id]
            return Pending(
                [employee],
                eid,
                {
                    "appraisal_id": appraisal_id,
                    "correction_id": eid,
                    "predikat": corrected["predikat"],
                    "rule_version": corrected["rule_version"],
                },
            )

        return self._execute(ctx, build)

    def record_feedback(
        self, ctx: CommandContext, nip: str, *, source: str, score: int, comment: str | None = None
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            c = Checker()
            src = c.enum("source", source, FeedbackSource)
            c.extend(Employee.feedback_problems(src))
            score_ok = c.int_range("score", score, values.SCORE_MIN, values.SCORE_MAX)
            comment_ok = c.text("comment", comment, required=False)
            c.done()
            assert src and score_ok is not None
            eid = employee.receive_feedback(
                self.envelope(ctx), source=src, score=score_ok, comment=comment_ok
            )
            return Pending([employee], eid, {"feedback_id": eid})

        return self._execute(ctx, build)
