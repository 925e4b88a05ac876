"""A sanction's lifecycle, in one place: the statuses a decision goes through, how each later event
moves it, and when its penalty is in force (PP 94/2021; PP 53/2010 for earlier decisions).

- `SanctionStatus` is what the decision has become: IMPOSED, then MODIFIED or ANNULLED by an
  appeal decision, or REVOKED by a revocation. `after_appeal` and `after_revocation` are the
  reducer: the Employee aggregate, the read models and the inspectorate all move a sanction's
  status through them, so no two places can disagree on what an event does.
- `Standing` is where the penalty stands on a given day: NOT_YET_IN_FORCE, IN_FORCE, ENDED,
  ANNULLED or REVOKED (from the revocation date).

Nothing here imports the aggregates: the domain model uses this module, not the other way round.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from ledger.rules import DISCIPLINE_RULES
from ledger.vocabulary import AppealOutcome, Level, PenaltyCode


class SanctionStatus(StrEnum):
    IMPOSED = "IMPOSED"
    MODIFIED = "MODIFIED"
    ANNULLED = "ANNULLED"
    REVOKED = "REVOKED"


# A decision that still stands: neither annulled on appeal nor revoked.
STANDING = frozenset({SanctionStatus.IMPOSED, SanctionStatus.MODIFIED})


class Standing(StrEnum):
    NOT_YET_IN_FORCE = "NOT_YET_IN_FORCE"
    IN_FORCE = "IN_FORCE"
    ENDED = "ENDED"
    ANNULLED = "ANNULLED"
    REVOKED = "REVOKED"


def after_appeal(status: SanctionStatus | str, outcome: AppealOutcome | str) -> SanctionStatus:
    """ANNULLED ends the decision, MODIFIED replaces its penalty, UPHELD leaves it as it was."""
    decided = AppealOutcome(outcome)
    if decided is AppealOutcome.ANNULLED:
        return SanctionStatus.ANNULLED
    if decided is AppealOutcome.MODIFIED:
        return SanctionStatus.MODIFIED
    return SanctionStatus(status)


def after_revocation(status: SanctionStatus | str) -> SanctionStatus:
    """A revocation ends the decision from its own date, whatever the decision had become."""
    SanctionStatus(status)  # a status this module does not know is a bug, not a revocation
    return SanctionStatus.REVOKED


def stands(status: SanctionStatus | str) -> bool:
    return SanctionStatus(status) in STANDING


def penalty_level(penalty: PenaltyCode | str, rule_version: str | None, decided_on: date) -> Level:
    """The level of the penalty imposed (PP 94/2021 Pasal 8: each jenis hukuman has its tingkat),
    from the rule table of the version the event recorded (else the one in force on its date).

    This, never the level of the violation, is the sanction's level for award eligibility, the
    score and the registers: `SanctionImposed.level` is the heaviest violation's level as the
    decision states it, which the inspectorate's check 1 compares with the penalty. An appeal's
    MODIFIED outcome replaces the penalty, and with it the level."""
    recorded = [r for r in DISCIPLINE_RULES.versions if r.version == rule_version]
    rule = recorded[0] if recorded else DISCIPLINE_RULES.in_force(decided_on)
    return rule.penalty(PenaltyCode(penalty)).level


# ----------------------------------------------------------------------------- time in force


def penalty_end(start: date, months: int | None) -> date | None:
    """Exclusive end of a penalty of `months` from `start` (None: no end)."""
    if months is None:
        return None
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def ringan_end(start: date) -> date:
    """A ringan penalty has no duration: it is in force on its effective date only."""
    return start + timedelta(days=1)


def natural_end(sanction: Mapping[str, Any]) -> date | None:
    """Exclusive end of the penalty as decided (after appeals): its duration's end; a penalty
    without duration (ringan) is carried out on its effective date; None: permanent."""
    if sanction.get("in_force_until"):
        return date.fromisoformat(sanction["in_force_until"])
    rule = DISCIPLINE_RULES.in_force(date.fromisoformat(sanction["decided_on"]))
    if rule.penalty(PenaltyCode(sanction["penalty"])).permanent:
        return None
    return ringan_end(date.fromisoformat(sanction["effective_date"]))


def revoked_on(sanction: Mapping[str, Any]) -> date | None:
    if sanction["status"] == SanctionStatus.REVOKED and sanction.get("revoked_on"):
        return date.fromisoformat(sanction["revoked_on"])
    return None


def in_force_until(sanction: Mapping[str, Any]) -> date | None:
    """Exclusive end of the time in force: a revocation ends a penalty early, and after its
    natural end it changes nothing. Every holder of a sanction (the Employee aggregate, the fact
    layer, the inspectorate) reads the same keys: effective_date, decided_on, penalty,
    in_force_until, status, revoked_on."""
    natural, revoked = natural_end(sanction), revoked_on(sanction)
    if revoked is not None and (natural is None or revoked < natural):
        return revoked
    return natural


def sanction_lifecycle(sanction: Mapping[str, Any], on: date) -> dict[str, Any]:
    """Lifecycle fields of one `Employee.sanctions` entry as it now stands, and its standing on `on`."""
    start = date.fromisoformat(sanction["effective_date"])
    natural, revoked = natural_end(sanction), revoked_on(sanction)
    until = in_force_until(sanction)
    cut = until != natural
    lifecycle: dict[str, Any] = {
        "lifecycle": sanction["status"],
        "current_penalty": sanction["penalty"],
        "current_level": sanction["level"],
        "in_force_from": start.isoformat(),
        "in_force_until": until.isoformat() if until else None,
        "revoked_on": revoked.isoformat() if revoked else None,
        "ended_by_revocation": cut,
        "modified": any(
            a.get("outcome") == AppealOutcome.MODIFIED for a in sanction.get("appeals", {}).values()
        ),
    }
    lifecycle["status"] = status_on(lifecycle, on).value
    return lifecycle


def status_on(lifecycle: Mapping[str, Any], on: date) -> Standing:
    """Where the penalty stands on `on`, from the fields `sanction_lifecycle` returns
    (`in_force_until` is exclusive; None: permanent). A revoked penalty is REVOKED from the
    revocation date, also when it had already run its course (a ringan penalty, carried out on
    its effective date): the revocation is never hidden behind ENDED."""
    if lifecycle["lifecycle"] == SanctionStatus.ANNULLED:
        return Standing.ANNULLED
    revoked = lifecycle.get("revoked_on")
    if lifecycle["lifecycle"] == SanctionStatus.REVOKED and revoked and on >= date.fromisoformat(revoked):
        return Standing.REVOKED
    start = date.fromisoformat(lifecycle["in_force_from"])
    until = date.fromisoformat(lifecycle["in_force_until"]) if lifecycle["in_force_until"] else None
    if until is not None and on >= until:
        return Standing.ENDED
    if on < start:
        return Standing.NOT_YET_IN_FORCE
    return Standing.IN_FORCE


def sanction_status(sanction: Mapping[str, Any], on: date) -> str:
    """The standing on `on` of one `Employee.sanctions` entry."""
    return str(sanction_lifecycle(sanction, on)["status"])
