# ຄອນໂຊນຂອງສະຖາບັນ (src/http/console, templates/console): ສຳລັບພະນັກງານສະຖາບັນ ແລະ ຜູ້ດູແລໂນດ

console-name = ຄອນໂຊນ skillpass
console-back = ກັບໄປຄອນໂຊນ
console-sign-in = ເຂົ້າສູ່ລະບົບ
console-sign-in-heading = ເຂົ້າສູ່ຄອນໂຊນຂອງສະຖາບັນ
console-sign-in-help = ຂໍບັນຊີຈາກນາຍທະບຽນຂອງສະຖາບັນ ຫຼື ຜູ້ດູແລໂນດ. ລະບົບອັດຕະໂນມັດຍັງໃຊ້ໂທເຄັນ API.
console-sign-in-failed = ອີເມວ ຫຼື ລະຫັດຜ່ານບໍ່ຖືກຕ້ອງ.
console-sign-in-too-many = ປ້ອນລະຫັດຜ່ານຜິດຫຼາຍເທື່ອເກີນໄປ. ກະລຸນາລໍຖ້າໜຶ່ງນາທີແລ້ວລອງໃໝ່.
console-sign-out = ອອກຈາກລະບົບ
console-email = ອີເມວ
console-password = ລະຫັດຜ່ານ

console-nav-dashboard = ພາບລວມ
console-nav-credentials = ໃບຢັ້ງຢືນ
console-nav-audit = ບັນທຶກການກວດສອບ

console-role-viewer = ຜູ້ເບິ່ງ
console-role-issuer = ຜູ້ອອກໃບຢັ້ງຢືນ
console-role-registrar = ນາຍທະບຽນ
console-role-operator = ຜູ້ດູແລໂນດ

console-count-issued = ອອກແລ້ວ
console-count-claimed = ຜູ້ຮຽນຮັບແລ້ວ
console-count-revoked = ຖອນຄືນແລ້ວ
console-count-suspended = ໂຈະແລ້ວ
console-recent-credentials = ອອກຫຼ້າສຸດ
console-recent-activity = ກິດຈະກຳຫຼ້າສຸດ

console-search = ຄົ້ນຫາ
console-search-label = ລະຫັດບັນທຶກ, ຊື່ຜູ້ຮຽນ, ລະຫັດນັກຮຽນ ຫຼື ຜົນສຳເລັດ
console-found = ພົບໃບຢັ້ງຢືນ { $n } ລາຍການ

console-col-learner = ຜູ້ຮຽນ
console-col-student-number = ລະຫັດນັກຮຽນ
console-col-achievement = ຜົນສຳເລັດ
console-col-record = ລະຫັດບັນທຶກ
console-col-issued = ວັນທີອອກ
console-col-status = ສະຖານະ
console-col-when = ເມື່ອ
console-col-who = ໂດຍ
console-col-action = ການດຳເນີນການ
console-col-subject = ລາຍການ
console-col-institution = ສະຖາບັນ
console-col-country = ປະເທດ
console-col-keys = ກະແຈລົງລາຍເຊັນທີ່ໃຊ້ຢູ່
console-col-registry = ທະບຽນພັນທະມິດ

console-status-any = ທຸກສະຖານະ
console-status-active = ມີຜົນ
console-status-suspended = ຖືກໂຈະ
console-status-revoked = ຖືກຖອນຄືນ
console-claimed = ຮັບແລ້ວ

console-credential-id = ລະຫັດໃບຢັ້ງຢືນ
console-employer-page = ໜ້າສຳລັບນາຍຈ້າງ
console-history = ປະຫວັດສະຖານະ
console-history-none = ບໍ່ມີການປ່ຽນສະຖານະນັບແຕ່ອອກໃບຢັ້ງຢືນ.
console-change-status = ປ່ຽນສະຖານະ
console-action-revoke = ຖອນຄືນ
console-action-suspend = ໂຈະ
console-action-unsuspend = ຟື້ນຄືນ (ສິ້ນສຸດການໂຈະ)
console-reason = ເຫດຜົນ
console-reason-publish = ສະແດງເຫດຜົນໃຫ້ນາຍຈ້າງເຫັນ (ນາຍຈ້າງເຫັນວັນທີສະເໝີ)
console-reason-published = ສະແດງໃຫ້ນາຍຈ້າງເຫັນ
console-revoke-final = ການຖອນຄືນບໍ່ສາມາດຍົກເລີກໄດ້. ການໂຈະສາມາດສິ້ນສຸດໄດ້ພາຍຫຼັງ.

