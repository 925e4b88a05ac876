"""The portal's words in Bahasa Indonesia (first) and English, and which language a request wants.

The SKM questions and answers themselves are rule data (ledger.rules.satisfaction, the regulation's
wording); the English here is a translation for readers, marked as such on the page.
"""

from __future__ import annotations

from starlette.requests import Request

from projections.public import REASON_DERIVED, REASON_SECONDARY, reason_small, threshold

LANGUAGES = ("id", "en")
COOKIE = "kl_lang"

TEXT: dict[str, tuple[str, str]] = {
    # layout
    "site": ("Kinerja ASN Kota Binjai", "Civil service performance, Kota Binjai"),
    "skip": ("Langsung ke isi", "Skip to content"),
    "nav.home": ("Beranda", "Home"),
    "nav.survey": ("Survei kepuasan", "Satisfaction survey"),
    "nav.complaint": ("Pengaduan", "Complaints"),
    "nav.checkpoint": ("Jejak audit", "Audit trail"),
    "nav.staff": ("Halaman staf", "Staff pages"),
    "nav.docs": ("Dokumentasi API", "API documentation"),
    "lang.switch": ("English", "Bahasa Indonesia"),
    "footer": (
        "Data dari Kinerja Ledger. Angka dari kurang dari 5 orang atau jawaban tidak ditampilkan.",
        "Data from Kinerja Ledger. Figures from fewer than 5 people or responses are not shown.",
    ),
    # figures
    "suppressed": ("data tidak ditampilkan", "data not shown"),
    "no_data": ("belum ada data", "no data yet"),
    "reason.small": (
        f"kurang dari {threshold()} orang atau jawaban (k = {threshold()}), untuk melindungi data pribadi",
        f"fewer than {threshold()} people or responses (k = {threshold()}), to protect personal data",
    ),
    "reason.secondary": (
        "disembunyikan agar angka kecil tidak dapat dihitung dari total",
        "hidden so that a small figure cannot be worked out from the total",
    ),
    "reason.derived": (
        "dihitung dari angka yang tidak ditampilkan",
        "computed from figures that are not shown",
    ),
    # home
    "home.title": (
        "Kinerja dan pelayanan ASN Kota Binjai",
        "Performance and service of Kota Binjai's civil servants",
    ),
    "home.lead": (
        (
            "Angka per perangkat daerah dan unit layanan: indeks kepuasan masyarakat (IKM), predikat "
            "kinerja pegawai, kepatuhan pelatihan dan penghargaan. Tidak ada data pribadi di halaman ini."
        ),
        (
            "Figures per agency and service unit: the public satisfaction index (IKM), employees' "
            "performance ratings, training compliance and awards. This page holds no personal data."
        ),
    ),
    "home.year": ("Tahun", "Year"),
    "home.show": ("Tampilkan", "Show"),
    "home.no_figures": ("Belum ada angka yang diterbitkan.", "No figures have been published yet."),
    "home.units": ("Kepuasan masyarakat per unit layanan", "Public satisfaction per service unit"),
    "home.units.chart": (
        "IKM (nilai konversi 25–100) per unit layanan; garis menandai batas mutu A, B dan C",
        "IKM (converted value 25–100) per service unit; lines mark the bounds of mutu A, B and C",
    ),
    "home.agencies": ("Angka per perangkat daerah", "Figures per agency"),
    "home.training.chart": (
        "Persentase pegawai yang memenuhi jam pelajaran (JP) pelatihan per perangkat daerah",
        "Share of employees meeting the training hours (JP) per agency",
    ),
    "home.predikat": ("Sebaran predikat kinerja pegawai", "Distribution of employees' performance ratings"),
    "home.checkpoint": (
        "Catatan yang tidak dapat diubah diam-diam",
        "A record that cannot be changed silently",
    ),
    "home.checkpoint.text": (
        "Setiap peristiwa kepegawaian dicatat dalam log yang ditandatangani. Checkpoint terbaru mencakup",
        "Every personnel event is recorded in a signed log. The latest checkpoint covers",
    ),
    "home.checkpoint.events": ("peristiwa", "events"),
    "home.checkpoint.more": ("Apa artinya dan cara memeriksanya", "What it means and how to check it"),
    "home.survey.cta": ("Beri penilaian atas layanan yang Anda terima", "Rate the service you received"),
    "col.unit": ("Unit layanan", "Service unit"),
    "col.agency": ("Perangkat daerah", "Agency"),
    "col.ikm": ("IKM (konversi)", "IKM (converted)"),
    "col.mutu": ("Mutu", "Mutu"),
    "col.kinerja": ("Kinerja unit", "Unit performance"),
    "col.respondents": ("Responden", "Respondents"),
    "col.employees": ("Pegawai", "Employees"),
    "col.training": ("Kepatuhan pelatihan", "Training compliance"),
    "col.awards": ("Penghargaan", "Awards"),
    "col.complaints": ("Pengaduan diterima", "Complaints received"),
    "col.responded": ("Ditanggapi", "Responded"),
    "col.median_days": ("Median hari sampai ditanggapi", "Median days to a response"),
    "col.predikat_org": ("Predikat organisasi", "Organisation rating"),
    "predikat.SANGAT_BAIK": ("Sangat Baik", "Excellent"),
    "predikat.BAIK": ("Baik", "Good"),
    "predikat.BUTUH_PERBAIKAN": ("Butuh Perbaikan", "Needs improvement"),
    "predikat.KURANG": ("Kurang", "Poor"),
    "predikat.SANGAT_KURANG": ("Sangat Kurang", "Very poor"),
    # survey
    "survey.title": ("Survei Kepuasan Masyarakat", "Public Satisfaction Survey"),
    "survey.lead": (
        (
            "Sembilan unsur pelayanan menurut PermenPANRB Nomor 14 Tahun 2017. Pilih satu jawaban untuk "
            "setiap pertanyaan. Jangan menulis nama atau data pribadi."
        ),
        (
            "The nine service elements of PermenPANRB 14/2017. Choose one answer to each question. "
            "Do not write names or personal data."
        ),
    ),
    "survey.translation": (
        "",
        "English translation of the official Indonesian wording, which is shown first.",
    ),
    "survey.unit": ("Unit layanan yang Anda nilai", "The service unit you are rating"),
    "survey.unit.choose": ("— pilih unit layanan —", "— choose a service unit —"),
    "survey.officer": ("Kode petugas (opsional)", "Officer code (optional)"),
    "survey.officer.hint": (
        "Kode yang tertera pada tanda pengenal petugas, misalnya PKM-01. Kosongkan bila tidak tahu.",
        "The code on the officer's badge, e.g. PKM-01. Leave empty if you do not know it.",
    ),
    "survey.unsur": ("Unsur", "Element"),
    "survey.comment": ("Masukan dan kritik (opsional)", "Comments and criticism (optional)"),
    "survey.comment.hint": ("Paling banyak 2.000 karakter.", "At most 2,000 characters."),
    "survey.honeypot": ("Jangan isi kolom ini", "Leave this field empty"),
    "survey.submit": ("Kirim penilaian", "Send the rating"),
    "survey.errors": ("Ada isian yang perlu diperbaiki:", "Some answers need your attention:"),
    "survey.thanks.title": ("Terima kasih", "Thank you"),
    "survey.thanks.text": (
        "Penilaian Anda telah diterima dan akan masuk ke IKM unit layanan ini setelah diolah.",
        "Your rating was received and will count in this service unit's IKM once processed.",
    ),
    "survey.thanks.back": ("Kembali ke beranda", "Back to the home page"),
    "error.choose_answer": (
        "Pilih satu jawaban untuk pertanyaan ini.",
        "Choose one answer to this question.",
    ),
    "error.choose_unit": ("Pilih unit layanan.", "Choose a service unit."),
    "error.unknown_unit": ("Unit layanan ini tidak dikenal.", "This service unit is not known."),
    "error.unknown_officer": (
        "Kode petugas tidak dikenal di unit ini. Periksa kembali atau kosongkan.",
        "This officer code is not known at this unit. Check it or leave it empty.",
    ),
    "error.bad_code": (
        "Gunakan huruf besar, angka dan tanda hubung saja.",
        "Use capital letters, digits and hyphens only.",
    ),
    "error.text": (
        "Teks terlalu panjang atau memuat karakter yang tidak diizinkan.",
        "The text is too long or holds characters that are not allowed.",
    ),
    "error.invalid": ("Isian ini tidak valid.", "This value is not valid."),
    "error.csrf": (
        "Formulir kedaluwarsa atau tidak berasal dari situs ini. Muat ulang halaman lalu kirim lagi.",
        "The form has expired or did not come from this site. Reload the page and send it again.",
    ),
    "error.rate": (
        "Terlalu banyak kiriman dari alamat ini. Coba lagi dalam beberapa saat.",
        "Too many submissions from this address. Try again shortly.",
    ),
    "error.title": ("Permintaan tidak dapat diproses", "The request could not be processed"),
    "error.not_found": ("Halaman atau data tidak ditemukan.", "Page or record not found."),
    "error.forbidden": ("Peran Anda tidak boleh membuka halaman ini.", "Your role may not open this page."),
    "error.unavailable": (
        "Data sedang disiapkan. Coba lagi sebentar lagi.",
        "The data is being prepared. Try again shortly.",
    ),
    "complaint.title": ("Pengaduan", "Complaints"),
    "complaint.lead": (
        "Sampaikan pengaduan tentang layanan. Anda akan menerima kode pelacakan untuk melihat statusnya.",
        "Tell us about a problem with a service. You will get a tracking code to follow its status.",
    ),
    "complaint.new": ("Kirim pengaduan", "File a complaint"),
    "complaint.unit": ("Unit layanan yang Anda adukan", "The service unit concerned"),
    "complaint.category": ("Kategori", "Category"),
    "complaint.text": ("Isi pengaduan", "Your complaint"),
    "complaint.contact": ("Kontak (opsional)", "Contact (optional)"),
    "complaint.contact.hint": (
        (
            "Nomor telepon atau e-mail agar petugas dapat menghubungi Anda. Tidak pernah ditampilkan "
            "kepada publik."
        ),
        "A telephone number or e-mail so that staff can reach you. Never shown to the public.",
    ),
    "complaint.ticket": ("Nomor tiket SP4N-LAPOR! (opsional)", "SP4N-LAPOR! ticket number (optional)"),
    "complaint.submit": ("Kirim pengaduan", "Send the complaint"),
    "complaint.received": ("Pengaduan diterima", "Complaint received"),
    "complaint.keep": (
        "Simpan kode pelacakan ini untuk melihat status pengaduan Anda:",
        "Keep this tracking code to follow your complaint:",
    ),
    "complaint.lookup": ("Lihat status pengaduan", "Look up a complaint"),
    "complaint.lookup.submit": ("Lihat", "Look up"),
    "complaint.code": ("Kode pelacakan", "Tracking code"),
    "complaint.received_on": ("Diterima", "Received"),
    "complaint.responses": ("Tanggapan", "Responses"),
    "complaint.status.RECEIVED": ("Diterima", "Received"),
    "complaint.status.IN_PROGRESS": ("Sedang diproses", "In progress"),
    "complaint.status.RESPONDED": ("Sudah ditanggapi", "Responded"),
    "complaint.status.CLOSED": ("Selesai", "Closed"),
    "complaint.status.REJECTED": ("Ditolak", "Rejected"),
    "category.PELAYANAN": ("Pelayanan", "Service"),
    "category.PERILAKU_PETUGAS": ("Perilaku petugas", "Officer's conduct"),
    "category.BIAYA": ("Biaya", "Fees"),
    "category.WAKTU": ("Waktu", "Time"),
    "category.SARANA": ("Sarana", "Facilities"),
    "category.LAINNYA": ("Lainnya", "Other"),
    "error.complaint_text": ("Tuliskan isi pengaduan Anda.", "Write your complaint."),
    "error.choose_category": ("Pilih kategori pengaduan.", "Choose a category."),
    "error.ticket": (
        "Nomor tiket hanya berisi huruf, angka, / dan -.",
        "A ticket number holds only letters, digits, / and -.",
    ),
    "error.tracking_code": (
        "Kode pelacakan tidak valid; periksa kembali penulisannya.",
        "This tracking code is not valid; check how it is written.",
    ),
    "error.tracking_unknown": (
        "Tidak ada pengaduan dengan kode ini (pengaduan baru dapat muncul setelah beberapa detik).",
        "No complaint has this code (a new complaint may take a few seconds to appear).",
    ),
    # checkpoint
    "cp.title": ("Jejak audit yang ditandatangani", "The signed audit trail"),
    "cp.none": (
        "Checkpoint belum tersedia; log audit sedang disiapkan.",
        "No checkpoint yet; the audit log is being built.",
    ),
    "cp.latest": ("Checkpoint terbaru", "Latest checkpoint"),
    "cp.size": ("Jumlah peristiwa yang dicakup", "Events covered"),
    "cp.root": ("Akar Merkle (sidik jari seluruh log)", "Merkle root (fingerprint of the whole log)"),
    "cp.key": ("Kunci pemeriksa", "Verifier key"),
    "cp.note": ("Teks checkpoint bertanda tangan", "Signed checkpoint text"),
    "cp.download": ("Unduh checkpoint", "Download the checkpoint"),
    "cp.download_key": ("Unduh kunci pemeriksa", "Download the verifier key"),
    # login / staff
    "login.title": ("Masuk untuk staf", "Staff sign-in"),
    "login.lead": (
        (
            "Tempelkan token yang Anda terima dari admin (perintah ledger token issue). Token disimpan dalam "
            "cookie sesi yang tidak dapat dibaca skrip dan hanya dikirim ke situs ini."
        ),
        (
            "Paste the token the admin gave you (command ledger token issue). It is kept in a session "
            "cookie that scripts cannot read and that is sent to this site only."
        ),
    ),
    "login.token": ("Token", "Token"),
    "login.submit": ("Masuk", "Sign in"),
    "login.bad": ("Token tidak valid atau sudah kedaluwarsa.", "The token is not valid or has expired."),
    "logout": ("Keluar", "Sign out"),
    "staff.title": ("Halaman staf", "Staff pages"),
    "staff.as": ("Masuk sebagai", "Signed in as"),
    "staff.role": ("peran", "role"),
    "search.title": ("Cari pegawai", "Find an employee"),
    "search.q": ("Cari NIP atau nama", "Search by NIP or name"),
    "search.status": ("Status", "Status"),
    "search.submit": ("Cari", "Search"),
    "search.found": ("Ditemukan", "Found"),
    "search.name": ("Nama", "Name"),
    "search.position": ("Jabatan", "Position"),
    "staff.sanctions": ("Register hukuman disiplin", "Disciplinary sanction register"),
    "staff.audit": ("Log audit, checkpoint dan ekspor", "Audit log, checkpoints and export"),
    "staff.input": (
        "Tindak lanjut masukan dan pengaduan warga",
        "Follow-up of citizens' comments and complaints",
    ),
    "input.title": ("Tindak lanjut masukan dan pengaduan", "Follow-up of comments and complaints"),
    "input.kind": ("Jenis", "Kind"),
    "input.kind.complaint": ("Pengaduan", "Complaint"),
    "input.kind.comment": ("Komentar survei", "Survey comment"),
    "input.status": ("Status", "Status"),
    "input.all": ("Semua", "All"),
    "input.count": ("Jumlah di halaman ini", "On this page"),
    "input.officer": ("petugas", "officer"),
    "input.tracking": ("Kode pelacakan", "Tracking code"),
    "input.contact": ("Kontak pelapor", "Complainant's contact"),
    "input.contact_hidden": ("ada (hanya untuk BKPSDM)", "given (HR only)"),
    "input.responses": ("Tanggapan", "Responses"),
    "input.move": ("Status baru", "New status"),
    "input.response": ("Tanggapan untuk warga", "Response to the citizen"),
    "input.send": ("Kirim tanggapan", "Send response"),
    "input.saved": ("Tanggapan tercatat", "Response recorded"),
    "input.next": ("Halaman berikutnya", "Next page"),
    "emp.record": ("Data pegawai", "Employee record"),
    "emp.scorecard": ("Skor kinerja", "Performance score"),
    "emp.history": ("Riwayat", "History"),
    "emp.appraise": ("Catat penilaian kinerja", "Record an appraisal"),
    "emp.period": ("Periode (YYYY atau YYYY-MM..YYYY-MM)", "Period (YYYY or YYYY-MM..YYYY-MM)"),
    "emp.appraiser": ("NIP penilai", "Appraiser's NIP"),
    "emp.hasil": ("Hasil kerja", "Work results"),
    "emp.perilaku": ("Perilaku kerja", "Work behaviour"),
    "emp.submit": ("Simpan penilaian", "Save the appraisal"),
    "emp.saved": ("Penilaian tersimpan", "Appraisal saved"),
    "emp.correction": ("koreksi", "correction"),
    "emp.corrected": ("dikoreksi oleh", "corrected by"),
    "emp.no_score": ("Belum ada skor.", "No score yet."),
    "emp.component": ("Komponen", "Component"),
    "emp.weight": ("Bobot", "Weight"),
    "emp.value": ("Nilai", "Value"),
    "emp.points": ("Poin", "Points"),
    "emp.cited": ("Peristiwa yang dikutip", "Cited events"),
    "skp.title": ("Progres SKP", "SKP progress"),
    "skp.link": ("Progres SKP tahun ini", "This year's SKP progress"),
    "skp.none": ("Belum ada rencana SKP untuk tahun ini.", "No SKP plan for this year yet."),
    "skp.plan": ("Rencana SKP", "SKP plan"),
    "skp.share": ("capaian", "achieved"),
    "skp.approved": ("Disetujui", "Approved"),
    "skp.revisions": ("revisi", "revisions"),
    "skp.supports": ("Mendukung", "Supports"),
    "skp.aspect": ("Aspek", "Aspect"),
    "skp.indicator": ("Indikator", "Indicator"),
    "skp.target": ("Target", "Target"),
    "skp.realised": ("Realisasi", "Realised"),
    "skp.achieved": ("Capaian", "Achieved"),
    "skp.reports": ("Laporan per periode", "Reports by period"),
    "skp.dialogues": ("Dialog kinerja", "Performance dialogues"),
    "skp.feedback": ("Umpan balik perilaku (BerAKHLAK)", "Behaviour feedback (BerAKHLAK)"),
    "sanction.verdict": ("Putusan pemeriksaan", "Verdict"),
    "sanction.all": ("Semua", "All"),
    "sanction.filter": ("Saring", "Filter"),
    "sanction.count": ("Jumlah keputusan", "Decisions"),
    "sanction.checks": ("Hasil setiap pemeriksaan", "Result of each check"),
    "audit.log": ("Log peristiwa", "Event log"),
    "audit.checkpoints": ("Checkpoint yang ditandatangani", "Signed checkpoints"),
    "audit.export": ("Unduh ekspor log (zip)", "Download the log export (zip)"),
    "audit.next": ("Halaman berikutnya", "Next page"),
}

