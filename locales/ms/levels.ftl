# Names of framework levels (see src/i18n/levels.rs and docs/LANGUAGES.md).

# A generic name in the data, "<framework> level <n>": $framework is its short name (MQF), $level the code.
level-generic = { $framework } tahap { $level }
# A generic name marked "(example)" in the data: $name is the generic name above.
level-example = { $name } (contoh)

# Levels with a real name, keyed by framework id and level code. English equals the data.
level-CN-1X-intermediate = Peringkat pertengahan
level-CN-1X-junior = Peringkat rendah
level-CN-1X-senior = Peringkat tinggi
level-CN-VOC-associate = Pendidikan vokasional tinggi, peringkat diploma
level-CN-VOC-bachelor = Pendidikan vokasional tinggi, sarjana muda vokasional
level-CN-VOC-secondary = Pendidikan vokasional menengah
level-GH-NTVETQF-1 = Kemahiran Kebangsaan I
level-GH-NTVETQF-2 = Kemahiran Kebangsaan II
level-GH-NTVETQF-3 = Sijil Kebangsaan I
level-GH-NTVETQF-4 = Sijil Kebangsaan II
level-GH-NTVETQF-5 = Diploma Tinggi Kebangsaan
level-GH-NTVETQF-6 = Sarjana Muda Teknologi
level-GH-NTVETQF-7 = Sarjana Teknologi
level-GH-NTVETQF-8 = Doktor Teknologi
level-ISCED-2011-0 = Pendidikan awal kanak-kanak
level-ISCED-2011-1 = Pendidikan rendah
level-ISCED-2011-2 = Pendidikan menengah rendah
level-ISCED-2011-3 = Pendidikan menengah atas
level-ISCED-2011-4 = Pendidikan lepas menengah bukan tertiari
level-ISCED-2011-5 = Pendidikan tertiari kitaran pendek
level-ISCED-2011-6 = Sarjana muda atau setara
level-ISCED-2011-7 = Sarjana atau setara
level-ISCED-2011-8 = Kedoktoran atau setara
level-LA-NVQF-1 = Sijil I
level-LA-NVQF-2 = Sijil II
level-LA-NVQF-3 = Sijil III
level-LA-NVQF-4 = Diploma
level-LA-NVQF-5 = Diploma Tinggi
level-MY-SKM-4 = Diploma Kemahiran Malaysia (DKM)
level-MY-SKM-5 = Diploma Lanjutan Kemahiran Malaysia (DLKM)
level-SZ-Agreement-T1 = Peringkat 1 (contoh): kemahiran asas
level-SZ-Agreement-T2 = Peringkat 2 (contoh): pekerja mahir
level-SZ-Agreement-T3 = Peringkat 3 (contoh): juruteknik
level-SZ-Agreement-T4 = Peringkat 4 (contoh): profesional gunaan
level-SZ-Agreement-T5 = Peringkat 5 (contoh): profesional lanjutan
level-TH-TQF-1 = Diploma Lanjutan
level-TH-TQF-2 = Ijazah sarjana muda
level-TH-TQF-3 = Diploma siswazah
level-TH-TQF-4 = Ijazah sarjana
level-TH-TQF-5 = Diploma siswazah lanjutan
level-TH-TQF-6 = Ijazah kedoktoran
level-TH-VOC-certificate = Sijil Pendidikan Vokasional
level-TH-VOC-diploma = Diploma Pendidikan Vokasional
level-TH-VOC-higher-diploma = Diploma Tinggi
level-ZNQF-1 = Sijil Peringkat Rendah
level-ZNQF-10 = Kedoktoran
level-ZNQF-9 = Sarjana
