"""The demo's records under each rule version: appraisal values, sanctions, Satyalancana, training.

Planned here, written by the other modules of `api.cli.demo`: every value is drawn so that the rule
version in force on the fact's own date gives the intended result (checked against the ledger's own rules, not
re-implemented):

- appraisals: PP 46/2011 nilai SKP and perilaku (periods ending 2014-2020), the PP 30/2019 nilai
  kinerja (2021), the PermenPANRB 6/2022 quadrant (2022 on); mostly BAIK, a few SANGAT_BAIK,
  few below, lower in a year with a sedang or berat penalty;
- sanctions: PP 53/2010 decisions from 2010-06-06, PP 94/2021 decisions from 2021-08-31; absence
  (days from the version's own absence table) and other violations, the penalty of the stated
  level, the official authorised for it, summons, examination and BAP before the decision; about
  one in eight is flawed on purpose (the inspectorate flags it);
- Satyalancana Karya Satya 10/20/30 for the PNS who reach the years, decreed in August of that
  year, unless a sedang or berat penalty in the counted years bars it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from api.cli.demo.people import Person, PlannedSanction
from ledger.discipline.lifecycle import penalty_end
from ledger.rules.appraisal import KINERJA_2021, PRESTASI_2014
from ledger.rules.awards import AWARD_RULES, SanctionFact
from ledger.rules.discipline import DISCIPLINE_RULES, DisciplineRule
from ledger.rules.predikat import PREDIKAT_RULES
from ledger.vocabulary import AwardType, Level, PenaltyCode, Rating

PC = PenaltyCode
ORDER_2022 = ("SANGAT_BAIK", "BAIK", "BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG")

# ------------------------------------------------------------------------------ appraisals

# predikat -> (hasil kerja, perilaku kerja) quadrants that yield it (PermenPANRB 6/2022)
QUADRANTS = {
    "SANGAT_BAIK": [("DI_ATAS_EKSPEKTASI", "DI_ATAS_EKSPEKTASI")],
    "BAIK": [
        ("DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI"),
        ("SESUAI_EKSPEKTASI", "DI_ATAS_EKSPEKTASI"),
        ("SESUAI_EKSPEKTASI", "SESUAI_EKSPEKTASI"),
        ("SESUAI_EKSPEKTASI", "SESUAI_EKSPEKTASI"),
        ("SESUAI_EKSPEKTASI", "SESUAI_EKSPEKTASI"),
    ],
    "BUTUH_PERBAIKAN": [
        ("DI_BAWAH_EKSPEKTASI", "DI_ATAS_EKSPEKTASI"),
        ("DI_BAWAH_EKSPEKTASI", "SESUAI_EKSPEKTASI"),
    ],
    "KURANG": [("DI_ATAS_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI"), ("SESUAI_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI")],
    "SANGAT_KURANG": [("DI_BAWAH_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI")],
}
# A keberatan accepted: the one rating raised, and which, so that the predikat rises.
RAISE = {
    ("DI_BAWAH_EKSPEKTASI", "SESUAI_EKSPEKTASI"): "hasil_kerja",
    ("DI_BAWAH_EKSPEKTASI", "DI_ATAS_EKSPEKTASI"): "hasil_kerja",
    ("DI_BAWAH_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI"): "hasil_kerja",
    ("SESUAI_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI"): "perilaku_kerja",
    ("DI_ATAS_EKSPEKTASI", "DI_BAWAH_EKSPEKTASI"): "perilaku_kerja",
    ("DI_ATAS_EKSPEKTASI", "SESUAI_EKSPEKTASI"): "perilaku_kerja",
    ("SESUAI_EKSPEKTASI", "DI_ATAS_EKSPEKTASI"): "hasil_kerja",
}
UP = {"DI_BAWAH_EKSPEKTASI": "SESUAI_EKSPEKTASI", "SESUAI_EKSPEKTASI": "DI_ATAS_EKSPEKTASI"}


def rank(x: float) -> int:
    """0 (best) .. 4 from a draw around the person's quality: about 8% on top, 87% second."""
    return 0 if x > 0.92 else 1 if x > 0.2 else 2 if x > 0.08 else 3 if x > -0.02 else 4