REASONS = {
    reason_small(): "reason.small",
    REASON_SECONDARY: "reason.secondary",
    REASON_DERIVED: "reason.derived",
}


def language(request: Request) -> str:
    wanted = request.cookies.get(COOKIE, "id")
    return wanted if wanted in LANGUAGES else "id"


def translate(lang: str, key: str) -> str:
    indonesian, english = TEXT[key]
    return english if lang == "en" else indonesian


def reason(lang: str, text: str | None) -> str:
    """A suppression reason as the published figures give it, in the reader's language."""
    key = REASONS.get(text or "")
    return translate(lang, key) if key else (text or "")


# English renderings of the SKM questionnaire (the Indonesian wording is the rule data).
SKM_ENGLISH: dict[str, tuple[str, str, tuple[str, str, str, str]]] = {
    "U1": (
        "Requirements",
        "How well do the service's requirements fit the kind of service?",
        ("Not suitable", "Less suitable", "Suitable", "Very suitable"),
    ),
    "U2": (
        "Systems, mechanisms and procedures",
        "How easy is this unit's service procedure to follow?",
        ("Not easy", "Less easy", "Easy", "Very easy"),
    ),
    "U3": (
        "Completion time",
        "How fast was the service delivered?",
        ("Not fast", "Less fast", "Fast", "Very fast"),
    ),
    "U4": (
        "Cost/tariff",
        "How fair is the cost/tariff of the service?",
        ("Very expensive", "Fairly expensive", "Cheap", "Free"),
    ),
    "U5": (
        "Product specification of the service",
        "How well does the product delivered match what the service standard states?",
        ("Not suitable", "Less suitable", "Suitable", "Very suitable"),
    ),
    "U6": (
        "Competence of the staff",
        "How competent/capable are the staff in delivering the service?",
        ("Not competent", "Less competent", "Competent", "Very competent"),
    ),
    "U7": (
        "Behaviour of the staff",
        "How polite and friendly are the staff in delivering the service?",
        (
            "Not polite and friendly",
            "Less polite and friendly",
            "Polite and friendly",
            "Very polite and friendly",
        ),
    ),
    "U8": (
        "Handling of complaints, suggestions and input",
        "How are service users' complaints handled?",
        ("There is none", "There is one but it does not work", "Works, not fully", "Well managed"),
    ),
    "U9": (
        "Facilities and infrastructure",
        "How good are the facilities and infrastructure?",
        ("Poor", "Fair", "Good", "Very good"),
    ),
}
