# បញ្ហាដែលការពិនិត្យកំណត់ត្រារកឃើញ (src/i18n/record.rs) នៅលើទម្រង់ចេញ និងតារាងជួរខុសនៃឯកសារដែលបានផ្ទុកឡើង។
# តម្លៃ លេខកូដ និងបញ្ជីលេខកូដ ($value, $levels, $frameworks, $allowed, $forms) ជាទិន្នន័យ ដាក់ដូចដែលវាមាន។

## The record schema
record-required = ត្រូវតែមាន ប៉ុន្តែមិនទាន់បានបំពេញ
record-not-allowed = មិនមែនជាប្រអប់ទិន្នន័យដែលអនុញ្ញាតនៅទីនេះទេ
record-not-one-of = { $value } មិនមែនជាតម្លៃមួយក្នុងចំណោម { $allowed } ទេ
record-not-in-list = { $value } មិនមាននៅក្នុងបញ្ជីលេខកូដដែលអនុញ្ញាតទាំង { $count } ទេ
record-one-of = ត្រូវតែជាទម្រង់មួយប៉ុណ្ណោះក្នុងចំណោម៖ { $forms }
record-more-than-one = ត្រូវនឹងទម្រង់ច្រើនជាងមួយ៖ { $forms }
record-blank = មិនអាចទទេ ឬមានតែដកឃ្លាបានទេ
record-spaces-around = { $value } មិនអាចទទេ ឬចាប់ផ្ដើម ឬបញ្ចប់ដោយដកឃ្លាបានទេ
record-ascii-word = { $value } អាចមានតែអក្សរឡាតាំង លេខ និងសញ្ញា ASCII ដោយគ្មានដកឃ្លា
record-country-code = { $value } មិនមែនជាលេខកូដប្រទេស ISO 3166 ពីរអក្សរធំ ដូចជា CN, MY ឬ TH ទេ
record-web-address = { $value } មិនមែនជាអាសយដ្ឋានគេហទំព័រដែលចាប់ផ្ដើមដោយ https:// (ឬ http://) ដូចជា https://www.example.edu/ ទេ
record-did = { $value } មិនមែនជា DID (ដូចជា did:key:z6Mk…) ទេ
record-absolute-address = { $value } មិនមែនជាអាសយដ្ឋានពេញ ដូចជា https://… ឬ urn:… ដោយគ្មានដកឃ្លាទេ
record-date-time = { $value } មិនមែនជាកាលបរិច្ឆេទ (2025-07-11) ឬកាលបរិច្ឆេទនិងម៉ោងជាមួយតំបន់ម៉ោង (2025-07-11T16:30:00+08:00) ទេ
record-isced-code = { $value } មិនមែនជាលេខកូដពី 2 ទៅ 4 ខ្ទង់ទេ
record-single-word = { $value } មិនមែនជាពាក្យតែមួយ (អក្សរ លេខ '.', '_' ឬ '-'; ប្រភេទបន្ថែមចាប់ផ្ដើមដោយ ext:) ទេ
record-language-tag = { $value } មិនមែនជាលេខកូដភាសា ដូចជា th, km, zh-Hans ឬ pt-BR ទេ
record-short-code = { $value } មិនមែនជាលេខកូដខ្លី (អក្សរ លេខ '.', '_' ឬ '-' ចាប់ផ្ដើមដោយអក្សរ ឬលេខ យ៉ាងច្រើន 32 តួ) ទេ
record-form = { $value } មិនត្រូវតាមទម្រង់ដែលបានកំណត់ទេ
record-date = { $value } មិនមែនជាកាលបរិច្ឆេទ ដូចជា 2025-07-11 ទេ
record-full-address = { $value } មិនមែនជាអាសយដ្ឋានពេញ ដូចជា https://www.example.edu/ ទេ
record-email = { $value } មិនមែនជាអាសយដ្ឋានអ៊ីមែលទេ
record-format = { $value } មិនមែនជា { $format } ត្រឹមត្រូវទេ
record-type = ត្រូវតែជា{ $type ->
    [string] អត្ថបទ
    [number] លេខ
    [integer] ចំនួនគត់
    [boolean] true ឬ false
    [object] វត្ថុ {"{"}…{"}"}
    [array] បញ្ជី […]
   *[other] { $type }
}
record-minimum = { $value } តិចជាងតម្លៃអប្បបរមា { $limit }
record-exclusive-minimum = { $value } ត្រូវតែធំជាង { $limit }
record-too-short = { $limit ->
    [1] មិនអាចទទេបានទេ
   *[other] ត្រូវមានយ៉ាងតិច { $limit } តួអក្សរ
}
record-too-long = អាចមានយ៉ាងច្រើន { $limit } តួអក្សរ
record-too-few = { $limit ->
    [1] ត្រូវមានយ៉ាងតិចមួយ
   *[other] ត្រូវមានយ៉ាងតិច { $limit }
}
record-too-many = អាចមានយ៉ាងច្រើន { $limit }

## The framework data and the rules across fields
record-framework-unknown = ក្របខណ្ឌ `{ $framework }` មិនមែនជាក្របខណ្ឌគុណវុឌ្ឍិដែល skillpass ស្គាល់ទេ។ ក្របខណ្ឌដែលមានគឺ៖ { $frameworks }
record-framework-unknown-like = ក្របខណ្ឌ `{ $framework }` មិនមែនជាក្របខណ្ឌគុណវុឌ្ឍិដែល skillpass ស្គាល់ទេ (លេខកូដបែងចែកអក្សរធំតូច៖ តើអ្នកចង់សរសេរ { $like } ឬ?)។ ក្របខណ្ឌដែលមានគឺ៖ { $frameworks }
record-level-unknown = `{ $code }` មិនមែនជាកម្រិតមួយនៃក្របខណ្ឌ { $framework } ទេ។ កម្រិតរបស់វាគឺ៖ { $levels }
record-level-unknown-like = `{ $code }` មិនមែនជាកម្រិតមួយនៃក្របខណ្ឌ { $framework } ទេ (លេខកូដបែងចែកអក្សរធំតូច៖ តើអ្នកចង់សរសេរ { $like } ឬ?)។ កម្រិតរបស់វាគឺ៖ { $levels }
record-decimals = មានខ្ទង់ទសភាគច្រើនជាងពីរ
record-duplicate-outcome-code = លេខកូដលទ្ធផលសិក្សា "{ $code }" ស្ទួនគ្នា
record-not-after-award = ត្រូវតែក្រោយកាលបរិច្ឆេទប្រគល់ (awardedDate)

## The batch file's rows
record-row-cells = ជួរនេះមាន { $cells } ក្រឡា ប៉ុន្តែជួរក្បាលមាន { $header }
record-cell-not-utf8 = ក្រឡាទី { $cell } មិនមែនជាអត្ថបទ UTF-8 ទេ
record-row-too-long = ជួរនេះវែង { $bytes } បៃ ប៉ុន្តែជួរមួយអាចវែងយ៉ាងច្រើន { $max } បៃ
record-duplicate-record-id = លេខកំណត់ត្រា (recordId) "{ $id }" មានរួចហើយនៅជួរទី { $row } នៃឯកសារនេះ
record-outcome-count = { $column } មាន { $count } ឃ្លា ប៉ុន្តែ outcomes មានលទ្ធផល { $outcomes }៖ សូមសរសេរឃ្លាមួយសម្រាប់លទ្ធផលនីមួយៗ តាមលំដាប់ដដែល ហើយបំបែកដោយ ;
