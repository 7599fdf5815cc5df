# Country names: see locales/en/countries.ftl.

country-CN = ຈີນ
country-LA = ລາວ
country-TH = ໄທ
country-MY = ມາເລເຊຍ
country-KH = ກຳປູເຈຍ
country-GH = ການາ
country-ZW = ຊິມບັບເວ
country-BN = ບຣູໄນ
country-ID = ອິນໂດເນເຊຍ
country-MM = ມຽນມາ
country-PH = ຟີລິບປິນ
country-SG = ສິງກະໂປ
country-VN = ຫວຽດນາມ
country-TL = ຕີມໍ-ເລສເຕ
