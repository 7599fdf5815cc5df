# Sijil untuk dicetak dan imej lencana (lihat locales/en/print.ftl).

print-title = Sijil: { $achievement }
print-heading = Sijil
print-awarded-to = Dengan ini disahkan bahawa
print-has-achieved = telah mencapai
print-awarded-on = Dianugerahkan pada { $date }
print-verify-title = Semak sijil ini
print-verify-text = Imbas kod atau buka alamat di bawah: ia menunjukkan sama ada kelayakan bertandatangan di sebalik kertas ini tulen dan masih sah hari ini.
print-qr-alt = Kod QR halaman pengesahan kelayakan
print-hint = Cetak halaman ini pada kertas A4 (satu halaman).
print-linkedin = Tambah ke profil LinkedIn
print-not-stated = (tidak dinyatakan)
print-level = { $framework } tahap { $code }

print-not-found-title = Tiada sijil sedemikian
print-not-found-text = Tiada kelayakan dalam perkhidmatan ini yang mempunyai alamat ini. Semak alamat tersebut, atau minta kod QR sijil daripada orang yang memberikannya kepada anda.
print-failed-title = Sijil tidak dapat dihasilkan
print-failed-text = Berlaku masalah dalam perkhidmatan ini. Sila cuba lagi dalam beberapa minit.
