# Konsol institusi (src/http/console, templates/console): untuk kakitangan institusi dan pengendali nod.

console-name = Konsol skillpass
console-back = Kembali ke konsol
console-sign-in = Log masuk
console-sign-in-heading = Log masuk ke konsol institusi
console-sign-in-help = Minta akaun daripada pendaftar institusi anda atau pengendali nod. Sistem automatik terus menggunakan token API.
console-sign-in-failed = Alamat e-mel atau kata laluan salah.
console-sign-in-too-many = Terlalu banyak kata laluan yang salah. Tunggu seminit dan cuba lagi.
console-sign-out = Log keluar
console-email = Alamat e-mel
console-password = Kata laluan

console-nav-dashboard = Papan pemuka
console-nav-credentials = Kelayakan
console-nav-audit = Jejak audit

console-role-viewer = pemerhati
console-role-issuer = pengeluar
console-role-registrar = pendaftar
console-role-operator = pengendali

console-count-issued = dikeluarkan
console-count-claimed = dituntut oleh pelajar
console-count-revoked = dibatalkan
console-count-suspended = digantung
console-recent-credentials = Dikeluarkan baru-baru ini
console-recent-activity = Aktiviti terkini

console-search = Cari
console-search-label = ID rekod, nama pelajar, nombor pelajar atau pencapaian
console-found = { $n } kelayakan ditemui

console-col-learner = Pelajar
console-col-student-number = Nombor pelajar
console-col-achievement = Pencapaian
console-col-record = ID rekod
console-col-issued = Dikeluarkan
console-col-status = Status
console-col-when = Bila
console-col-who = Oleh
console-col-action = Tindakan
console-col-subject = Perkara
console-col-institution = Institusi
console-col-country = Negara
console-col-keys = Kunci tandatangan yang digunakan
console-col-registry = Daftar pakatan

console-status-any = Semua status
console-status-active = Aktif
console-status-suspended = Digantung
console-status-revoked = Dibatalkan
console-claimed = dituntut

console-credential-id = ID kelayakan
console-employer-page = Halaman majikan
console-history = Sejarah status
console-history-none = Tiada perubahan status sejak ia dikeluarkan.
console-change-status = Tukar status
console-action-revoke = Batalkan
console-action-suspend = Gantung
console-action-unsuspend = Pulihkan (tamatkan penggantungan)
console-reason = Sebab
console-reason-publish = Paparkan sebab kepada majikan (mereka sentiasa melihat tarikhnya)
console-reason-published = dipaparkan kepada majikan
console-revoke-final = Pembatalan tidak boleh diundur. Penggantungan boleh ditamatkan kemudian.

console-operator = Institusi pada nod ini
console-registry-member = Tersenarai
console-registry-missing = Tiada dalam daftar pakatan: majikan melihat kelayakannya sebagai "Penerbit tidak dikenali" sehingga ia ditambah.

console-error-internal = Berlaku masalah. Sila cuba lagi dalam beberapa minit.
console-error-csrf = Borang ini telah tamat tempoh. Kembali, muat semula halaman dan cuba lagi.
console-error-role = Peranan anda tidak membenarkan tindakan ini. Hubungi pendaftar institusi anda.
console-error-not-found = Tiada kelayakan sedemikian dalam kelayakan institusi anda.
console-error-action = Pilih batalkan, gantung atau pulihkan.
console-error-status = Status tidak dapat ditukar.
console-error-origin = Borang ini dihantar dari laman lain, jadi ia ditolak.

console-keys-retired = tidak digunakan lagi
console-rotate-key = Kunci tandatangan baharu
console-registry-body = Badan jaminan kualiti atau akreditasi
console-registry-status = Akreditasi
console-registry-accredited = Diakreditasi
console-registry-provisional = Diakreditasi sementara
console-registry-reference = Rujukan keputusan atau sijil (pilihan)
console-registry-add = Tambah ke daftar perikatan
console-error-no-institution = Tiada institusi sedemikian di nod ini.
console-error-accreditation = Namakan badan jaminan kualiti dan pilih diakreditasi atau diakreditasi sementara.
console-error-registry = Institusi tidak dapat ditambah ke daftar.
console-error-rotate = Kunci tandatangan tidak dapat ditukar.
