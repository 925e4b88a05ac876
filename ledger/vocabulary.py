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
    TEGURAN_LISAN = "TEGURAN_LISAN"
    TEGURAN_TERTULIS = "TEGURAN_TERTULIS"
    PERNYATAAN_TIDAK_PUAS = "PERNYATAAN_TIDAK_PUAS"
    POTONGAN_TUKIN_6 = "POTONGAN_TUKIN_6"
    POTONGAN_TUKIN_9 = "POTONGAN_TUKIN_9"
    POTONGAN_TUKIN_12 = "POTONGAN_TUKIN_12"
    PENURUNAN_JABATAN = "PENURUNAN_JABATAN"
    PEMBEBASAN_JABATAN = "PEMBEBASAN_JABATAN"
    PEMBERHENTIAN = "PEMBERHENTIAN"


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
