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
