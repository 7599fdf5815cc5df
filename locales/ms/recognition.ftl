# Sebab dan keputusan pengiktirafan (lihat locales/en/recognition.ftl).

## Ketulenan
reason-authentic = { $status ->
    [checked] Tulen dan sah: tandatangan meliputi seluruh kelayakan, ia dalam tempoh sahnya dan senarai status pengeluar menunjukkan ia tidak dibatalkan atau digantung.
   *[none] Tulen dan sah: tandatangan meliputi seluruh kelayakan dan ia dalam tempoh sahnya; ia tiada entri status, jadi ia tidak mungkin dibatalkan.
}
reason-altered = Kelayakan diubah selepas ditandatangani, atau ditandatangani dengan kunci lain: tandatangannya tidak sepadan dengan kandungan ({ $details }).
reason-signature-invalid = { $kind ->
    [unchecked] Tandatangan kelayakan tidak disemak, jadi ketulenannya tidak dapat dipastikan.
    [binding] Kelayakan tidak ditandatangani sebagai kelayakan pengeluarnya ({ $details }).
   *[invalid] Tandatangan kelayakan tidak sah ({ $details }).
}
reason-malformed = { $kind ->
    [schema] Kelayakan melanggar skema Open Badges 3.0 ({ $details }).
    [dates] Tempoh sah kelayakan tidak dapat dibaca ({ $details }).
    [check] Kelayakan gagal semakan { $check } ({ $details }).
   *[data-model] Kelayakan melanggar model data Verifiable Credentials ({ $details }).
}
reason-revoked = Kelayakan telah dibatalkan oleh pengeluarnya: ia tidak lagi mengesahkan pencapaian ini.
reason-suspended = Kelayakan digantung oleh pengeluarnya: ia tidak boleh diiktiraf selagi penggantungan berkuat kuasa.
reason-expired = Kelayakan tidak lagi sah ({ $details }).
reason-not-yet-valid = Kelayakan belum sah ({ $details }).
reason-status-unverifiable = Status pembatalan kelayakan tidak dapat dipastikan ({ $details }).
reason-presentation-invalid = { $check ->
    [challenge] Persembahan tidak membawa cabaran pengesah, jadi ia tidak menunjukkan bahawa pelajar memegang kelayakan ini.
    [domain] Persembahan tidak terikat pada domain pengesah, jadi ia tidak menunjukkan bahawa pelajar memegang kelayakan ini.
    [holder-binding] Persembahan tidak ditandatangani oleh subjek kelayakan, jadi ia tidak menunjukkan bahawa pelajar memegang kelayakan ini.
    [proof] Persembahan tiada tandatangan yang sah, jadi ia tidak menunjukkan bahawa pelajar memegang kelayakan ini.
    [proof-purpose] Persembahan tidak ditandatangani untuk pengesahan identiti, jadi ia tidak menunjukkan bahawa pelajar memegang kelayakan ini.
   *[data-model] Persembahan melanggar model data persembahan, jadi ia tidak menunjukkan bahawa pelajar memegang kelayakan ini.
}
reason-no-credential = Persembahan tidak membawa kelayakan untuk diiktiraf.

## Jaminan kualiti
reason-issuer-accredited = { $issuer } ialah ahli daftar amanah perikatan yang berkedudukan baik.
reason-accreditation-provisional = Akreditasi pengeluar bersifat sementara ({ $details }): pengiktirafan tertakluk kepada pengesahan akreditasi tersebut.
reason-issuer-unknown = { $issuer } tiada dalam daftar amanah perikatan, jadi jaminan kualitinya tidak dapat dipastikan.
reason-accreditation-lapsed = { $issuer } tersenarai dalam daftar amanah perikatan tetapi tidak berkedudukan baik: { $details }.
reason-registry-unavailable = Jaminan kualiti pengeluar tidak dapat dipastikan ({ $details }).
reason-quality-assurance-not-checked = Jaminan kualiti tidak disemak: tiada daftar amanah perikatan dirujuk, jadi tidak diketahui sama ada { $issuer } ahli yang diakreditasi; sahkan dahulu sebelum bergantung pada keputusan ini.