console-operator = ສະຖາບັນໃນໂນດນີ້
console-registry-member = ຢູ່ໃນທະບຽນ
console-registry-missing = ບໍ່ຢູ່ໃນທະບຽນພັນທະມິດ: ນາຍຈ້າງຈະເຫັນໃບຢັ້ງຢືນຂອງສະຖາບັນນີ້ເປັນ "ບໍ່ຮູ້ຜູ້ອອກ" ຈົນກວ່າຈະຖືກເພີ່ມເຂົ້າ.

console-error-internal = ມີບາງຢ່າງຜິດພາດ. ກະລຸນາລອງໃໝ່ໃນອີກບໍ່ເທົ່າໃດນາທີ.
console-error-csrf = ແບບຟອມນີ້ໝົດອາຍຸແລ້ວ. ກະລຸນາກັບຄືນ, ໂຫຼດໜ້າໃໝ່ ແລ້ວລອງອີກຄັ້ງ.
console-error-role = ບົດບາດຂອງທ່ານບໍ່ອະນຸຍາດໃຫ້ເຮັດສິ່ງນີ້. ກະລຸນາຕິດຕໍ່ນາຍທະບຽນຂອງສະຖາບັນ.
console-error-not-found = ບໍ່ມີໃບຢັ້ງຢືນນີ້ໃນບັນດາໃບຢັ້ງຢືນຂອງສະຖາບັນທ່ານ.
console-error-action = ກະລຸນາເລືອກ ຖອນຄືນ, ໂຈະ ຫຼື ຟື້ນຄືນ.
console-error-status = ບໍ່ສາມາດປ່ຽນສະຖານະໄດ້.
console-error-origin = ແບບຟອມນີ້ຖືກສົ່ງມາຈາກເວັບໄຊອື່ນ, ຈຶ່ງຖືກປະຕິເສດ.

console-keys-retired = ເຊົາໃຊ້ແລ້ວ
console-rotate-key = ສ້າງກະແຈລົງນາມໃໝ່
console-registry-body = ອົງການຮັບປະກັນຄຸນນະພາບ ຫຼື ຮັບຮອງມາດຕະຖານ
console-registry-status = ການຮັບຮອງ
console-registry-accredited = ໄດ້ຮັບການຮັບຮອງ
console-registry-provisional = ໄດ້ຮັບການຮັບຮອງຊົ່ວຄາວ
console-registry-reference = ເລກທີ່ຄຳຕັດສິນ ຫຼື ໃບຢັ້ງຢືນ (ບໍ່ບັງຄັບ)
console-registry-add = ເພີ່ມເຂົ້າໃນທະບຽນຂອງພັນທະມິດ
console-error-no-institution = ບໍ່ມີສະຖາບັນນີ້ຢູ່ໃນໂນດນີ້.
console-error-accreditation = ກະລຸນາລະບຸອົງການຮັບປະກັນຄຸນນະພາບ ແລະ ເລືອກໄດ້ຮັບການຮັບຮອງ ຫຼື ຮັບຮອງຊົ່ວຄາວ.
console-error-registry = ບໍ່ສາມາດເພີ່ມສະຖາບັນເຂົ້າໃນທະບຽນໄດ້.
console-error-rotate = ບໍ່ສາມາດປ່ຽນກະແຈລົງນາມໄດ້.

