"""`ledger demo`: deterministic synthetic data for a Binjai-like city, written through the application
service.

``plan(...)`` (``schedule``) draws everything from one seeded RNG into a list of dated steps; ``run(...)``
(``load``) executes them in date order with the ledger's clock set to each step's moment, so the events
carry realistic ``recorded_at`` and effective dates. The same seed, employee count and years give
the same commands in the same order, hence the same event ids.

Twenty years of service history, through the rule versions of their day (nothing is dated before
the first version of its rule):

- ~30 OPDs with names from Kota Binjai's organisation, each with a head (Kepala Dinas/Badan,
  Camat, Sekretaris Daerah, ...) of grade IV and a secretary who succeeds the head at the head's
  BUP; PNS with grades that follow the entry diploma and the years of service, functional
  positions that follow the grade, PPPK from 2019 (``people``);
- retirements at the BUP of the post held (the ledger's own rule), a few deaths, resignations and
  early retirements, a CLTN and a suspension, one PPPK agreement that ends;
- annual appraisals from 2014: PP 46/2011 (2014-2020), PP 30/2019 (2021), PermenPANRB 6/2022
  (2022 on), mostly BAIK, a few SANGAT_BAIK, few below, one agency rating nearly everyone
  SANGAT_BAIK (a curve warning); corrections after an accepted keberatan raise the predikat;
- sanctions from 2010-06-06 under PP 53/2010, from 2021-08-31 under PP 94/2021: absence by the
  version's own table and other violations, most of them consistent with the inspectorate's
  checks, about one in eight flawed on purpose; keberatan and banding, revocations;
- Satyalancana Karya Satya 10/20/30 for the PNS who reach the years and are eligible
  (``history``).

The last ``years`` calendar years are in full detail: organisation ratings (from 2022), service
units with officers and citizen surveys (one unit with fewer than five responses a year),
training relevant to the agency with most PNS reaching 20 JP (from 2020), supervisor and peer
feedback, inter-agency programmes with participants and outcomes, transfers and other awards
(one revoked).

One module per part of the city, each planning into the same `steps.Planner` (the one seeded RNG):
``city`` (agencies, service units, programmes, organisation ratings), ``staff`` (heads, secretaries,
staff, registrations and posts; careers drawn in ``people``), ``service`` (leave, suspension, ends
of service), ``discipline`` (sanctions, appeals, revocations), ``appraisals`` (appraisals,
corrections, feedback; values of each rule version in ``history``), ``awards`` (Satyalancana, other
awards, training), ``public`` (officers, citizen surveys, programme members and outcomes);
``schedule`` orders them, ``load`` writes the plan, ``command`` is the Typer command.
"""

from api.cli.demo.city import AGENCIES, PROGRAMS, SMALL_UNIT, UNITS
from api.cli.demo.command import app
from api.cli.demo.load import SimulatedClock, run
from api.cli.demo.schedule import plan
from api.cli.demo.steps import Plan

__all__ = ["AGENCIES", "PROGRAMS", "SMALL_UNIT", "UNITS", "Plan", "SimulatedClock", "app", "plan", "run"]
