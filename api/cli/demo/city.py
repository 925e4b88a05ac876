"""The city's organisation: its agencies (OPD), service units and inter-agency programmes, their
registration, and the agencies' yearly organisation ratings."""

from __future__ import annotations

from datetime import date

from api.cli.demo.steps import Planner, cmd

AGENCIES: list[tuple[str, str, float]] = [
    # (code, name, share of staff)
    ("SETDA", "Sekretariat Daerah Kota Binjai", 0.04),
    ("SETWAN", "Sekretariat DPRD Kota Binjai", 0.015),
    ("INSPEKTORAT", "Inspektorat Kota Binjai", 0.015),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", 0.015),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", 0.015),
    ("BPKPAD", "Badan Pengelolaan Keuangan, Pendapatan dan Aset Daerah", 0.025),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", 0.01),
    ("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", 0.01),
    ("DISDIK", "Dinas Pendidikan", 0.30),
    ("DINKES", "Dinas Kesehatan", 0.14),
    ("RSUD", "RSUD Dr. R.M. Djoelham Binjai", 0.07),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", 0.02),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", 0.015),
    ("DINSOS", "Dinas Sosial", 0.015),
    ("DISHUB", "Dinas Perhubungan", 0.025),
    ("DLH", "Dinas Lingkungan Hidup", 0.03),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", 0.025),
    ("DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman", 0.01),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", 0.01),
    ("DISPORA", "Dinas Pemuda dan Olahraga", 0.01),
    ("DISBUDPAR", "Dinas Kebudayaan dan Pariwisata", 0.01),
    ("DISNAKER", "Dinas Tenaga Kerja", 0.01),
    ("DKP3", "Dinas Ketahanan Pangan, Pertanian dan Perikanan", 0.015),
    ("DISKOPUKM", "Dinas Koperasi, Usaha Kecil dan Menengah", 0.01),
    ("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", 0.01),
    ("DP3AP2KB", "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan KB", 0.015),
    ("DISARPUS", "Dinas Perpustakaan dan Kearsipan", 0.01),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", 0.03),
    ("KEC-BINJAI-KOTA", "Kecamatan Binjai Kota", 0.01),
    ("KEC-BINJAI-UTARA", "Kecamatan Binjai Utara", 0.01),
    ("KEC-BINJAI-TIMUR", "Kecamatan Binjai Timur", 0.01),
    ("KEC-BINJAI-SELATAN", "Kecamatan Binjai Selatan", 0.01),
    ("KEC-BINJAI-BARAT", "Kecamatan Binjai Barat", 0.01),
]

UNITS: list[tuple[str, str, str, float]] = [
    # (code, name, agency, service quality 0..1)
    ("PKM-BINJAI-KOTA", "Puskesmas Binjai Kota", "DINKES", 0.80),
    ("PKM-KEBUN-LADA", "Puskesmas Kebun Lada", "DINKES", 0.65),
    ("PKM-JATI-MAKMUR", "Puskesmas Jati Makmur", "DINKES", 0.70),
    ("PKM-TANAH-TINGGI", "Puskesmas Tanah Tinggi", "DINKES", 0.55),
    ("PKM-SUKARAMAI", "Puskesmas Sukaramai", "DINKES", 0.75),
    ("PKM-BANDAR-SINEMBAH", "Puskesmas Bandar Sinembah", "DINKES", 0.60),
    ("PKM-RAMBUNG", "Puskesmas Rambung", "DINKES", 0.85),
    ("PKM-BINJAI-ESTATE", "Puskesmas Binjai Estate", "DINKES", 0.50),
    ("RSUD-RAWAT-JALAN", "RSUD Djoelham - Poliklinik Rawat Jalan", "RSUD", 0.60),
    ("DUKCAPIL-ADMINDUK", "Layanan Administrasi Kependudukan", "DISDUKCAPIL", 0.90),
    ("MPP-BINJAI", "Mal Pelayanan Publik Kota Binjai", "DPMPTSP", 0.85),
    ("DISHUB-PKB", "Unit Pengujian Kendaraan Bermotor", "DISHUB", 0.45),
    ("BPKPAD-PBB", "Layanan PBB dan BPHTB", "BPKPAD", 0.70),
    ("KEC-BINJAI-KOTA-PATEN", "PATEN Kecamatan Binjai Kota", "KEC-BINJAI-KOTA", 0.65),
    ("KEC-BINJAI-UTARA-PATEN", "PATEN Kecamatan Binjai Utara", "KEC-BINJAI-UTARA", 0.60),
]
SMALL_UNIT = "KEC-BINJAI-UTARA-PATEN"  # gets fewer than 5 responses a year: suppressed publicly

PROGRAMS: list[tuple[str, str, list[str]]] = [
    ("UKS-TERPADU", "Usaha Kesehatan Sekolah Terpadu", ["DINKES", "DISDIK"]),
    ("CEGAH-STUNTING", "Percepatan Penurunan Stunting", ["DINKES", "DP3AP2KB", "DKP3"]),
    ("MPP-DIGITAL", "Mal Pelayanan Publik Digital", ["DPMPTSP", "DISDUKCAPIL", "DISKOMINFO"]),
    ("BINJAI-BERSIH", "Binjai Bersih dan Hijau", ["DLH", "DPUPR", "KEC-BINJAI-KOTA"]),
]
PROGRAM_INDICATORS = {
    "UKS-TERPADU": ("sekolah dengan UKS aktif", 60),
    "CEGAH-STUNTING": ("prevalensi stunting turun (poin persen x10)", 20),
    "MPP-DIGITAL": ("jenis layanan daring", 40),
    "BINJAI-BERSIH": ("kelurahan bebas sampah liar", 37),
}

RATINGS = ["ISTIMEWA", "BAIK", "BAIK", "BAIK", "BAIK", "BUTUH_PERBAIKAN"]


def organisation(pl: Planner) -> None:
    for code, name, _ in AGENCIES:
        pl.at(pl.history_start, "agency", cmd("register_agency", code=code, name=name), 6, 0)
    units_from = date(pl.years[0], 1, 2)
    for code, name, agency, _ in UNITS:
        pl.at(
            units_from,
            "unit",
            cmd("register_service_unit", code=code, name=name, agency=agency),
            6,
            30,
        )


def ratings(pl: Planner, year: int) -> None:
    """Predikat organisasi of every agency for the year (PermenPANRB 6/2022, from 2022)."""
    if year >= 2022:
        for code, _, _ in AGENCIES:
            rating = pl.rng.choice(RATINGS)
            pl.at(
                date(year + 1, 1, 6),
                "rating",
                cmd("rate_agency", code, year=year, predikat_organisasi=rating),
                8,
            )
