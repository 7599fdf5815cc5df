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

## Issue and upload
console-nav-issue = Keluarkan satu
console-nav-upload = Muat naik CSV
console-issue-title = Keluarkan satu kelayakan
console-issue-intro = Isikan rekod pelajar. Kelayakan ditandatangani atas nama institusi anda sebaik sahaja anda menekan butang.
console-issue-record-id = ID rekod
console-issue-record-id-help = ID institusi anda sendiri untuk rekod ini. Satu ID rekod tidak pernah dikeluarkan dua kali, jadi menghantar borang ini sekali lagi tidak mendatangkan masalah.
console-issue-learner-name = Nama penuh pelajar
console-issue-student-number = Nombor pelajar
console-issue-achievement = Pencapaian (kursus atau kelayakan)
console-issue-description = Apa yang dicapai oleh pelajar
console-issue-criteria = Cara ia dinilai
console-issue-outcomes = Hasil pembelajaran
console-issue-outcomes-help = Satu bagi setiap baris. Untuk memberi kod kepada sesuatu hasil, tulis kod dahulu, kemudian satu garis tegak: NEV-1 | Asingkan sistem voltan tinggi
console-issue-field = Bidang pengajian (ISCED-F 2013)
console-issue-level = Tahap
console-issue-credits = Kredit
console-issue-credit-system = Sistem kredit
console-issue-hours = Jam pembelajaran
console-issue-awarded = Tarikh dianugerahkan
console-issue-valid-until = Sah sehingga (pilihan)
console-issue-choose = Pilih…
console-issue-submit = Keluarkan kelayakan
console-issue-failed = Kelayakan tidak dikeluarkan. Sila betulkan ruangan yang ditanda di bawah.
console-issue-required = Sila isikan ruangan ini.
console-issue-number = Tulis nombor, seperti 3 atau 1.5.
console-issue-date = Tulis tarikh sebagai tahun-bulan-hari, seperti 2025-07-11.
console-issue-bad-record-id = Gunakan huruf, angka dan tanda seperti - atau _, tanpa ruang (paling banyak 128 aksara).
console-issue-exists = Satu kelayakan telah pun dikeluarkan dengan ID rekod ini.
console-issue-see-existing = Bukanya
console-upload-title = Muat naik CSV rekod
console-upload-intro = Setiap baris fail menjadi satu kelayakan. Mulakan daripada templat: ia mempunyai setiap lajur dan dua baris contoh.
console-upload-template = Muat turun templat (CSV)
console-upload-file = Fail CSV
console-upload-submit = Muat naik dan keluarkan
console-upload-limits = Paling banyak { $rows } baris dan { $megabytes } MB bagi setiap fail. Setiap baris memerlukan ID rekod, jadi menjalankan fail sekali lagi tidak akan mengeluarkan baris dua kali.
console-upload-recent = Muat naik terkini
console-upload-none = Belum ada muat naik.
console-upload-forgotten = Senarai ini dan halaman kemajuan hanya disimpan sehingga perkhidmatan dimulakan semula. Kelayakan itu sendiri disimpan sebaik sahaja ia dikeluarkan.
console-upload-job = Muat naik: { $name }
console-upload-by = Dimuat naik oleh { $who } pada { $when }
console-upload-progress = { $done } daripada { $total } baris selesai
console-upload-running = Sedang mengeluarkan… halaman ini menyegar semula sendiri.
console-upload-finished = Selesai.
console-upload-issued = Dikeluarkan
console-upload-existing = Sudah dikeluarkan
console-upload-failed = Tidak dikeluarkan
console-upload-errors = Baris yang tidak dikeluarkan
console-upload-col-row = Baris
console-upload-col-field = Lajur
console-upload-col-problem = Masalah
console-upload-no-record-id = Baris ini tiada ID rekod. Tambahkan satu, supaya menjalankan fail sekali lagi tidak dapat mengeluarkannya dua kali.
console-upload-fix = Betulkan dan jalankan semula
console-upload-fix-help = Muat turun baris yang tidak dikeluarkan, betulkannya dan muat naik fail itu, atau betulkannya di sini. Baris yang sudah dikeluarkan tidak akan dikeluarkan lagi.
console-upload-download-failed = Muat turun baris yang tidak dikeluarkan (CSV)
console-upload-rows = Baris yang tidak dikeluarkan
console-upload-rerun = Jalankan baris ini semula
console-upload-fixed-name = { $name } (dibetulkan)
console-upload-done-rows = Baris yang dikeluarkan
console-upload-open = Buka
console-error-upload-size = Fail terlalu besar: paling banyak { $megabytes } MB diterima.
console-error-upload-rows = Fail mempunyai { $rows } baris, tetapi paling banyak { $max } diterima sekali gus. Pecahkan kepada fail yang lebih kecil.
console-error-upload-empty = Fail mempunyai baris pengepala tetapi tiada rekod di bawahnya.
console-error-upload-none = Pilih fail CSV untuk dimuat naik.
console-error-upload-header = Baris pertama fail tidak menamakan lajur templat.
console-error-upload-busy = Terlalu banyak muat naik masih berjalan. Tunggu sehingga satu daripadanya selesai.
console-error-upload-not-found = Tiada muat naik sedemikian dalam institusi anda. Muat naik dilupakan apabila perkhidmatan dimulakan semula; kelayakan tidak.

