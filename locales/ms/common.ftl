# Perkataan yang dikongsi oleh semua halaman: pilihan bahasa, tarikh, tempoh.

lang-switch-label = Bahasa

date-long = { $day } { $month } { $year }
date-time = { $date }, { $time } UTC

month-1 = Januari
month-2 = Februari
month-3 = Mac
month-4 = April
month-5 = Mei
month-6 = Jun
month-7 = Julai
month-8 = Ogos
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Disember

age-minutes = { $n } minit
age-hours = { $n } jam
age-days = { $n } hari
