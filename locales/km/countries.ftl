# Country names: see locales/en/countries.ftl.

country-CN = ចិន
country-LA = ឡាវ
country-TH = ថៃ
country-MY = ម៉ាឡេស៊ី
country-KH = កម្ពុជា
country-GH = ហ្គាណា
country-ZW = ស៊ីមបាវ៉េ
country-BN = ព្រុយណេ
country-ID = ឥណ្ឌូណេស៊ី
country-MM = មីយ៉ាន់ម៉ា
country-PH = ហ្វីលីពីន
country-SG = សិង្ហបុរី
country-VN = វៀតណាម
country-TL = ទីម័រលេស្តេ