## Issue and upload
console-nav-issue = ອອກເທື່ອລະສະບັບ
console-nav-upload = ອັບໂຫຼດ CSV
console-issue-title = ອອກໃບຢັ້ງຢືນໜຶ່ງສະບັບ
console-issue-intro = ປ້ອນບັນທຶກຂອງຜູ້ຮຽນ. ໃບຢັ້ງຢືນຈະຖືກລົງນາມໃນນາມສະຖາບັນຂອງທ່ານທັນທີທີ່ກົດປຸ່ມ.
console-issue-record-id = ລະຫັດບັນທຶກ
console-issue-record-id-help = ລະຫັດທີ່ສະຖາບັນຂອງທ່ານໃຊ້ສຳລັບບັນທຶກນີ້. ລະຫັດບັນທຶກດຽວກັນຈະບໍ່ຖືກອອກສອງເທື່ອ, ສະນັ້ນການສົ່ງແບບຟອມນີ້ຄືນບໍ່ເປັນຫຍັງ.
console-issue-learner-name = ຊື່ ແລະ ນາມສະກຸນຂອງຜູ້ຮຽນ
console-issue-student-number = ລະຫັດນັກຮຽນ
console-issue-achievement = ຜົນສຳເລັດ (ວິຊາ ຫຼື ວຸດທິ)
console-issue-description = ສິ່ງທີ່ຜູ້ຮຽນເຮັດສຳເລັດ
console-issue-criteria = ວິທີການປະເມີນ
console-issue-outcomes = ຜົນການຮຽນຮູ້
console-issue-outcomes-help = ແຖວລະໜຶ່ງຂໍ້. ຖ້າຕ້ອງການໃສ່ລະຫັດ, ໃຫ້ຂຽນລະຫັດກ່ອນ ແລ້ວຕາມດ້ວຍຂີດຕັ້ງ: NEV-1 | ຕັດແຍກລະບົບໄຟຟ້າແຮງສູງ
console-issue-field = ສາຂາວິຊາ (ISCED-F 2013)
console-issue-level = ລະດັບ
console-issue-credits = ໜ່ວຍກິດ
console-issue-credit-system = ລະບົບໜ່ວຍກິດ
console-issue-hours = ຊົ່ວໂມງການຮຽນ
console-issue-awarded = ວັນທີໄດ້ຮັບ
console-issue-valid-until = ໃຊ້ໄດ້ຮອດ (ບໍ່ບັງຄັບ)
console-issue-choose = ເລືອກ…
console-issue-submit = ອອກໃບຢັ້ງຢືນ
console-issue-failed = ຍັງບໍ່ໄດ້ອອກໃບຢັ້ງຢືນ. ກະລຸນາແກ້ໄຂຊ່ອງທີ່ໝາຍໄວ້ຂ້າງລຸ່ມ.
console-issue-required = ກະລຸນາປ້ອນຊ່ອງນີ້.
console-issue-number = ປ້ອນເປັນຕົວເລກ, ເຊັ່ນ 3 ຫຼື 1.5.
console-issue-date = ປ້ອນວັນທີເປັນ ປີ-ເດືອນ-ວັນ, ເຊັ່ນ 2025-07-11.
console-issue-bad-record-id = ໃຊ້ຕົວອັກສອນ, ຕົວເລກ ແລະ ເຄື່ອງໝາຍເຊັ່ນ - ຫຼື _, ໂດຍບໍ່ມີຍະຫວ່າງ (ບໍ່ເກີນ 128 ຕົວອັກສອນ).
console-issue-exists = ມີໃບຢັ້ງຢືນທີ່ອອກດ້ວຍລະຫັດບັນທຶກນີ້ແລ້ວ.
console-issue-see-existing = ເປີດເບິ່ງ
console-upload-title = ອັບໂຫຼດໄຟລ໌ CSV ຂອງບັນທຶກ
console-upload-intro = ແຕ່ລະແຖວໃນໄຟລ໌ຈະກາຍເປັນໃບຢັ້ງຢືນໜຶ່ງສະບັບ. ເລີ່ມຈາກແບບຟອມຕົວຢ່າງ: ມັນມີທຸກຖັນ ແລະ ຕົວຢ່າງສອງແຖວ.
console-upload-template = ດາວໂຫຼດແບບຟອມຕົວຢ່າງ (CSV)
console-upload-file = ໄຟລ໌ CSV
console-upload-submit = ອັບໂຫຼດ ແລະ ອອກໃບຢັ້ງຢືນ
console-upload-limits = ບໍ່ເກີນ { $rows } ແຖວ ແລະ { $megabytes } MB ຕໍ່ໄຟລ໌. ທຸກແຖວຕ້ອງມີລະຫັດບັນທຶກ, ສະນັ້ນການແລ່ນໄຟລ໌ຄືນຈະບໍ່ອອກແຖວໃດຊ້ຳ.
console-upload-recent = ການອັບໂຫຼດຫຼ້າສຸດ
console-upload-none = ຍັງບໍ່ມີການອັບໂຫຼດ.
console-upload-forgotten = ລາຍການນີ້ ແລະ ໜ້າຄວາມຄືບໜ້າຖືກເກັບໄວ້ພຽງຈົນກວ່າບໍລິການຈະເລີ່ມໃໝ່. ໃບຢັ້ງຢືນເອງຖືກບັນທຶກໄວ້ທັນທີທີ່ອອກ.
console-upload-job = ການອັບໂຫຼດ: { $name }
console-upload-by = ອັບໂຫຼດໂດຍ { $who } ເມື່ອ { $when }
console-upload-progress = ສຳເລັດ { $done } ຈາກ { $total } ແຖວ
console-upload-running = ກຳລັງອອກໃບຢັ້ງຢືນ… ໜ້ານີ້ຈະໂຫຼດຄືນເອງ.
console-upload-finished = ສຳເລັດແລ້ວ.
console-upload-issued = ອອກແລ້ວ
console-upload-existing = ອອກໄວ້ກ່ອນໜ້ານີ້ແລ້ວ
console-upload-failed = ບໍ່ໄດ້ອອກ
console-upload-errors = ແຖວທີ່ບໍ່ໄດ້ອອກ
console-upload-col-row = ແຖວ
console-upload-col-field = ຖັນ
console-upload-col-problem = ບັນຫາ
console-upload-no-record-id = ແຖວນີ້ບໍ່ມີລະຫັດບັນທຶກ. ກະລຸນາເພີ່ມລະຫັດ, ເພື່ອບໍ່ໃຫ້ການແລ່ນໄຟລ໌ຄືນອອກແຖວນີ້ຊ້ຳ.
console-upload-fix = ແກ້ໄຂ ແລ້ວແລ່ນອີກຄັ້ງ
console-upload-fix-help = ດາວໂຫຼດແຖວທີ່ບໍ່ໄດ້ອອກ, ແກ້ໄຂ ແລ້ວອັບໂຫຼດໄຟລ໌ນັ້ນ, ຫຼື ແກ້ໄຂຢູ່ນີ້. ແຖວທີ່ອອກແລ້ວຈະບໍ່ຖືກອອກຊ້ຳ.
console-upload-download-failed = ດາວໂຫຼດແຖວທີ່ບໍ່ໄດ້ອອກ (CSV)
console-upload-rows = ແຖວທີ່ບໍ່ໄດ້ອອກ
console-upload-rerun = ແລ່ນແຖວເຫຼົ່ານີ້ອີກຄັ້ງ
console-upload-fixed-name = { $name } (ແກ້ໄຂແລ້ວ)
console-upload-done-rows = ແຖວທີ່ອອກແລ້ວ
console-upload-open = ເປີດ
console-error-upload-size = ໄຟລ໌ໃຫຍ່ເກີນໄປ: ຮັບໄດ້ບໍ່ເກີນ { $megabytes } MB.
console-error-upload-rows = ໄຟລ໌ມີ { $rows } ແຖວ, ແຕ່ຮັບໄດ້ເທື່ອລະບໍ່ເກີນ { $max } ແຖວ. ກະລຸນາແບ່ງເປັນໄຟລ໌ນ້ອຍລົງ.
console-error-upload-empty = ໄຟລ໌ມີແຖວຫົວຖັນ ແຕ່ບໍ່ມີບັນທຶກຢູ່ລຸ່ມ.
console-error-upload-none = ເລືອກໄຟລ໌ CSV ທີ່ຈະອັບໂຫຼດ.
console-error-upload-header = ແຖວທຳອິດຂອງໄຟລ໌ບໍ່ໄດ້ລະບຸຊື່ຖັນຕາມແບບຟອມຕົວຢ່າງ.
console-error-upload-busy = ມີການອັບໂຫຼດທີ່ຍັງເຮັດວຽກຢູ່ຫຼາຍເກີນໄປ. ກະລຸນາລໍຖ້າໃຫ້ສຳເລັດໜຶ່ງລາຍການ.
console-error-upload-not-found = ບໍ່ພົບການອັບໂຫຼດນີ້ໃນສະຖາບັນຂອງທ່ານ. ລາຍການອັບໂຫຼດຈະຫາຍໄປເມື່ອບໍລິການເລີ່ມໃໝ່, ແຕ່ໃບຢັ້ງຢືນບໍ່ຫາຍ.

