"""Appraisals (penilaian kinerja), their corrections, and supervisor or peer feedback."""

from __future__ import annotations

from decimal import Decimal

from ledger.boundary import command
from ledger.domain.employee import Employee
from ledger.errors import reject
from ledger.nip import Nip
from ledger.period import Period
from ledger.service import CommandContext, CommandResult, LedgerService, Pending
from ledger.values import Score, Text
from ledger.vocabulary import FeedbackSource, Rating


class AppraisalCommands(LedgerService):
    @command
    def record_appraisal(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        period: Period,
        appraiser_nip: Nip,
        hasil_kerja: Rating | None = None,
        perilaku_kerja: Rating | None = None,
        nilai_skp: Decimal | None = None,
        nilai_perilaku: Decimal | None = None,
        ide_baru: bool | None = None,
    ) -> CommandResult:
        """The inputs follow the rule of the period's end: hasil_kerja and perilaku_kerja under
        PermenPANRB 6/2022; nilai_skp and nilai_perilaku under PP 46/2011 (2014-2020); nilai_skp
        and ide_baru under PP 30/2019 (2021)."""
        given = {
            "hasil_kerja": hasil_kerja,
            "perilaku_kerja": perilaku_kerja,
            "nilai_skp": nilai_skp,
            "nilai_perilaku": nilai_perilaku,
            "ide_baru": ide_baru,
        }

        def build() -> Pending:
            employee = self._employee(ctx, nip)
            known = appraiser_nip.value != employee.nip and self._exists(Employee, appraiser_nip.value)
            reject(
                employee.appraisal_problems(period, appraiser_nip, known, self.today())
                + Employee.appraisal_shape_problems(period, given)
            )
            if hasil_kerja is not None and perilaku_kerja is not None:
                eid = employee.record_appraisal(
                    self.envelope(ctx),
                    period=period,
                    hasil_kerja=hasil_kerja,
                    perilaku_kerja=perilaku_kerja,
                    appraiser=appraiser_nip,
                    appraiser_known=known,
                )
            else:
                assert nilai_skp is not None  # the shape check above
                eid = employee.record_legacy_appraisal(
                    self.envelope(ctx),
                    period=period,
                    nilai_skp=nilai_skp,
                    nilai_perilaku=nilai_perilaku,
                    ide_baru=ide_baru,
                    appraiser=appraiser_nip,
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
                    **({"nilai": recorded["nilai"]} if "nilai" in recorded else {}),
                },
            )

        return self._execute(ctx, build)

    @command
    def correct_appraisal(
        self,
        ctx: CommandContext,
        nip: str,
        appraisal_id: str,
        *,
        reason: Text,
        hasil_kerja: Rating | None = None,
        perilaku_kerja: Rating | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            eid = employee.correct_appraisal(
                self.envelope(ctx),
                appraisal_id,
                reason=reason,
                hasil_kerja=hasil_kerja,
                perilaku_kerja=perilaku_kerja,
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

    @command
    def record_feedback(
        self,
        ctx: CommandContext,
        nip: str,
        *,
        source: FeedbackSource,
        score: Score,
        comment: Text | None = None,
    ) -> CommandResult:
        def build() -> Pending:
            employee = self._employee(ctx, nip)
            eid = employee.receive_feedback(self.envelope(ctx), source=source, score=score, comment=comment)
            return Pending([employee], eid, {"feedback_id": eid})

        return self._execute(ctx, build, append_only=True)