## Claim sheet and operator

console-achievement-any = Semua pencapaian
console-issued-from = Dikeluarkan dari
console-issued-to = Dikeluarkan hingga
console-page-previous = ← Halaman sebelumnya
console-page-next = Halaman seterusnya →
console-page-of = Halaman { $page } daripada { $pages }
console-sheet-explain = Helaian tuntutan: tandakan pelajar, atau ambil semua yang ditemui, untuk mencetak slip bagi setiap seorang dengan kod QR dan kod sekali guna untuk menyimpan kelayakan ke dalam dompet pelajar. Setiap helaian membuat kod baharu: slip yang dicetak sebelum ini bagi kelayakan yang sama tidak lagi berfungsi.
console-sheet-ticked = Helaian tuntutan bagi pelajar yang ditandakan
console-sheet-all = { $n ->
    [one] Helaian tuntutan bagi satu yang ditemui
   *[other] Helaian tuntutan bagi kesemua { $n } yang ditemui
}
console-sheet-pick = Masukkan ke dalam helaian tuntutan
console-sheet-title = Helaian tuntutan
console-sheet-made = { $n ->
    [0] Tiada slip: tiada kelayakan yang dipilih boleh dituntut sekarang.
    [one] Satu slip sedia untuk dicetak.
   *[other] { $n } slip sedia untuk dicetak.
}
console-sheet-print = Cetak halaman ini sekarang (gunakan Cetak pada pelayar anda, saiz kertas A4: empat slip sehalaman) dan gunting mengikut garis putus-putus. Kod sekali guna hanya dipaparkan pada halaman ini: jika anda memuat semula halaman ini, kod baharu dibuat dan slip yang dicetak sebelum ini tidak lagi berfungsi.
console-sheet-replaced = { $n ->
    [one] Satu tawaran tuntutan terdahulu telah ditarik balik: slip yang dicetak sebelum ini bagi kelayakan yang sama tidak lagi berfungsi.
   *[other] { $n } tawaran tuntutan terdahulu telah ditarik balik: slip yang dicetak sebelum ini bagi kelayakan yang sama tidak lagi berfungsi.
}
console-sheet-skipped = Tiada dalam helaian ini
console-skip-claimed = sudah disimpan dalam dompet pelajar
console-skip-revoked = dibatalkan, jadi tidak boleh dituntut
console-skip-refused = tidak boleh ditawarkan
console-slip-qr = Kod QR pautan tuntutan
console-slip-step-scan = Imbas kod QR dengan kamera telefon anda, atau taip pautan di bawah ke dalam pelayar.
console-slip-step-code = Apabila diminta, masukkan kod sekali guna anda.
console-slip-code = Kod sekali guna
console-slip-link = Pautan
console-slip-by = Tuntut sebelum { $date }.
console-slip-private = Simpan slip ini untuk diri anda sendiri: sesiapa yang memilikinya boleh menuntut kelayakan anda.
console-error-sheet-empty = Tandakan sekurang-kurangnya seorang pelajar untuk helaian tuntutan.
console-error-sheet-large = Satu helaian tuntutan memuatkan paling banyak { $max } pelajar; carian ini menemui { $n }. Kecilkan carian (mengikut pencapaian atau tarikh dikeluarkan) dan buat beberapa helaian.

console-register-heading = Daftar institusi
console-register-id = Id ringkas (huruf kecil, digit, - dan _; digunakan dalam alamat web)
console-register-name = Nama
console-register-country = Negara (kod dua huruf, cth. MY, TH, CN)
console-register-url = Alamat web (pilihan, https://…)
console-register-framework = Kerangka kelayakan (cth. MQF, CN-VOC)
console-register-did = Pengecamnya (DID)
console-register-did-key = did:key: kunci itulah pengecamnya; paling mudah, tetapi kunci tidak boleh diganti
console-register-did-web = did:web di bawah alamat nod ini: kunci tandatangan boleh diganti kemudian
console-register-registry = Tambah ke daftar pakatan sekarang
console-register-unlisted-hint = Tanpa daftar pakatan, majikan melihat kelayakannya sebagai "Penerbit tidak dikenali" sehingga ia ditambah.
console-register-submit = Daftar
console-registered-heading = { $name } telah didaftarkan
console-registered-did = DID
console-registered-token = Token API
console-registered-token-once = Inilah satu-satunya kali token API dipaparkan. Salin sekarang dan serahkan kepada pembangun institusi melalui saluran yang selamat. Jika hilang, pentadbir nod boleh membuat token baharu melalui API pentadbir; token lama kemudian tidak lagi berfungsi.
console-registered-listed = Ia tersenarai dalam daftar pakatan: majikan melihat kelayakannya sebagai daripada penerbit yang dikenali.
console-registered-unlisted = Ia belum tersenarai dalam daftar pakatan: majikan akan melihat kelayakannya sebagai "Penerbit tidak dikenali" sehingga ia ditambah.
console-error-register = Institusi tidak dapat didaftarkan.
console-error-register-id = Id ringkas hanya boleh mengandungi huruf kecil, digit, - dan _, dan mesti bermula dengan huruf atau digit (paling banyak 64).
console-error-register-framework = Namakan kerangka kelayakan yang digunakannya untuk menganugerahkan kelayakan.