## Claim sheet and operator

console-achievement-any = ທຸກຜົນສຳເລັດ
console-issued-from = ອອກແຕ່ວັນທີ
console-issued-to = ອອກຮອດວັນທີ
console-page-previous = ← ໜ້າກ່ອນ
console-page-next = ໜ້າຕໍ່ໄປ →
console-page-of = ໜ້າ { $page } ຈາກ { $pages }
console-sheet-explain = ໃບຮັບເອກະສານ: ໝາຍເອົາຜູ້ຮຽນ ຫຼື ເລືອກທັງໝົດທີ່ພົບ ເພື່ອພິມໃບນ້ອຍໃຫ້ແຕ່ລະຄົນ ພ້ອມລະຫັດ QR ແລະ ລະຫັດໃຊ້ຄັ້ງດຽວ ສຳລັບຮັບໃບຢັ້ງຢືນເຂົ້າວໍເລັດຂອງຜູ້ຮຽນ. ທຸກເທື່ອທີ່ສ້າງໃບຮັບເອກະສານຈະໄດ້ລະຫັດໃໝ່: ໃບນ້ອຍທີ່ພິມໄວ້ກ່ອນສຳລັບໃບຢັ້ງຢືນດຽວກັນຈະໃຊ້ບໍ່ໄດ້ອີກ.
console-sheet-ticked = ສ້າງໃບຮັບເອກະສານສຳລັບຜູ້ຮຽນທີ່ໝາຍໄວ້
console-sheet-all = { $n ->
    [one] ສ້າງໃບຮັບເອກະສານສຳລັບ 1 ລາຍການທີ່ພົບ
   *[other] ສ້າງໃບຮັບເອກະສານສຳລັບທັງໝົດ { $n } ລາຍການທີ່ພົບ
}
console-sheet-pick = ໃສ່ໃນໃບຮັບເອກະສານ
console-sheet-title = ໃບຮັບເອກະສານ
console-sheet-made = { $n ->
    [0] ບໍ່ມີໃບນ້ອຍ: ບໍ່ມີໃບຢັ້ງຢືນທີ່ເລືອກໃດທີ່ຮັບໄດ້ໃນຕອນນີ້.
   *[other] ໃບນ້ອຍ { $n } ໃບພ້ອມພິມແລ້ວ.
}
console-sheet-print = ກະລຸນາພິມໜ້ານີ້ດຽວນີ້ (ໃຊ້ຄຳສັ່ງພິມຂອງບຣາວເຊີ, ເຈ້ຍ A4, ໜ້າລະສີ່ໃບ) ແລ້ວຕັດຕາມເສັ້ນຈ້ຳ. ລະຫັດໃຊ້ຄັ້ງດຽວສະແດງສະເພາະໃນໜ້ານີ້: ຖ້າໂຫຼດໜ້ານີ້ຄືນໃໝ່, ລະບົບຈະສ້າງລະຫັດໃໝ່ ແລະ ໃບນ້ອຍທີ່ພິມໄວ້ກ່ອນຈະໃຊ້ບໍ່ໄດ້.
console-sheet-replaced = ໄດ້ຖອນຂໍ້ສະເໜີຮັບເອກະສານເກົ່າ { $n } ລາຍການແລ້ວ: ໃບນ້ອຍທີ່ພິມໄວ້ກ່ອນສຳລັບໃບຢັ້ງຢືນດຽວກັນໃຊ້ບໍ່ໄດ້ອີກຕໍ່ໄປ.
console-sheet-skipped = ບໍ່ຢູ່ໃນໃບຮັບເອກະສານນີ້
console-skip-claimed = ຜູ້ຮຽນຮັບເຂົ້າວໍເລັດແລ້ວ
console-skip-revoked = ຖືກຖອນຄືນແລ້ວ ຈຶ່ງຮັບບໍ່ໄດ້
console-skip-refused = ສະເໜີໃຫ້ຮັບບໍ່ໄດ້
console-slip-qr = ລະຫັດ QR ຂອງລິ້ງຮັບເອກະສານ
console-slip-step-scan = ສະແກນລະຫັດ QR ດ້ວຍກ້ອງຂອງໂທລະສັບ ຫຼື ພິມລິ້ງຂ້າງລຸ່ມໃສ່ບຣາວເຊີ.
console-slip-step-code = ເມື່ອລະບົບຖາມ, ໃຫ້ປ້ອນລະຫັດໃຊ້ຄັ້ງດຽວຂອງທ່ານ.
console-slip-code = ລະຫັດໃຊ້ຄັ້ງດຽວ
console-slip-link = ລິ້ງ
console-slip-by = ກະລຸນາຮັບພາຍໃນ { $date }.
console-slip-private = ເກັບໃບນີ້ໄວ້ກັບຕົວ ຢ່າໃຫ້ຄົນອື່ນ: ໃຜກໍຕາມທີ່ມີໃບນີ້ສາມາດຮັບໃບຢັ້ງຢືນຂອງທ່ານໄດ້.
console-error-sheet-empty = ກະລຸນາໝາຍຜູ້ຮຽນຢ່າງໜ້ອຍໜຶ່ງຄົນສຳລັບໃບຮັບເອກະສານ.
console-error-sheet-large = ໃບຮັບເອກະສານໜຶ່ງຊຸດມີຜູ້ຮຽນໄດ້ບໍ່ເກີນ { $max } ຄົນ; ການຄົ້ນຫານີ້ພົບ { $n } ຄົນ. ກະລຸນາຈຳກັດການຄົ້ນຫາ (ຕາມຜົນສຳເລັດ ຫຼື ວັນທີອອກ) ແລ້ວສ້າງຫຼາຍຊຸດ.

