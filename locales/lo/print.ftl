# ໃບຢັ້ງຢືນສຳລັບພິມ ແລະ ຮູບກາ (ເບິ່ງ locales/en/print.ftl).

print-title = ໃບຢັ້ງຢືນ: { $achievement }
print-heading = ໃບຢັ້ງຢືນ
print-awarded-to = ຂໍຢັ້ງຢືນວ່າ
print-has-achieved = ໄດ້ສຳເລັດ
print-awarded-on = ມອບໃຫ້ວັນທີ { $date }
print-verify-title = ກວດສອບໃບຢັ້ງຢືນນີ້
print-verify-text = ສະແກນລະຫັດ ຫຼື ເປີດທີ່ຢູ່ຂ້າງລຸ່ມນີ້ ເພື່ອເບິ່ງວ່າເອກະສານຢັ້ງຢືນທີ່ລົງລາຍເຊັນດິຈິຕອນທີ່ຢູ່ເບື້ອງຫຼັງເຈ້ຍນີ້ແມ່ນຂອງແທ້ ແລະ ຍັງໃຊ້ໄດ້ໃນມື້ນີ້ຫຼືບໍ່.
print-qr-alt = ລະຫັດ QR ຂອງໜ້າກວດສອບເອກະສານຢັ້ງຢືນ
print-hint = ພິມໜ້ານີ້ໃສ່ເຈ້ຍ A4 (ໜຶ່ງໜ້າ).
print-linkedin = ເພີ່ມໃສ່ໂປຣໄຟລ໌ LinkedIn
print-not-stated = (ບໍ່ໄດ້ລະບຸ)
print-level = { $framework } ລະດັບ { $code }

print-not-found-title = ບໍ່ພົບໃບຢັ້ງຢືນນີ້
print-not-found-text = ບໍ່ມີເອກະສານຢັ້ງຢືນໃດໃນບໍລິການນີ້ທີ່ໃຊ້ທີ່ຢູ່ນີ້. ກະລຸນາກວດທີ່ຢູ່ ຫຼື ຂໍລະຫັດ QR ຂອງໃບຢັ້ງຢືນຈາກຜູ້ທີ່ໃຫ້ທີ່ຢູ່ນີ້ແກ່ທ່ານ.
print-failed-title = ສ້າງໃບຢັ້ງຢືນບໍ່ໄດ້
print-failed-text = ມີບັນຫາເກີດຂຶ້ນໃນບໍລິການນີ້. ກະລຸນາລອງໃໝ່ໃນອີກບໍ່ເທົ່າໃດນາທີ.
