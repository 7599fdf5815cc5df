# ບັນຫາທີ່ການກວດບັນທຶກພົບ (src/i18n/record.rs) ໃນແບບຟອມອອກ ແລະ ຕາຕະລາງແຖວທີ່ຜິດຂອງໄຟລ໌ທີ່ອັບໂຫຼດ.
# ຄ່າ, ລະຫັດ ແລະ ລາຍການລະຫັດ ($value, $levels, $frameworks, $allowed, $forms) ເປັນຂໍ້ມູນ, ໃສ່ຕາມທີ່ມັນເປັນ.

## The record schema
record-required = ຈຳເປັນຕ້ອງມີ ແຕ່ຍັງບໍ່ໄດ້ປ້ອນ
record-not-allowed = ບໍ່ແມ່ນຊ່ອງຂໍ້ມູນທີ່ອະນຸຍາດຢູ່ບ່ອນນີ້
record-not-one-of = { $value } ບໍ່ແມ່ນຄ່າໃດໜຶ່ງໃນ { $allowed }
record-not-in-list = { $value } ບໍ່ຢູ່ໃນລາຍການລະຫັດທີ່ອະນຸຍາດ { $count } ລະຫັດ
record-one-of = ຕ້ອງເປັນຮູບແບບດຽວໃນບັນດາ: { $forms }
record-more-than-one = ກົງກັບຫຼາຍກວ່າໜຶ່ງຮູບແບບ: { $forms }
record-blank = ຕ້ອງບໍ່ຫວ່າງ ຫຼື ມີແຕ່ຍະຫວ່າງ
record-spaces-around = { $value } ຕ້ອງບໍ່ຫວ່າງ ແລະ ບໍ່ຂຶ້ນຕົ້ນ ຫຼື ລົງທ້າຍດ້ວຍຍະຫວ່າງ
record-ascii-word = { $value } ໃຊ້ໄດ້ສະເພາະຕົວອັກສອນລາແຕັງ, ຕົວເລກ ແລະ ເຄື່ອງໝາຍ ASCII, ບໍ່ມີຍະຫວ່າງ
record-country-code = { $value } ບໍ່ແມ່ນລະຫັດປະເທດ ISO 3166 ສອງຕົວອັກສອນໃຫຍ່, ເຊັ່ນ CN, MY ຫຼື TH
record-web-address = { $value } ບໍ່ແມ່ນທີ່ຢູ່ເວັບທີ່ຂຶ້ນຕົ້ນດ້ວຍ https:// (ຫຼື http://), ເຊັ່ນ https://www.example.edu/
record-did = { $value } ບໍ່ແມ່ນ DID (ເຊັ່ນ did:key:z6Mk…)
record-absolute-address = { $value } ບໍ່ແມ່ນທີ່ຢູ່ເຕັມ ເຊັ່ນ https://… ຫຼື urn:…, ບໍ່ມີຍະຫວ່າງ
record-date-time = { $value } ບໍ່ແມ່ນວັນທີ (2025-07-11) ຫຼື ວັນທີ ແລະ ເວລາພ້ອມເຂດເວລາ (2025-07-11T16:30:00+08:00)
record-isced-code = { $value } ບໍ່ແມ່ນລະຫັດຕົວເລກ 2 ຫາ 4 ຫຼັກ
record-single-word = { $value } ບໍ່ແມ່ນຄຳດຽວ (ຕົວອັກສອນ, ຕົວເລກ, '.', '_' ຫຼື '-'; ປະເພດເສີມຂຶ້ນຕົ້ນດ້ວຍ ext:)
record-language-tag = { $value } ບໍ່ແມ່ນລະຫັດພາສາ ເຊັ່ນ th, km, zh-Hans ຫຼື pt-BR
record-short-code = { $value } ບໍ່ແມ່ນລະຫັດສັ້ນ (ຕົວອັກສອນ, ຕົວເລກ, '.', '_' ຫຼື '-', ຂຶ້ນຕົ້ນດ້ວຍຕົວອັກສອນ ຫຼື ຕົວເລກ, ບໍ່ເກີນ 32 ຕົວ)
record-form = { $value } ບໍ່ຕົງຕາມຮູບແບບທີ່ກຳນົດ
record-date = { $value } ບໍ່ແມ່ນວັນທີ ເຊັ່ນ 2025-07-11
record-full-address = { $value } ບໍ່ແມ່ນທີ່ຢູ່ເຕັມ ເຊັ່ນ https://www.example.edu/
record-email = { $value } ບໍ່ແມ່ນທີ່ຢູ່ອີເມວ
record-format = { $value } ບໍ່ແມ່ນ { $format } ທີ່ຖືກຕ້ອງ
record-type = ຕ້ອງເປັນ{ $type ->
    [string] ຂໍ້ຄວາມ
    [number] ຕົວເລກ
    [integer] ຈຳນວນເຕັມ
    [boolean] true ຫຼື false
    [object] ອອບເຈັກ {"{"}…{"}"}
    [array] ລາຍການ […]
   *[other] { $type }
}
record-minimum = { $value } ນ້ອຍກວ່າຄ່າຕ່ຳສຸດ { $limit }
record-exclusive-minimum = { $value } ຕ້ອງຫຼາຍກວ່າ { $limit }
record-too-short = { $limit ->
    [1] ຕ້ອງບໍ່ຫວ່າງ
   *[other] ຕ້ອງຍາວຢ່າງໜ້ອຍ { $limit } ຕົວອັກສອນ
}
record-too-long = ຕ້ອງຍາວບໍ່ເກີນ { $limit } ຕົວອັກສອນ
record-too-few = { $limit ->
    [1] ຕ້ອງມີຢ່າງໜ້ອຍໜຶ່ງລາຍການ
   *[other] ຕ້ອງມີຢ່າງໜ້ອຍ { $limit } ລາຍການ
}
record-too-many = ຕ້ອງມີບໍ່ເກີນ { $limit } ລາຍການ

