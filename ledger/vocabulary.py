"""Closed vocabularies of the domain (official Indonesian terms kept as they are)."""

from __future__ import annotations

from enum import StrEnum


class EmploymentType(StrEnum):
    PNS = "PNS"
    PPPK = "PPPK"


class Rating(StrEnum):
    """Rating of hasil kerja or perilaku kerja (PermenPANRB 6/2022)."""

    DI_ATAS_EKSPEKTASI = "DI_ATAS_EKSPEKTASI"
    SESUAI_EKSPEKTASI = "SESUAI_EKSPEKTASI"
    DI_BAWAH_EKSPEKTASI = "DI_BAWAH_EKSPEKTASI"


class Predikat(StrEnum):
    SANGAT_BAIK = "SANGAT_BAIK"
    BAIK = "BAIK"
    BUTUH_PERBAIKAN = "BUTUH_PERBAIKAN"
    KURANG = "KURANG"
    SANGAT_KURANG = "SANGAT_KURANG"


class PredikatOrganisasi(StrEnum):
    ISTIMEWA = "ISTIMEWA"
    BAIK = "BAIK"
    BUTUH_PERBAIKAN = "BUTUH_PERBAIKAN"
    KURANG = "KURANG"
    SANGAT_KURANG = "SANGAT_KURANG"


class Level(StrEnum):
    """Hukuman disiplin level (PP 94/2021)."""

    RINGAN = "RINGAN"
    SEDANG = "SEDANG"
    BERAT = "BERAT"


class PenaltyCode(StrEnum):
    """Penalty codes of every discipline rule version (disiplin/2010.1: PP 53/2010; disiplin/2021.1:
    PP 94/2021). A decision accepts only the codes of the version in force on its decision date."""

    # A code names one penalty of the law: the three ringan penalties and the dismissal with honour
    # read the same in both regulations and keep one code (docs/RULES.md).

    TEGURAN_LISAN = "TEGURAN_LISAN"
    TEGURAN_TERTULIS = "TEGURAN_TERTULIS"
    PERNYATAAN_TIDAK_PUAS = "PERNYATAAN_TIDAK_PUAS"
    # PP 94/2021 only
    POTONGAN_TUKIN_6 = "POTONGAN_TUKIN_6"
    POTONGAN_TUKIN_9 = "POTONGAN_TUKIN_9"
    POTONGAN_TUKIN_12 = "POTONGAN_TUKIN_12"
    PENURUNAN_JABATAN = "PENURUNAN_JABATAN"
    PEMBEBASAN_JABATAN = "PEMBEBASAN_JABATAN"
    # both: pemberhentian dengan hormat tidak atas permintaan sendiri
    PEMBERHENTIAN = "PEMBERHENTIAN"
    # PP 53/2010 only
    PENUNDAAN_KGB_1_TAHUN = "PENUNDAAN_KGB_1_TAHUN"
    PENUNDAAN_PANGKAT_1_TAHUN = "PENUNDAAN_PANGKAT_1_TAHUN"
    PENURUNAN_PANGKAT_1_TAHUN = "PENURUNAN_PANGKAT_1_TAHUN"
    PENURUNAN_PANGKAT_3_TAHUN = "PENURUNAN_PANGKAT_3_TAHUN"
    PEMINDAHAN_PENURUNAN_JABATAN = "PEMINDAHAN_PENURUNAN_JABATAN"
    PEMBEBASAN_DARI_JABATAN = "PEMBEBASAN_DARI_JABATAN"
    PEMBERHENTIAN_TIDAK_DENGAN_HORMAT = "PEMBERHENTIAN_TIDAK_DENGAN_HORMAT"


# Penalties that end the employment: the employee is out of service from their effective date.
DISMISSALS = frozenset({PenaltyCode.PEMBERHENTIAN, PenaltyCode.PEMBERHENTIAN_TIDAK_DENGAN_HORMAT})


class DecidingRole(StrEnum):
    PPK = "PPK"
    SEKDA = "SEKDA"
    KEPALA_OPD = "KEPALA_OPD"
    ATASAN_LANGSUNG = "ATASAN_LANGSUNG"


