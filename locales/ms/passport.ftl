# Halaman perkongsian (/share/…): kelayakan yang dikongsi oleh pelajar daripada pasport skillpass mereka, untuk dibaca oleh majikan atau kolej.

share-page-title = Kelayakan yang dikongsi
share-intro = Seorang pelajar telah berkongsi kelayakan ini dengan anda. Setiap satu disemak sekarang.
share-note-label = Nota daripada pelajar
share-valid-until = Pautan ini sah sehingga
share-signature-title = Tandatangan pelajar
share-signature-ok = Pelajar telah menandatangani set ini dengan kunci mereka, dan tiada apa-apa di dalamnya diubah sejak itu.
share-signature-bad = Tandatangan pelajar ke atas set ini tidak sah: set ini telah diubah selepas ditandatangani.
share-bound-ok = Setiap kelayakan di sini dikeluarkan kepada kunci yang menandatangani set ini.
share-bound-other = Sesetengah kelayakan di sini tidak dikeluarkan kepada kunci yang menandatangani set ini; semak nama padanya dengan kad pengenalan.
share-meaning-title = Maksudnya di sini
share-meaning-pick = Kerangka kelayakan negara anda
share-meaning-show = Tunjukkan
share-meaning-level = Tahap di sini
share-meaning-no-level = Tiada tahap dapat ditentukan
share-meaning-credits = Kredit di sini
share-meaning-no-credits = Tiada kredit ditukar
share-meaning-conditions = Syarat
share-meaning-undecided = Tidak dapat ditentukan
share-gone-title = Pautan ini tidak berfungsi
share-gone-text = Pautan ini telah ditarik balik, telah tamat tempoh, atau tidak pernah wujud. Minta pautan baharu daripada orang yang memberikannya kepada anda.
share-footer = skillpass — kelayakan disemak oleh nod ini pada saat anda membuka halaman ini.