## Tahap
reason-level-same-framework = { $from } sudah merupakan tahap dalam kerangka penerima { $receiving }.
reason-level-mapped = { $from } sepadan dengan { $to } (perujukan { $path }).
reason-level-span = { $from } merangkumi tahap { $levels } { $receiving }: perujukan ({ $path }) tidak memutuskan antaranya, jadi institusi penerima menempatkan pelajar pada salah satu tahap selepas membandingkan hasil pembelajaran.
reason-level-no-path = Tiada tahap { $receiving } dapat ditentukan secara automatik untuk { $from } ({ $details }). Ini jurang dalam data perujukan, bukan perbezaan pencapaian: institusi penerima menentukan tahap dengan membandingkan hasil pembelajaran.
reason-level-not-stated = Kelayakan tidak menyatakan tahap dalam kerangka kelayakan, jadi tahapnya tidak dapat dibandingkan dengan { $receiving } secara automatik: institusi penerima menentukannya daripada program.
reason-referencing-provisional = Tahap ini bergantung pada perujukan sementara sahaja ({ $links }): bersumber tetapi bukan keputusan perujukan yang disahkan, jadi tahap tertakluk kepada pengesahan.
reason-referencing-example = Tahap ini bergantung pada perujukan contoh ({ $links }): data ilustrasi, bukan keputusan perujukan yang diterbitkan, jadi institusi penerima mesti mengesahkan tahap sebelum ia diambil kira.

## Beban pembelajaran
reason-credits-same-system = Beban pembelajaran sudah dalam sistem kredit penerima: { $claimed } kredit { $claimed_system }, { $awarded } diberikan tanpa penukaran.
reason-credits-converted = Beban pembelajaran ditukar tepat melalui peraturan kredit rasmi: { $claimed } kredit { $claimed_system } = { $hours } jam = { $awarded } kredit { $system }.
reason-credits-range = Beban pembelajaran ditukar kepada julat, bukan satu nilai: { $claimed } kredit { $claimed_system } = { $hours } jam = { $range } kredit { $system }; { $awarded } diberikan mengikut peraturan { $rule }, jadi institusi penerima boleh memilih nilai lain dalam { $range }.
reason-credits-provisional-rule = Nilai kredit bergantung pada data penukaran { $status } ({ $details }): { $awarded } kredit { $system } hanya anggaran sehingga peraturan itu disahkan.
reason-credits-not-convertible = Beban pembelajaran ({ $claimed } kredit { $claimed_system }) tidak dapat ditukar: { $details }; institusi penerima mesti menilainya sendiri.
reason-credits-not-stated = Kelayakan tidak menyatakan kredit bersama sistem kredit, jadi institusi penerima mesti menilai beban pembelajaran daripada program.

## Hasil pembelajaran
reason-learning-outcomes-stated = Kelayakan menyatakan { $count } hasil pembelajaran ({ $codes }) untuk dibandingkan dengan program penerima.
reason-learning-outcomes-missing = Kelayakan tidak menyatakan hasil pembelajaran, jadi ia tidak dapat dibandingkan dengan program penerima: dapatkannya daripada pengeluar atau nilai pelajar.

## Profil
reason-profile-stated = Profil: { $kind } "{ $name }" dalam { $field }; orientasinya ditimbang oleh program penerima (tidak dibandingkan secara automatik).
reason-profile-not-stated = Kelayakan tidak menyatakan jenis pencapaian mahupun bidang pengajian, jadi profilnya mesti dipastikan dengan pengeluar sebelum dibandingkan dengan program penerima.

## Keputusan ringkas
recognition-summary-recognised = Diiktiraf dalam { $receiving }.
recognition-summary-with-conditions = Diiktiraf dalam { $receiving }, tertakluk kepada { $n } syarat.
recognition-summary-undecided = Tidak dapat diputuskan secara automatik dalam { $receiving }: institusi penerima memutuskannya sendiri.
recognition-summary-not-recognised = Tidak diiktiraf dalam { $receiving }.