class AppealKind(StrEnum):
    KEBERATAN = "KEBERATAN"
    BANDING = "BANDING"


class AppealOutcome(StrEnum):
    UPHELD = "UPHELD"
    ANNULLED = "ANNULLED"
    MODIFIED = "MODIFIED"


class AwardType(StrEnum):
    SATYALANCANA_KARYA_SATYA_10 = "SATYALANCANA_KARYA_SATYA_10"
    SATYALANCANA_KARYA_SATYA_20 = "SATYALANCANA_KARYA_SATYA_20"
    SATYALANCANA_KARYA_SATYA_30 = "SATYALANCANA_KARYA_SATYA_30"
    KENAIKAN_PANGKAT_ISTIMEWA = "KENAIKAN_PANGKAT_ISTIMEWA"
    PRIORITAS_PENGEMBANGAN_KOMPETENSI = "PRIORITAS_PENGEMBANGAN_KOMPETENSI"
    PIAGAM_INOVASI = "PIAGAM_INOVASI"
    SERTIFIKAT_PENGHARGAAN = "SERTIFIKAT_PENGHARGAAN"
    INSENTIF = "INSENTIF"


class FeedbackSource(StrEnum):
    SUPERVISOR = "SUPERVISOR"
    PEER = "PEER"
    CITIZEN = "CITIZEN"


class LeaveType(StrEnum):
    """Leave that stops the service clock."""

    CLTN = "CLTN"  # cuti di luar tanggungan negara (leave outside the state's liability)


class ServiceEndReason(StrEnum):
    """Why an employee's service ended (pemberhentian)."""

    PENSIUN_BUP = "PENSIUN_BUP"  # retirement at the retirement age (batas usia pensiun)
    PENSIUN_DINI = "PENSIUN_DINI"  # early retirement at the employee's own request
    MENINGGAL_DUNIA = "MENINGGAL_DUNIA"  # death
    MENGUNDURKAN_DIRI = "MENGUNDURKAN_DIRI"  # resignation
    DIBERHENTIKAN = "DIBERHENTIKAN"  # dismissal (with or without honour)
    PERJANJIAN_KERJA_BERAKHIR = "PERJANJIAN_KERJA_BERAKHIR"  # end of a PPPK's work agreement


class BurstDecision(StrEnum):
    """HR's decision on a burst of surveys naming one officer."""

    COUNT = "COUNT"  # the surveys are genuine: they count in the officer's score
    EXCLUDE = "EXCLUDE"  # they stay out of it


class SkpAspect(StrEnum):
    """The aspect an SKP indicator measures (PermenPANRB 6/2022, Lampiran: aspek kuantitas,
    kualitas, waktu, biaya)."""

    KUANTITAS = "KUANTITAS"
    KUALITAS = "KUALITAS"
    WAKTU = "WAKTU"
    BIAYA = "BIAYA"


class CoreValue(StrEnum):
    """The seven BerAKHLAK core values of ASN (SE MenPANRB 20/2021; perilaku kerja of
    PermenPANRB 6/2022)."""

    BERORIENTASI_PELAYANAN = "BERORIENTASI_PELAYANAN"
    AKUNTABEL = "AKUNTABEL"
    KOMPETEN = "KOMPETEN"
    HARMONIS = "HARMONIS"
    LOYAL = "LOYAL"
    ADAPTIF = "ADAPTIF"
    KOLABORATIF = "KOLABORATIF"


class ComplaintCategory(StrEnum):
    """What a citizen's complaint (pengaduan) is about."""

    PELAYANAN = "PELAYANAN"  # the service itself
    PERILAKU_PETUGAS = "PERILAKU_PETUGAS"  # an officer's conduct
    BIAYA = "BIAYA"  # fees
    WAKTU = "WAKTU"  # time taken
    SARANA = "SARANA"  # facilities
    LAINNYA = "LAINNYA"  # anything else


class ComplaintStatus(StrEnum):
    """Where a complaint stands; each change is a ComplaintUpdated by HR with a response."""

    RECEIVED = "RECEIVED"
    IN_PROGRESS = "IN_PROGRESS"
    RESPONDED = "RESPONDED"
    CLOSED = "CLOSED"
    REJECTED = "REJECTED"
