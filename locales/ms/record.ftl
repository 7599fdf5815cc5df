# Masalah yang ditemui oleh semakan rekod (src/i18n/record.rs), pada borang pengeluaran dan jadual
# baris yang gagal bagi fail yang dimuat naik. Nilai, kod dan senarai kod ($value, $levels,
# $frameworks, $allowed, $forms) ialah data dan dimasukkan seperti sedia ada.

## The record schema
record-required = wajib diisi tetapi tiada
record-not-allowed = bukan medan yang dibenarkan di sini
record-not-one-of = { $value } bukan salah satu daripada { $allowed }
record-not-in-list = { $value } tiada dalam senarai { $count } kod yang dibenarkan
record-one-of = mesti tepat salah satu daripada: { $forms }
record-more-than-one = sepadan dengan lebih daripada satu bentuk: { $forms }
record-blank = tidak boleh kosong atau hanya mengandungi ruang
record-spaces-around = { $value } tidak boleh kosong atau bermula atau berakhir dengan ruang
record-ascii-word = { $value } hanya boleh mengandungi huruf, digit dan tanda baca ASCII, tanpa ruang
record-country-code = { $value } bukan kod negara ISO 3166 dua huruf besar, seperti CN, MY atau TH
record-web-address = { $value } bukan alamat web yang bermula dengan https:// (atau http://), seperti https://www.example.edu/
record-did = { $value } bukan DID (seperti did:key:z6Mk…)
record-absolute-address = { $value } bukan alamat penuh seperti https://… atau urn:…, tanpa ruang
record-date-time = { $value } bukan tarikh (2025-07-11) atau tarikh dan masa dengan ofsetnya (2025-07-11T16:30:00+08:00)
record-isced-code = { $value } bukan kod 2 hingga 4 digit
record-single-word = { $value } bukan satu perkataan (huruf, digit, '.', '_' atau '-'; jenis sambungan bermula dengan ext:)
record-language-tag = { $value } bukan tag bahasa seperti th, km, zh-Hans atau pt-BR
record-short-code = { $value } bukan kod pendek (huruf, digit, '.', '_' atau '-', bermula dengan huruf atau digit, paling banyak 32 aksara)
record-form = { $value } tidak dalam bentuk yang dijangka
record-date = { $value } bukan tarikh seperti 2025-07-11
record-full-address = { $value } bukan alamat penuh seperti https://www.example.edu/
record-email = { $value } bukan alamat e-mel
record-format = { $value } bukan { $format } yang sah
record-type = mesti { $type ->
    [string] teks
    [number] nombor
    [integer] nombor bulat
    [boolean] true atau false
    [object] objek {"{"}…{"}"}
    [array] senarai […]
   *[other] { $type }
}
record-minimum = { $value } kurang daripada nilai minimum { $limit }
record-exclusive-minimum = { $value } mesti lebih daripada { $limit }
record-too-short = { $limit ->
    [1] tidak boleh kosong
   *[other] mesti sekurang-kurangnya { $limit } aksara
}
record-too-long = mesti paling banyak { $limit } aksara
record-too-few = { $limit ->
    [1] mesti ada sekurang-kurangnya satu item
   *[other] mesti ada sekurang-kurangnya { $limit } item
}
record-too-many = mesti ada paling banyak { $limit } item

## The framework data and the rules across fields
record-framework-unknown = kerangka `{ $framework }` bukan kerangka kelayakan yang dikenali oleh skillpass; kerangka yang ada ialah: { $frameworks }
record-framework-unknown-like = kerangka `{ $framework }` bukan kerangka kelayakan yang dikenali oleh skillpass (kod membezakan huruf besar dan kecil: adakah maksud anda { $like }?); kerangka yang ada ialah: { $frameworks }
record-level-unknown = tahap `{ $code }` bukan tahap dalam kerangka { $framework }; tahapnya ialah: { $levels }
record-level-unknown-like = tahap `{ $code }` bukan tahap dalam kerangka { $framework } (kod membezakan huruf besar dan kecil: adakah maksud anda { $like }?); tahapnya ialah: { $levels }
record-decimals = mempunyai lebih daripada dua tempat perpuluhan
record-duplicate-outcome-code = kod hasil pembelajaran "{ $code }" berulang
record-not-after-award = mesti lebih lewat daripada tarikh dianugerahkan (awardedDate)

## The batch file's rows
record-row-cells = baris ini ada { $cells } sel, baris pengepala ada { $header }
record-cell-not-utf8 = sel { $cell } bukan teks UTF-8
record-row-too-long = baris ini panjangnya { $bytes } bait; sesuatu baris paling panjang { $max } bait
record-duplicate-record-id = recordId "{ $id }" sudah ada dalam baris { $row } fail ini
record-outcome-count = { $column } ada { $count } pernyataan tetapi outcomes ada { $outcomes } hasil: tulis satu pernyataan bagi setiap hasil, dalam susunan yang sama, dipisahkan dengan ;