def cap_for(person: Person, year: int) -> int:
    """A sedang penalty decided in the year keeps the year's appraisal at rank 2, a berat at 3."""
    worst = 0
    for s in person.sanctions:
        if s.decided.year == year and s.cleared_on is None:
            worst = max(worst, {Level.RINGAN: 1, Level.SEDANG: 2, Level.BERAT: 3}[s.level])
    return worst


def _two(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def prestasi_2014(rng: random.Random, r: int) -> dict[str, Any]:
    """PP 46/2011: nilai SKP and nilai perilaku whose weighted sum reaches the sebutan of rank r."""
    low, high = [(91.2, 95.5), (78.0, 89.5), (64.0, 74.5), (52.5, 59.5), (38.0, 49.0)][r]
    wanted = PRESTASI_2014.categories[r]
    for _ in range(20):
        target = rng.uniform(low, high)
        perilaku = min(99.0, max(30.0, target + rng.gauss(1.5, 2.0)))
        skp = (target - 0.4 * perilaku) / 0.6
        if not 0 <= skp <= 100:
            continue
        values = {"nilai_skp": _two(skp), "nilai_perilaku": _two(perilaku)}
        if PRESTASI_2014.sebutan(PRESTASI_2014.nilai(**values)) == wanted:
            return values
    return {"nilai_skp": _two(low + 0.5), "nilai_perilaku": _two(low + 0.5)}


def kinerja_2021(rng: random.Random, r: int) -> dict[str, Any]:
    """PP 30/2019: the nilai kinerja of rank r; Sangat Baik with a new idea (ide_baru)."""
    low, high = [(110.0, 117.5), (90.0, 109.5), (72.0, 89.0), (55.0, 69.0), (38.0, 49.0)][r]
    values: dict[str, Any] = {"nilai_skp": _two(rng.uniform(low, high))}
    if r == 0:
        values["ide_baru"] = True
    wanted = KINERJA_2021.categories[r]
    assert KINERJA_2021.predikat(values["nilai_skp"], bool(values.get("ide_baru"))) == wanted
    return values


def quadrant_2022(rng: random.Random, r: int) -> dict[str, Any]:
    hasil, perilaku = rng.choice(QUADRANTS[ORDER_2022[r]])
    rule = PREDIKAT_RULES.versions[0]
    assert rule.predikat(Rating(hasil), Rating(perilaku)) == ORDER_2022[r]
    return {"hasil_kerja": hasil, "perilaku_kerja": perilaku}


def appraisal_fields(rng: random.Random, period_end: date, r: int) -> dict[str, Any]:
    """The inputs of the rule version in force at the period's end, for rank r."""
    if period_end.year <= 2020:
        return prestasi_2014(rng, r)
    if period_end.year == 2021:
        return kinerja_2021(rng, r)
    return quadrant_2022(rng, r)


# ------------------------------------------------------------------------------- sanctions


@dataclass(frozen=True)
class Other:
    """A violation other than absence: its description, level and the penalties it may get."""

    description: str
    level: Level
    penalties: tuple[PenaltyCode, ...]


OTHER_2010 = (
    Other("tidak menaati perintah kedinasan yang diberikan oleh atasan", Level.RINGAN,
          (PC.TEGURAN_LISAN, PC.TEGURAN_TERTULIS)),
    Other("tidak menggunakan dan memelihara barang milik negara dengan sebaik-baiknya", Level.RINGAN,
          (PC.TEGURAN_TERTULIS, PC.PERNYATAAN_TIDAK_PUAS)),
    Other("tidak mencapai sasaran kerja pegawai pada akhir tahun (capaian di bawah 50%)", Level.SEDANG,
          (PC.PENUNDAAN_KGB_1_TAHUN,)),
    Other("menggunakan kendaraan dinas untuk kepentingan pribadi", Level.SEDANG,
          (PC.PENUNDAAN_KGB_1_TAHUN, PC.PENUNDAAN_PANGKAT_1_TAHUN)),
    Other("ikut serta sebagai pelaksana kampanye calon Wali Kota (netralitas PNS dalam Pilkada)",
          Level.SEDANG, (PC.PENUNDAAN_PANGKAT_1_TAHUN, PC.PENURUNAN_PANGKAT_1_TAHUN)),
    Other("melakukan pungutan di luar ketentuan dalam pelayanan kepada masyarakat", Level.BERAT,
          (PC.PENURUNAN_PANGKAT_3_TAHUN,)),
    Other("menyalahgunakan wewenang dalam pengelolaan keuangan kegiatan", Level.BERAT,
          (PC.PENURUNAN_PANGKAT_3_TAHUN, PC.PEMINDAHAN_PENURUNAN_JABATAN)),
)  # fmt: skip
OTHER_2021 = (
    Other("tidak menaati perintah kedinasan yang diberikan oleh atasan", Level.RINGAN,
          (PC.TEGURAN_LISAN, PC.TEGURAN_TERTULIS)),
    Other("tidak menaati ketentuan jam kerja (terlambat dan pulang sebelum waktunya berulang kali)",
          Level.RINGAN, (PC.TEGURAN_LISAN, PC.TEGURAN_TERTULIS)),
    Other("menggunakan barang milik negara untuk kepentingan pribadi", Level.SEDANG,
          (PC.POTONGAN_TUKIN_6, PC.POTONGAN_TUKIN_9)),
    Other("memberikan dukungan kepada calon Wali Kota melalui media sosial (netralitas ASN dalam Pilkada)",
          Level.SEDANG, (PC.POTONGAN_TUKIN_6, PC.POTONGAN_TUKIN_12)),
    Other("melakukan pungutan di luar ketentuan dalam pelayanan kepada masyarakat", Level.BERAT,
          (PC.PENURUNAN_JABATAN,)),
    Other("menyalahgunakan wewenang dalam pengelolaan keuangan kegiatan", Level.BERAT,
          (PC.PENURUNAN_JABATAN, PC.PEMBEBASAN_JABATAN)),
)  # fmt: skip
OTHER_WEIGHTS = (5, 3, 3, 2, 2, 1, 1)
# How often each band of the absence table is met, lightest first (the dismissal bands apart).
ABSENCE_WEIGHTS = (5, 6, 4, 2.5, 1.5, 1, 0.6, 0.3, 0.2)
# Same level, other penalty: what an accepted keberatan may put in place of the first.
MODIFIED_TO = {
    PC.PENUNDAAN_PANGKAT_1_TAHUN: PC.PENUNDAAN_KGB_1_TAHUN,
    PC.PENURUNAN_PANGKAT_1_TAHUN: PC.PENUNDAAN_PANGKAT_1_TAHUN,
    PC.PENUNDAAN_KGB_1_TAHUN: PC.PERNYATAAN_TIDAK_PUAS,
    PC.PENURUNAN_PANGKAT_3_TAHUN: PC.PENURUNAN_PANGKAT_1_TAHUN,
    PC.PEMINDAHAN_PENURUNAN_JABATAN: PC.PENURUNAN_PANGKAT_1_TAHUN,
    PC.POTONGAN_TUKIN_9: PC.POTONGAN_TUKIN_6,
    PC.POTONGAN_TUKIN_12: PC.POTONGAN_TUKIN_6,
    PC.POTONGAN_TUKIN_6: PC.PERNYATAAN_TIDAK_PUAS,
    PC.PENURUNAN_JABATAN: PC.POTONGAN_TUKIN_12,
    PC.PEMBEBASAN_JABATAN: PC.PENURUNAN_JABATAN,
}
FLAWS = ("authority", "lighter", "no-examination", "late-summons")
APPEAL_OUTCOMES = ("UPHELD", "MODIFIED", "ANNULLED", "UPHELD")


@dataclass
class SanctionPlan:
    person: Person
    key: str
    decided: date
    kwargs: dict[str, Any]
    absence: bool
    flaw: str | None = None
    # (kind, filed, outcome, decided, new penalty)
    appeal: tuple[str, date, str, date, str | None] | None = None
    revoked: date | None = None
    planned: PlannedSanction | None = None


def _rule(decided: date) -> DisciplineRule:
    return DISCIPLINE_RULES.in_force(decided)


def _role(rule: DisciplineRule, level: Level, rng: random.Random) -> str:
    """An official authorised for the level under the version's authority table for a kota."""
    if level is Level.BERAT:
        return "PPK"
    if level is Level.SEDANG:
        if rule.version == "disiplin/2010.1":
            return "KEPALA_OPD" if rng.random() < 0.6 else "SEKDA"
        return "SEKDA"
    return "ATASAN_LANGSUNG" if rng.random() < 0.7 else "KEPALA_OPD"


def sanction_kwargs(
    rng: random.Random,
    person: Person,
    decided: date,
    serial: int,
    officials: dict[str, str],
    flaw: str | None,
    dismissal: bool = False,
) -> tuple[dict[str, Any], bool]:
    """impose_sanction's keywords for a decision on `decided`, and whether it is for absence.

    `officials`: the NIP of the ATASAN_LANGSUNG, KEPALA_OPD and SEKDA on that day."""
    rule = _rule(decided)
    absence = dismissal or rng.random() < 0.6
    if absence:
        violation, penalty, flaw = _absence(rng, rule, decided, flaw, dismissal)
    else:
        catalogue = OTHER_2010 if rule.version == "disiplin/2010.1" else OTHER_2021
        other = rng.choices(catalogue, OTHER_WEIGHTS[: len(catalogue)])[0]
        penalty = rng.choice(other.penalties)
        violation = {"description": other.description, "level": other.level.value}
        if flaw == "lighter":
            flaw = "no-examination"
    level = Level(violation["level"])
    role = _role(rule, level, rng)
    if flaw == "authority":
        if level is Level.RINGAN:
            flaw = "late-summons"
        else:
            role = "ATASAN_LANGSUNG" if level is Level.SEDANG else "KEPALA_OPD"
    examined = decided - timedelta(days=rng.randint(7, 21))
    summons = [examined - timedelta(days=7)]
    if rng.random() < 0.3:  # the first summons was not answered: a second one
        summons = [examined - timedelta(days=14), *summons]
    kwargs: dict[str, Any] = {
        "violation": violation,
        "penalty": penalty.value,
        "decided_by_role": role,
        "decided_by_name": "Wali Kota Binjai" if role == "PPK" else None,
        "decided_by_nip": None if role == "PPK" else officials[role],
        "decree_number": f"862/{rng.randint(100, 999)}/BKPSDM/{decided.year}",
        "decided_on": decided,
        "summoned_on": summons,
        "examined_on": examined,
        "bap_number": f"BAP/{decided.year}/{serial:04d}",
    }
    if flaw == "no-examination":
        kwargs["examined_on"] = None
        kwargs["bap_number"] = None
    elif flaw == "late-summons":
        kwargs["summoned_on"] = [examined + timedelta(days=2)]
    return kwargs, absence


def _absence(
    rng: random.Random, rule: DisciplineRule, decided: date, flaw: str | None, dismissal: bool
) -> tuple[dict[str, Any], PenaltyCode, str | None]:
    """Days of unexcused absence in the year and the penalty of the version's absence table (one
    band lighter for the flaw "lighter"); the stated level is the penalty's own."""
    bands = rule.absence_bands
    if dismissal:
        band = bands[-1]
        days = band.min_days + rng.randint(0, 6)
    else:
        band = rng.choices(bands[:-1], ABSENCE_WEIGHTS[: len(bands) - 1])[0]
        days = rng.randint(band.min_days, band.max_days or band.min_days)
    penalty = band.penalty
    if flaw == "lighter":
        index = bands.index(band)
        if index > 0:
            penalty = bands[index - 1].penalty
        else:
            flaw = "no-examination"
    violation: dict[str, Any] = {
        "description": f"tidak masuk kerja tanpa alasan yang sah selama {days} hari kerja "
        f"dalam tahun {decided.year}",
        "level": rule.penalty(penalty).level.value,
        "absence_days": days,
    }
    return violation, penalty, flaw


def finish(plan: SanctionPlan) -> PlannedSanction:
    """What the sanction comes to after its appeal and revocation, for awards and appraisals."""
    rule = _rule(plan.decided)
    penalty = PenaltyCode(plan.kwargs["penalty"])
    cleared = plan.revoked
    if plan.appeal is not None:
        _kind, _filed, outcome, appeal_decided, new_penalty = plan.appeal
        if outcome == "ANNULLED":
            cleared = appeal_decided
        elif outcome == "MODIFIED" and new_penalty is not None:
            penalty = PenaltyCode(new_penalty)
    p = rule.penalty(penalty)
    until = penalty_end(plan.decided, p.duration_months) if not p.permanent else None
    return PlannedSanction(plan.decided, p.level, until, cleared)


# --------------------------------------------------------------------------- Satyalancana

SLKS = (
    (10, AwardType.SATYALANCANA_KARYA_SATYA_10),
    (20, AwardType.SATYALANCANA_KARYA_SATYA_20),
    (30, AwardType.SATYALANCANA_KARYA_SATYA_30),
)


def slks_due(
    person: Person, first_year: int, last_year: int, rng: random.Random
) -> list[tuple[date, AwardType]]:
    """Each Satyalancana the PNS reaches in [first_year, last_year]: decreed in the days before
    17 August of the first year whose August finds the counted years, if the ledger's own rule
    finds the award eligible that day (service, breaks, end of service and the plan's sanctions)."""
    if person.employment_type != "PNS":
        return []
    record = person.service_record()
    out: list[tuple[date, AwardType]] = []
    for years, award in SLKS:
        for year in range(max(first_year, person.tmt.year + years), last_year + 1):
            decree = date(year, 8, 17) - timedelta(days=rng.randint(0, 7))
            if record.counted_years(decree)[0] < years:
                continue
            if person.in_service(decree) and not _barred(person, award, decree):
                out.append((decree, award))
            break
    return out


def _barred(person: Person, award: AwardType, decree: date) -> bool:
    facts = [
        SanctionFact(
            sanction_id=str(i),
            level=s.level,
            imposed_on=s.decided,
            in_force_from=s.decided,
            in_force_until=s.until if s.level is not Level.RINGAN else s.decided + timedelta(days=1),
            annulled=False,
            revoked_on=s.cleared_on,
        )
        for i, s in enumerate(person.sanctions)
    ]
    rule = AWARD_RULES.in_force(decree)
    return bool(rule.assess(award, decree, person.service_record(), facts))


# ------------------------------------------------------------------------------- training

# (title, provider, JP) by field; an agency's own field first, the general catalogue for all.
TRAINING_FIELDS: dict[str, list[tuple[str, str, int]]] = {
    "kesehatan": [
        ("Pelatihan Pencegahan dan Pengendalian Infeksi (PPI) Dasar", "Bapelkes Medan", 30),
        ("Pelatihan Keselamatan Pasien", "Kemenkes RI (Plataran Sehat)", 12),
        ("Pelatihan Basic Trauma Cardiac Life Support (BTCLS)", "RSUP H. Adam Malik", 40),
        ("Pelatihan Tata Laksana Gizi Buruk pada Balita", "Dinas Kesehatan Provinsi Sumatera Utara", 24),
        ("Pelatihan Pelayanan Kesehatan Ibu dan Anak (Buku KIA)", "Kemenkes RI (Plataran Sehat)", 16),
        ("Webinar Pencegahan Stunting bagi Tenaga Kesehatan", "Kemenkes RI (Plataran Sehat)", 4),
    ],
    "pendidikan": [
        (
            "Pelatihan Mandiri Implementasi Kurikulum Merdeka",
            "Kemendikbudristek (Platform Merdeka Mengajar)",
            32,
        ),
        ("Bimbingan Teknis Asesmen Nasional", "Balai Guru Penggerak Provinsi Sumatera Utara", 16),
        ("Pelatihan Pembelajaran Berdiferensiasi", "Balai Guru Penggerak Provinsi Sumatera Utara", 24),
        ("Lokakarya Komunitas Belajar Guru (KKG/MGMP)", "Dinas Pendidikan Kota Binjai", 8),
    ],
    "keuangan": [
        ("Bimbingan Teknis Penatausahaan Keuangan Daerah pada SIPD", "BPKP Perwakilan Sumatera Utara", 24),
        ("Pelatihan Audit Berbasis Risiko", "BPKP Perwakilan Sumatera Utara", 30),
        ("Bimbingan Teknis Pengelolaan Barang Milik Daerah", "BPSDM Provinsi Sumatera Utara", 16),
    ],
    "kepegawaian": [
        ("Bimbingan Teknis Manajemen ASN dan SIASN", "BKN Kantor Regional VI Medan", 16),
        ("Pelatihan Analisis Jabatan dan Beban Kerja", "BPSDM Provinsi Sumatera Utara", 24),
    ],
    "ketertiban": [
        ("Diklat Teknis Penegakan Peraturan Daerah", "BPSDM Kemendagri Regional Bukittinggi", 30),
        ("Pelatihan Penanganan Unjuk Rasa dan Ketenteraman Umum", "Satpol PP Provinsi Sumatera Utara", 16),
    ],
    "perhubungan": [
        ("Diklat Penguji Kendaraan Bermotor", "BPSDM Perhubungan", 40),
        ("Bimbingan Teknis Manajemen Rekayasa Lalu Lintas", "Dinas Perhubungan Provinsi Sumatera Utara", 16),
    ],
    "kependudukan": [
        ("Bimbingan Teknis SIAK Terpusat", "Ditjen Dukcapil Kemendagri", 24),
        ("Pelatihan Pelayanan Identitas Kependudukan Digital (IKD)", "Ditjen Dukcapil Kemendagri", 8),
    ],
    "perizinan": [
        ("Bimbingan Teknis Perizinan Berusaha Berbasis Risiko (OSS-RBA)", "Kementerian Investasi/BKPM", 24),
    ],
    "pemerintahan": [
        (
            "Bimbingan Teknis Pelayanan Administrasi Terpadu Kecamatan (PATEN)",
            "BPSDM Provinsi Sumatera Utara",
            16,
        ),
        ("Pelatihan Penyusunan Produk Hukum Daerah", "Kanwil Kemenkumham Sumatera Utara", 24),
    ],
    "teknis": [
        ("Pelatihan Sistem Pemerintahan Berbasis Elektronik (SPBE)", "Kementerian Kominfo (Digitalent)", 24),
        ("Pelatihan Pengelolaan Lingkungan dan Persampahan", "Kementerian LHK", 24),
        ("Bimbingan Teknis Perencanaan Pembangunan Daerah (SIPD)", "Kemendagri", 16),
    ],
}
GENERAL_TRAINING = [
    ("Pelatihan Pelayanan Prima", "BPSDM Provinsi Sumatera Utara", 16),
    ("Bimbingan Teknis Penyusunan SKP", "BKPSDM Kota Binjai", 4),
    ("Pelatihan Literasi Digital ASN", "ASN Unggul (LAN RI)", 8),
    ("Pelatihan Anti Korupsi", "KPK (ACLC)", 8),
    ("Pelatihan Penguatan Core Values ASN BerAKHLAK", "ASN Unggul (LAN RI)", 12),
    ("Webinar Keamanan Informasi bagi ASN", "BSSN", 2),
]
AGENCY_FIELD = {
    "DINKES": "kesehatan", "RSUD": "kesehatan", "DISDIK": "pendidikan", "BPKPAD": "keuangan",
    "INSPEKTORAT": "keuangan", "BKPSDM": "kepegawaian", "SATPOLPP": "ketertiban", "DISHUB": "perhubungan",
    "DISDUKCAPIL": "kependudukan", "DPMPTSP": "perizinan", "SETDA": "pemerintahan",
    "SETWAN": "pemerintahan", "KESBANGPOL": "pemerintahan",
}  # fmt: skip


def training_field(agency: str) -> list[tuple[str, str, int]]:
    if agency.startswith("KEC-"):
        return TRAINING_FIELDS["pemerintahan"]
    return TRAINING_FIELDS[AGENCY_FIELD.get(agency, "teknis")]


def trainings_for_year(rng: random.Random, agency: str, reaches: bool) -> list[tuple[str, str, int]]:
    """A year's trainings: mostly the agency's own field; 20 JP or more when `reaches`, else less."""
    own = training_field(agency)
    chosen: list[tuple[str, str, int]] = []
    total = 0
    target = rng.choice([20, 24, 30, 40]) if reaches else rng.choice([0, 4, 8, 12, 16])
    for _ in range(12):
        if total >= target:
            break
        title, provider, jp = rng.choice(own if not chosen or rng.random() < 0.6 else GENERAL_TRAINING)
        if any(t == title for t, _, _ in chosen):
            continue
        if not reaches and total + jp >= 20:
            continue
        chosen.append((title, provider, jp))
        total += jp
    return chosen


def years_reached(person: Person, on: date) -> int:
    return person.service_record().counted_years(on)[0]


def age_on(person: Person, on: date) -> int:
    years = on.year - person.born.year
    return years - (1 if (on.month, on.day) < (person.born.month, person.born.day) else 0)
