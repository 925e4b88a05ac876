"""Discipline (hukuman disiplin): a sanction's lifecycle, who may decide it, and the
inspectorate's verification of each decision against the evidence and the rules of its day.

- ``lifecycle``: SanctionStatus and the reducer every holder of a sanction uses; time in force;
- ``authority``: the configurable authority table history;
- ``model`` and ``checks``: the verification's inputs, the eight checks, the verdict (pure);
- ``inspection``: gathers the verification's inputs from the event store.

The rule tables themselves (penalties, absence bands, authority defaults) are versioned data in
``ledger.rules.discipline``.
"""