## The framework data and the rules across fields
record-framework-unknown = ລະບົບບໍ່ຮູ້ຈັກກອບຄຸນວຸດທິ `{ $framework }`; ກອບຄຸນວຸດທິທີ່ມີແມ່ນ: { $frameworks }
record-framework-unknown-like = ລະບົບບໍ່ຮູ້ຈັກກອບຄຸນວຸດທິ `{ $framework }` (ລະຫັດແຍກຕົວອັກສອນໃຫຍ່-ນ້ອຍ: ໝາຍເຖິງ { $like } ບໍ?); ກອບຄຸນວຸດທິທີ່ມີແມ່ນ: { $frameworks }
record-level-unknown = `{ $code }` ບໍ່ແມ່ນລະດັບຂອງກອບຄຸນວຸດທິ { $framework }; ລະດັບທີ່ມີແມ່ນ: { $levels }
record-level-unknown-like = `{ $code }` ບໍ່ແມ່ນລະດັບຂອງກອບຄຸນວຸດທິ { $framework } (ລະຫັດແຍກຕົວອັກສອນໃຫຍ່-ນ້ອຍ: ໝາຍເຖິງ { $like } ບໍ?); ລະດັບທີ່ມີແມ່ນ: { $levels }
record-decimals = ມີທົດສະນິຍົມເກີນສອງຕຳແໜ່ງ
record-duplicate-outcome-code = ລະຫັດຜົນການຮຽນຮູ້ "{ $code }" ຊ້ຳກັນ
record-not-after-award = ຕ້ອງເປັນວັນທີຫຼັງວັນທີໄດ້ຮັບ (awardedDate)

## The batch file's rows
record-row-cells = ແຖວນີ້ມີ { $cells } ຊ່ອງ, ແຕ່ແຖວຫົວຕາຕະລາງມີ { $header } ຊ່ອງ
record-cell-not-utf8 = ຊ່ອງທີ { $cell } ບໍ່ແມ່ນຂໍ້ຄວາມ UTF-8
record-row-too-long = ແຖວນີ້ຍາວ { $bytes } ໄບ, ແຕ່ແຖວໜຶ່ງຍາວໄດ້ບໍ່ເກີນ { $max } ໄບ
record-duplicate-record-id = ລະຫັດບັນທຶກ (recordId) "{ $id }" ມີຢູ່ແລ້ວໃນແຖວທີ { $row } ຂອງໄຟລ໌ນີ້
record-outcome-count = { $column } ມີ { $count } ຂໍ້ຄວາມ ແຕ່ outcomes ມີ { $outcomes } ຜົນ: ຂຽນໜຶ່ງຂໍ້ຄວາມຕໍ່ໜຶ່ງຜົນການຮຽນຮູ້, ຕາມລຳດັບດຽວກັນ, ຂັ້ນດ້ວຍ ;
