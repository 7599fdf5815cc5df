# Names of framework levels (see src/i18n/levels.rs and docs/LANGUAGES.md).

# A generic name in the data, "<framework> level <n>": $framework is its short name (MQF), $level the code.
level-generic = { $framework } ລະດັບ { $level }
# A generic name marked "(example)" in the data: $name is the generic name above.
level-example = { $name } (ຕົວຢ່າງ)

# Levels with a real name, keyed by framework id and level code. English equals the data.
level-CN-1X-intermediate = ຂັ້ນກາງ
level-CN-1X-junior = ຂັ້ນຕົ້ນ
level-CN-1X-senior = ຂັ້ນສູງ
level-CN-VOC-associate = ການສຶກສາວິຊາຊີບຊັ້ນສູງ ລະດັບອະນຸປະລິນຍາ
level-CN-VOC-bachelor = ການສຶກສາວິຊາຊີບຊັ້ນສູງ ລະດັບປະລິນຍາຕີວິຊາຊີບ
level-CN-VOC-secondary = ການສຶກສາວິຊາຊີບຂັ້ນມັດທະຍົມ
level-GH-NTVETQF-1 = ໃບຢັ້ງຢືນຄວາມຊຳນານແຫ່ງຊາດ I
level-GH-NTVETQF-2 = ໃບຢັ້ງຢືນຄວາມຊຳນານແຫ່ງຊາດ II
level-GH-NTVETQF-3 = ໃບຢັ້ງຢືນແຫ່ງຊາດ I
level-GH-NTVETQF-4 = ໃບຢັ້ງຢືນແຫ່ງຊາດ II
level-GH-NTVETQF-5 = ປະກາສະນີຍະບັດແຫ່ງຊາດຊັ້ນສູງ
level-GH-NTVETQF-6 = ປະລິນຍາຕີເຕັກໂນໂລຊີ
level-GH-NTVETQF-7 = ປະລິນຍາໂທເຕັກໂນໂລຊີ
level-GH-NTVETQF-8 = ປະລິນຍາເອກເຕັກໂນໂລຊີ
level-ISCED-2011-0 = ການສຶກສາປະຖົມໄວ
level-ISCED-2011-1 = ການສຶກສາຊັ້ນປະຖົມ
level-ISCED-2011-2 = ມັດທະຍົມຕອນຕົ້ນ
level-ISCED-2011-3 = ມັດທະຍົມຕອນປາຍ
level-ISCED-2011-4 = ການສຶກສາຫຼັງມັດທະຍົມທີ່ບໍ່ແມ່ນຊັ້ນສູງ
level-ISCED-2011-5 = ການສຶກສາຊັ້ນສູງໄລຍະສັ້ນ
level-ISCED-2011-6 = ປະລິນຍາຕີ ຫຼື ທຽບເທົ່າ
level-ISCED-2011-7 = ປະລິນຍາໂທ ຫຼື ທຽບເທົ່າ
level-ISCED-2011-8 = ປະລິນຍາເອກ ຫຼື ທຽບເທົ່າ
level-LA-NVQF-1 = ໃບຢັ້ງຢືນ I
level-LA-NVQF-2 = ໃບຢັ້ງຢືນ II
level-LA-NVQF-3 = ໃບຢັ້ງຢືນ III
level-LA-NVQF-4 = ປະກາສະນີຍະບັດ
level-LA-NVQF-5 = ປະກາສະນີຍະບັດຊັ້ນສູງ
level-MY-SKM-4 = ປະກາສະນີຍະບັດທັກສະມາເລເຊຍ (DKM)
level-MY-SKM-5 = ປະກາສະນີຍະບັດທັກສະຊັ້ນສູງມາເລເຊຍ (DLKM)
level-SZ-Agreement-T1 = ຂັ້ນ 1 (ຕົວຢ່າງ): ທັກສະພື້ນຖານ
level-SZ-Agreement-T2 = ຂັ້ນ 2 (ຕົວຢ່າງ): ແຮງງານມີສີມື
level-SZ-Agreement-T3 = ຂັ້ນ 3 (ຕົວຢ່າງ): ນັກວິຊາການ
level-SZ-Agreement-T4 = ຂັ້ນ 4 (ຕົວຢ່າງ): ຜູ້ຊ່ຽວຊານປະຍຸກ
level-SZ-Agreement-T5 = ຂັ້ນ 5 (ຕົວຢ່າງ): ຜູ້ຊ່ຽວຊານຊັ້ນສູງ
level-TH-TQF-1 = ອະນຸປະລິນຍາ
level-TH-TQF-2 = ປະລິນຍາຕີ
level-TH-TQF-3 = ປະກາສະນີຍະບັດຫຼັງປະລິນຍາຕີ
level-TH-TQF-4 = ປະລິນຍາໂທ
level-TH-TQF-5 = ປະກາສະນີຍະບັດຫຼັງປະລິນຍາໂທ
level-TH-TQF-6 = ປະລິນຍາເອກ
level-TH-VOC-certificate = ໃບຢັ້ງຢືນການສຶກສາວິຊາຊີບ
level-TH-VOC-diploma = ປະກາສະນີຍະບັດການສຶກສາວິຊາຊີບ
level-TH-VOC-higher-diploma = ປະກາສະນີຍະບັດຊັ້ນສູງ
level-ZNQF-1 = ໃບຢັ້ງຢືນລະດັບປະຖົມ
level-ZNQF-10 = ປະລິນຍາເອກ
level-ZNQF-9 = ປະລິນຍາໂທ
