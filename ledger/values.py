"""The bounds of every value the ledger accepts, in one place: the HTTP schemas publish them and
the domain's checks enforce them, so the two can never disagree.

Patterns are anchored and ASCII-only ([0-9], never \\d, which matches other scripts' digits).
"""

from __future__ import annotations

NIP_PATTERN = r"^[0-9]{18}$"  # the structure (birth date, TMT, sex, serial) is checked by ledger.nip
CODE_PATTERN = r"^[A-Z0-9][A-Z0-9_\-]{1,31}$"  # OPD, service-unit, programme and badge codes
EVENT_ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:[1-9][0-9]{0,9}$"
PERIOD_PATTERN = r"^[0-9]{4}(-[0-9]{2}\.\.[0-9]{4}-[0-9]{2})?$"

NIP_EXAMPLE = "198503152010011002"
EVENT_ID_EXAMPLE = "0b6f5c1e-4a9e-5d3c-9a57-0c7a2f1d3e4b:2"

# Maximum lengths of text fields, in characters.
TEXT_MAX = 2000  # reasons, comments, free text
DESCRIPTION_MAX = 1000  # a violation's description
TITLE_MAX = 300  # training titles, programme names, indicators
NAME_MAX = 200  # names of people, agencies, units, positions, providers
ROLE_MAX = 100  # a participant's role in a programme
DECREE_MAX = 100  # decree (SK) and BAP numbers
GRADE_MAX = 50  # golongan/ruang, e.g. "III/b"

# Sizes of lists.
MAX_EVIDENCE = 100  # event ids cited by one sanction decision
MAX_VIOLATIONS = 20  # other violations examined with the main one
MAX_SUMMONS = 10  # summons dates before one examination
MAX_PROGRAM_AGENCIES = 50

# Numbers.
FIRST_YEAR = 1950  # no date or year before it
LAST_YEAR = 2100  # the last calendar year a query or a rating may name
SCORE_MIN, SCORE_MAX = 1, 4  # supervisor and peer feedback, and each survey answer
ABSENCE_DAYS_MAX = 366