console-register-heading = ລົງທະບຽນສະຖາບັນ
console-register-id = ລະຫັດຫຍໍ້ (ຕົວອັກສອນອັງກິດໂຕນ້ອຍ, ຕົວເລກ, - ແລະ _; ໃຊ້ໃນທີ່ຢູ່ເວັບ)
console-register-name = ຊື່
console-register-country = ປະເທດ (ລະຫັດສອງຕົວອັກສອນ ເຊັ່ນ MY, TH, CN)
console-register-url = ທີ່ຢູ່ເວັບໄຊ (ບໍ່ບັງຄັບ, https://…)
console-register-framework = ກອບຄຸນວຸດທິ (ເຊັ່ນ MQF, CN-VOC)
console-register-did = ຕົວລະບຸ (DID)
console-register-did-key = did:key: ກະແຈແມ່ນຕົວລະບຸ; ງ່າຍທີ່ສຸດ ແຕ່ປ່ຽນກະແຈບໍ່ໄດ້ເລີຍ
console-register-did-web = did:web ພາຍໃຕ້ທີ່ຢູ່ຂອງໂນດນີ້: ປ່ຽນກະແຈລົງນາມໄດ້ພາຍຫຼັງ
console-register-registry = ເພີ່ມເຂົ້າໃນທະບຽນຂອງພັນທະມິດດຽວນີ້
console-register-unlisted-hint = ຖ້າບໍ່ຢູ່ໃນທະບຽນຂອງພັນທະມິດ, ນາຍຈ້າງຈະເຫັນໃບຢັ້ງຢືນຂອງສະຖາບັນນີ້ເປັນ "ບໍ່ຮູ້ຜູ້ອອກ" ຈົນກວ່າຈະຖືກເພີ່ມເຂົ້າ.
console-register-submit = ລົງທະບຽນ
console-registered-heading = ລົງທະບຽນ { $name } ແລ້ວ
console-registered-did = DID
console-registered-token = ໂທເຄັນ API
console-registered-token-once = ໂທເຄັນ API ສະແດງພຽງເທື່ອນີ້ເທື່ອດຽວ. ກະລຸນາສຳເນົາດຽວນີ້ ແລະ ສົ່ງໃຫ້ນັກພັດທະນາຂອງສະຖາບັນຜ່ານຊ່ອງທາງທີ່ປອດໄພ. ຖ້າເຮັດເສຍ, ຜູ້ດູແລໂນດສາມາດສ້າງໂທເຄັນໃໝ່ຜ່ານ API ຂອງຜູ້ດູແລ, ແລ້ວໂທເຄັນເກົ່າຈະໃຊ້ບໍ່ໄດ້.
console-registered-listed = ສະຖາບັນນີ້ຢູ່ໃນທະບຽນຂອງພັນທະມິດ: ນາຍຈ້າງເຫັນໃບຢັ້ງຢືນຂອງສະຖາບັນວ່າມາຈາກຜູ້ອອກທີ່ຮູ້ຈັກ.
console-registered-unlisted = ສະຖາບັນນີ້ຍັງບໍ່ຢູ່ໃນທະບຽນຂອງພັນທະມິດ: ນາຍຈ້າງຈະເຫັນໃບຢັ້ງຢືນຂອງສະຖາບັນເປັນ "ບໍ່ຮູ້ຜູ້ອອກ" ຈົນກວ່າຈະຖືກເພີ່ມເຂົ້າ.
console-error-register = ລົງທະບຽນສະຖາບັນບໍ່ສຳເລັດ.
console-error-register-id = ລະຫັດຫຍໍ້ມີໄດ້ສະເພາະຕົວອັກສອນອັງກິດໂຕນ້ອຍ, ຕົວເລກ, - ແລະ _, ແລະ ຕ້ອງເລີ່ມດ້ວຍຕົວອັກສອນ ຫຼື ຕົວເລກ (ບໍ່ເກີນ 64 ຕົວ).
console-error-register-framework = ກະລຸນາລະບຸກອບຄຸນວຸດທິທີ່ສະຖາບັນໃຊ້ມອບຄຸນວຸດທິ.
