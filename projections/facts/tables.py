"""The fact tables each fact-keeping projection holds under its own names, and their indexes."""

from __future__ import annotations

FACT_TABLES: dict[str, str] = {
    "f_employees": (
        "nip TEXT NOT NULL PRIMARY KEY, employee_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, "
        "employment_type TEXT NOT NULL, service_start_date TEXT NOT NULL, "
        "registered_event_id TEXT NOT NULL, dismissed_on TEXT, service_ended_on TEXT, timeline TEXT NOT NULL"
    ),
    # Where the employee served: one row per stretch of (agency, unit), from the timeline of
    # registration, transfers and assignments in effective-date order.
    "f_placements": (
        "nip TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT, agency TEXT NOT NULL, "
        "service_unit TEXT, officer_code TEXT, event_id TEXT NOT NULL, PRIMARY KEY (nip, valid_from)"
    ),
    "f_appraisals": (
        "appraisal_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL, year INTEGER NOT NULL, "
        "period TEXT NOT NULL, annual INTEGER NOT NULL, end_month INTEGER NOT NULL, "
        "predikat TEXT NOT NULL, hasil_kerja TEXT, perilaku_kerja TEXT, nilai TEXT, "
        "rule_version TEXT, event_ids TEXT NOT NULL"
    ),
    "f_trainings": (
        "event_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL, year INTEGER NOT NULL, hours_jp TEXT NOT NULL"
    ),
    "f_citizen_feedback": (
        "event_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL, year INTEGER NOT NULL, "
        "answers TEXT NOT NULL, recorded_at TEXT NOT NULL, survey_event_id TEXT"
    ),
    # HR's decisions on bursts of surveys naming one officer (ledger.rules.bursts).
    "f_burst_reviews": (
        "burst_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL, decision TEXT NOT NULL, "
        "event_id TEXT NOT NULL"
    ),
    "f_surveys": (
        "event_id TEXT NOT NULL PRIMARY KEY, service_unit TEXT NOT NULL, year INTEGER NOT NULL, "
        "answers TEXT NOT NULL, officer_code TEXT"
    ),
    "f_units": "code TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, agency TEXT NOT NULL",
    "f_agencies": "code TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL",
    "f_programs": "code TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL",
    "f_ratings": (
        "agency TEXT NOT NULL, year INTEGER NOT NULL, predikat_organisasi TEXT NOT NULL, "
        "event_id TEXT NOT NULL, PRIMARY KEY (agency, year)"
    ),
    "f_awards": (
        "award_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL, year INTEGER NOT NULL, "
        "award_type TEXT NOT NULL, eligible INTEGER NOT NULL, revoked_by TEXT"
    ),
    "f_sanctions": (
        "sanction_id TEXT NOT NULL PRIMARY KEY, nip TEXT NOT NULL, level TEXT NOT NULL, "
        "penalty TEXT NOT NULL, status TEXT NOT NULL, decided_on TEXT NOT NULL, "
        "effective_date TEXT NOT NULL, in_force_until TEXT, revoked_on TEXT, event_ids TEXT NOT NULL"
    ),
    "f_participations": (
        "program TEXT NOT NULL, nip TEXT NOT NULL, joined_on TEXT NOT NULL, role TEXT NOT NULL, "
        "event_id TEXT NOT NULL, PRIMARY KEY (program, nip)"
    ),
    # Each employee's performance management cycle (plans, realisations, BerAKHLAK feedback) as
    # the aggregate keeps it (projections.facts.cycle); the score reads it from skor/2027.1.
    "f_skp": "nip TEXT NOT NULL PRIMARY KEY, state TEXT NOT NULL",
    "f_outcomes": (
        "event_id TEXT NOT NULL PRIMARY KEY, program TEXT NOT NULL, year INTEGER NOT NULL, "
        "indicator TEXT NOT NULL, target TEXT NOT NULL, achieved TEXT NOT NULL"
    ),
}


FACT_INDEXES: dict[str, list[str]] = {
    "f_placements": ["agency, valid_from", "service_unit"],
    "f_appraisals": ["nip, year", "year"],
    "f_trainings": ["nip, year", "year"],
    "f_citizen_feedback": ["nip, year"],
    "f_burst_reviews": ["nip"],
    "f_surveys": ["service_unit, year", "year"],
    "f_awards": ["nip, year", "year"],
    "f_sanctions": ["nip"],
    "f_participations": ["nip"],
    "f_outcomes": ["program, year"],
}
