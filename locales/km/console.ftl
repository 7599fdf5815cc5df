# កុងសូលរបស់ស្ថាប័ន (src/http/console, templates/console)៖ សម្រាប់បុគ្គលិកស្ថាប័ន និងប្រតិបត្តិករថ្នាំង

console-name = កុងសូល skillpass
console-back = ត្រឡប់ទៅកុងសូល
console-sign-in = ចូល
console-sign-in-heading = ចូលកុងសូលរបស់ស្ថាប័ន
console-sign-in-help = សូមស្នើសុំគណនីពីអ្នកចុះបញ្ជីរបស់ស្ថាប័ន ឬប្រតិបត្តិករថ្នាំង។ ប្រព័ន្ធស្វ័យប្រវត្តិនៅតែប្រើថូខឹន API។
console-sign-in-failed = អាសយដ្ឋានអ៊ីមែល ឬពាក្យសម្ងាត់មិនត្រឹមត្រូវ។
console-sign-in-too-many = ពាក្យសម្ងាត់ខុសច្រើនដងពេក។ សូមរង់ចាំមួយនាទី ហើយព្យាយាមម្ដងទៀត។
console-sign-out = ចាកចេញ
console-email = អាសយដ្ឋានអ៊ីមែល
console-password = ពាក្យសម្ងាត់

console-nav-dashboard = ទិដ្ឋភាពទូទៅ
console-nav-credentials = វិញ្ញាបនបត្រ
console-nav-audit = កំណត់ត្រាសវនកម្ម

console-role-viewer = អ្នកមើល
console-role-issuer = អ្នកចេញ
console-role-registrar = អ្នកចុះបញ្ជី
console-role-operator = ប្រតិបត្តិករ

console-count-issued = បានចេញ
console-count-claimed = អ្នកសិក្សាបានទទួល
console-count-revoked = បានដកហូត
console-count-suspended = បានព្យួរ
console-recent-credentials = ចេញថ្មីៗ
console-recent-activity = សកម្មភាពថ្មីៗ

console-search = ស្វែងរក
console-search-label = លេខកំណត់ត្រា ឈ្មោះអ្នកសិក្សា អត្តលេខនិស្សិត ឬសមិទ្ធផល
console-found = រកឃើញវិញ្ញាបនបត្រ { $n }

console-col-learner = អ្នកសិក្សា
console-col-student-number = អត្តលេខនិស្សិត
console-col-achievement = សមិទ្ធផល
console-col-record = លេខកំណត់ត្រា
console-col-issued = ថ្ងៃចេញ
console-col-status = ស្ថានភាព
console-col-when = ពេលវេលា
console-col-who = ដោយ
console-col-action = សកម្មភាព
console-col-subject = ប្រធានបទ
console-col-institution = ស្ថាប័ន
console-col-country = ប្រទេស
console-col-keys = កូនសោចុះហត្ថលេខាដែលកំពុងប្រើ
console-col-registry = បញ្ជីសម្ព័ន្ធ

console-status-any = គ្រប់ស្ថានភាព
console-status-active = មានសុពលភាព
console-status-suspended = បានព្យួរ
console-status-revoked = បានដកហូត
console-claimed = បានទទួល

console-credential-id = លេខសម្គាល់វិញ្ញាបនបត្រ
console-employer-page = ទំព័រសម្រាប់និយោជក
console-history = ប្រវត្តិស្ថានភាព
console-history-none = គ្មានការផ្លាស់ប្ដូរស្ថានភាពចាប់តាំងពីចេញមកទេ។
console-change-status = ផ្លាស់ប្ដូរស្ថានភាព
console-action-revoke = ដកហូត
console-action-suspend = ព្យួរ
console-action-unsuspend = ស្ដារវិញ (បញ្ចប់ការព្យួរ)
console-reason = ហេតុផល
console-reason-publish = បង្ហាញហេតុផលដល់និយោជក (និយោជកតែងតែឃើញកាលបរិច្ឆេទ)
console-reason-published = បានបង្ហាញដល់និយោជក
console-revoke-final = ការដកហូតមិនអាចត្រឡប់វិញបានទេ។ ការព្យួរអាចបញ្ចប់បាននៅពេលក្រោយ។

console-operator = ស្ថាប័ននៅលើថ្នាំងនេះ
console-registry-member = មានក្នុងបញ្ជី
console-registry-missing = មិនមាននៅក្នុងបញ្ជីសម្ព័ន្ធទេ៖ និយោជកនឹងឃើញវិញ្ញាបនបត្ររបស់ស្ថាប័ននេះជា "មិនស្គាល់អ្នកចេញ" រហូតដល់វាត្រូវបានបន្ថែម។

console-error-internal = មានបញ្ហាកើតឡើង។ សូមព្យាយាមម្ដងទៀតក្នុងរយៈពេលប៉ុន្មាននាទីទៀត។
console-error-csrf = ទម្រង់នេះបានផុតកំណត់ហើយ។ សូមត្រឡប់ក្រោយ ផ្ទុកទំព័រឡើងវិញ ហើយព្យាយាមម្ដងទៀត។
console-error-role = តួនាទីរបស់អ្នកមិនអនុញ្ញាតឲ្យធ្វើការនេះទេ។ សូមទាក់ទងអ្នកចុះបញ្ជីរបស់ស្ថាប័ន។
console-error-not-found = គ្មានវិញ្ញាបនបត្រនេះក្នុងចំណោមវិញ្ញាបនបត្ររបស់ស្ថាប័នអ្នកទេ។
console-error-action = សូមជ្រើសរើស ដកហូត ព្យួរ ឬស្ដារវិញ។
console-error-status = មិនអាចផ្លាស់ប្ដូរស្ថានភាពបានទេ។
console-error-origin = ទម្រង់នេះត្រូវបានផ្ញើពីគេហទំព័រផ្សេង ដូច្នេះវាត្រូវបានបដិសេធ។

console-keys-retired = ឈប់ប្រើហើយ
console-rotate-key = កូនសោចុះហត្ថលេខាថ្មី
console-registry-body = ស្ថាប័នធានាគុណភាព ឬទទួលស្គាល់
console-registry-status = ការទទួលស្គាល់
console-registry-accredited = បានទទួលស្គាល់
console-registry-provisional = បានទទួលស្គាល់ជាបណ្ដោះអាសន្ន
console-registry-reference = លេខយោងសេចក្ដីសម្រេច ឬវិញ្ញាបនបត្រ (ស្រេចចិត្ត)
console-registry-add = បន្ថែមទៅក្នុងបញ្ជីសម្ព័ន្ធ
console-error-no-institution = មិនមានស្ថាប័ននេះនៅលើថ្នាំងនេះទេ។
console-error-accreditation = សូមដាក់ឈ្មោះស្ថាប័នធានាគុណភាព ហើយជ្រើសរើស បានទទួលស្គាល់ ឬ បានទទួលស្គាល់ជាបណ្ដោះអាសន្ន។
console-error-registry = មិនអាចបន្ថែមស្ថាប័ននេះទៅក្នុងបញ្ជីបានទេ។
console-error-rotate = មិនអាចប្ដូរកូនសោចុះហត្ថលេខាបានទេ។

## Issue and upload
console-nav-issue = ចេញម្ដងមួយ
console-nav-upload = ផ្ទុកឡើង CSV
console-issue-title = ចេញវិញ្ញាបនបត្រមួយ
console-issue-intro = សូមបំពេញកំណត់ត្រារបស់អ្នកសិក្សា។ វិញ្ញាបនបត្រនឹងត្រូវចុះហត្ថលេខាក្នុងនាមស្ថាប័នរបស់អ្នក ភ្លាមៗនៅពេលអ្នកចុចប៊ូតុង។
console-issue-record-id = លេខកំណត់ត្រា
console-issue-record-id-help = លេខដែលស្ថាប័នរបស់អ្នកប្រើសម្រាប់កំណត់ត្រានេះ។ លេខកំណត់ត្រាមួយមិនដែលត្រូវចេញពីរដងទេ ដូច្នេះការផ្ញើទម្រង់នេះម្ដងទៀតមិនអីទេ។
console-issue-learner-name = ឈ្មោះពេញរបស់អ្នកសិក្សា
console-issue-student-number = អត្តលេខនិស្សិត
console-issue-achievement = សមិទ្ធផល (មុខវិជ្ជា ឬគុណវុឌ្ឍិ)
console-issue-description = អ្វីដែលអ្នកសិក្សាសម្រេចបាន
console-issue-criteria = វិធីវាយតម្លៃ
console-issue-outcomes = លទ្ធផលសិក្សា
console-issue-outcomes-help = មួយបន្ទាត់មួយ។ ដើម្បីដាក់លេខកូដឱ្យលទ្ធផល សូមសរសេរលេខកូដមុន រួចបន្ថែមសញ្ញាបន្ទាត់ឈរ៖ NEV-1 | ផ្ដាច់ប្រព័ន្ធតង់ស្យុងខ្ពស់
console-issue-field = វិស័យសិក្សា (ISCED-F 2013)
console-issue-level = កម្រិត
console-issue-credits = ក្រេឌីត
console-issue-credit-system = ប្រព័ន្ធក្រេឌីត
console-issue-hours = ម៉ោងសិក្សា
console-issue-awarded = កាលបរិច្ឆេទប្រគល់
console-issue-valid-until = មានសុពលភាពដល់ (មិនចាំបាច់)
console-issue-choose = ជ្រើសរើស…
console-issue-submit = ចេញវិញ្ញាបនបត្រ
console-issue-failed = វិញ្ញាបនបត្រមិនត្រូវបានចេញទេ។ សូមកែប្រអប់ដែលបានសម្គាល់ខាងក្រោម។
console-issue-required = សូមបំពេញប្រអប់នេះ។
console-issue-number = សូមសរសេរជាលេខ ដូចជា 3 ឬ 1.5។
console-issue-date = សូមសរសេរកាលបរិច្ឆេទជា ឆ្នាំ-ខែ-ថ្ងៃ ដូចជា 2025-07-11។
console-issue-bad-record-id = សូមប្រើអក្សរ លេខ និងសញ្ញាដូចជា - ឬ _ ដោយគ្មានដកឃ្លា (យ៉ាងច្រើន 128 តួអក្សរ)។
console-issue-exists = មានវិញ្ញាបនបត្រមួយបានចេញរួចហើយជាមួយលេខកំណត់ត្រានេះ។
console-issue-see-existing = បើកមើល
console-upload-title = ផ្ទុកឡើងឯកសារ CSV នៃកំណត់ត្រា
console-upload-intro = ជួរនីមួយៗនៃឯកសារនឹងក្លាយជាវិញ្ញាបនបត្រមួយ។ សូមចាប់ផ្ដើមពីគំរូ៖ វាមានគ្រប់ជួរឈរ និងជួរឧទាហរណ៍ពីរ។
console-upload-template = ទាញយកគំរូ (CSV)
console-upload-file = ឯកសារ CSV
console-upload-submit = ផ្ទុកឡើង និងចេញ
console-upload-limits = យ៉ាងច្រើន { $rows } ជួរ និង { $megabytes } MB ក្នុងមួយឯកសារ។ ជួរនីមួយៗត្រូវមានលេខកំណត់ត្រា ដូច្នេះការដំណើរការឯកសារម្ដងទៀតមិនដែលចេញជួរណាមួយពីរដងទេ។
console-upload-recent = ការផ្ទុកឡើងថ្មីៗ
console-upload-none = មិនទាន់មានការផ្ទុកឡើងនៅឡើយទេ។
console-upload-forgotten = បញ្ជីនេះ និងទំព័រវឌ្ឍនភាពត្រូវបានរក្សាទុករហូតដល់សេវាចាប់ផ្ដើមឡើងវិញប៉ុណ្ណោះ។ វិញ្ញាបនបត្រខ្លួនឯងត្រូវបានរក្សាទុកភ្លាមៗនៅពេលចេញ។
console-upload-job = ការផ្ទុកឡើង៖ { $name }
console-upload-by = ផ្ទុកឡើងដោយ { $who } នៅ { $when }
console-upload-progress = បានធ្វើរួច { $done } ក្នុងចំណោម { $total } ជួរ
console-upload-running = កំពុងចេញ… ទំព័រនេះនឹងផ្ទុកឡើងវិញដោយខ្លួនឯង។
console-upload-finished = បានបញ្ចប់។
console-upload-issued = បានចេញ
console-upload-existing = បានចេញរួចហើយពីមុន
console-upload-failed = មិនបានចេញ
console-upload-errors = ជួរដែលមិនបានចេញ
console-upload-col-row = ជួរ
console-upload-col-field = ជួរឈរ
console-upload-col-problem = បញ្ហា
console-upload-no-record-id = ជួរនេះគ្មានលេខកំណត់ត្រាទេ។ សូមបន្ថែមមួយ ដើម្បីកុំឱ្យការដំណើរការឯកសារម្ដងទៀតចេញវាពីរដង។
console-upload-fix = កែ ហើយដំណើរការម្ដងទៀត
console-upload-fix-help = ទាញយកជួរដែលមិនបានចេញ កែវា ហើយផ្ទុកឯកសារនោះឡើង ឬកែវានៅទីនេះ។ ជួរដែលបានចេញរួចនឹងមិនត្រូវចេញម្ដងទៀតទេ។
console-upload-download-failed = ទាញយកជួរដែលមិនបានចេញ (CSV)
console-upload-rows = ជួរដែលមិនបានចេញ
console-upload-rerun = ដំណើរការជួរទាំងនេះម្ដងទៀត
console-upload-fixed-name = { $name } (បានកែ)
console-upload-done-rows = ជួរដែលបានចេញ
console-upload-open = បើក
console-error-upload-size = ឯកសារធំពេក៖ ទទួលយកបានយ៉ាងច្រើន { $megabytes } MB។
console-error-upload-rows = ឯកសារមាន { $rows } ជួរ ប៉ុន្តែទទួលយកបានយ៉ាងច្រើន { $max } ជួរក្នុងមួយលើក។ សូមបំបែកវាជាឯកសារតូចៗ។
console-error-upload-empty = ឯកសារមានជួរក្បាល ប៉ុន្តែគ្មានកំណត់ត្រានៅខាងក្រោមទេ។
console-error-upload-none = សូមជ្រើសរើសឯកសារ CSV ដើម្បីផ្ទុកឡើង។
console-error-upload-header = ជួរទីមួយនៃឯកសារមិនបានដាក់ឈ្មោះជួរឈរតាមគំរូទេ។
console-error-upload-busy = មានការផ្ទុកឡើងច្រើនពេកដែលកំពុងដំណើរការ។ សូមរង់ចាំរហូតដល់មួយបានបញ្ចប់។
console-error-upload-not-found = គ្មានការផ្ទុកឡើងនេះក្នុងចំណោមការផ្ទុកឡើងរបស់ស្ថាប័នអ្នកទេ។ ការផ្ទុកឡើងត្រូវបំភ្លេចនៅពេលសេវាចាប់ផ្ដើមឡើងវិញ ប៉ុន្តែវិញ្ញាបនបត្រមិនបាត់ទេ។

## Claim sheet and operator

console-achievement-any = សមិទ្ធផលទាំងអស់
console-issued-from = ចេញចាប់ពីថ្ងៃ
console-issued-to = ចេញរហូតដល់ថ្ងៃ
console-page-previous = ← ទំព័រមុន
console-page-next = ទំព័របន្ទាប់ →
console-page-of = ទំព័រ { $page } នៃ { $pages }
console-sheet-explain = សន្លឹកទទួលយក៖ គូសធីកអ្នកសិក្សា ឬយកទាំងអស់ដែលរកឃើញ ដើម្បីបោះពុម្ពប័ណ្ណមួយសម្រាប់ម្នាក់ៗ ដែលមានកូដ QR និងលេខកូដប្រើតែម្ដង សម្រាប់ទទួលវិញ្ញាបនបត្រចូលកាបូបឌីជីថលរបស់អ្នកសិក្សា។ សន្លឹកនីមួយៗបង្កើតលេខកូដថ្មី៖ ប័ណ្ណដែលបានបោះពុម្ពពីមុនសម្រាប់វិញ្ញាបនបត្រដដែលនឹងលែងប្រើបាន។
console-sheet-ticked = សន្លឹកទទួលយកសម្រាប់អ្នកសិក្សាដែលបានគូសធីក
console-sheet-all = { $n ->
    [one] សន្លឹកទទួលយកសម្រាប់មួយដែលរកឃើញ
   *[other] សន្លឹកទទួលយកសម្រាប់ទាំង { $n } ដែលរកឃើញ
}
console-sheet-pick = ដាក់ក្នុងសន្លឹកទទួលយក
console-sheet-title = សន្លឹកទទួលយក
console-sheet-made = { $n ->
    [0] គ្មានប័ណ្ណទេ៖ គ្មានវិញ្ញាបនបត្រណាដែលបានជ្រើសរើសអាចទទួលយកបាននៅពេលនេះទេ។
   *[other] ប័ណ្ណ { $n } រួចរាល់សម្រាប់បោះពុម្ព។
}
console-sheet-print = សូមបោះពុម្ពទំព័រនេះឥឡូវ (ប្រើមុខងារបោះពុម្ពរបស់កម្មវិធីរុករក ក្រដាស A4 ប័ណ្ណបួនក្នុងមួយទំព័រ) ហើយកាត់តាមបន្ទាត់ដាច់ៗ។ លេខកូដប្រើតែម្ដងបង្ហាញតែនៅលើទំព័រនេះប៉ុណ្ណោះ៖ ប្រសិនបើអ្នកផ្ទុកទំព័រនេះឡើងវិញ លេខកូដថ្មីនឹងត្រូវបង្កើត ហើយប័ណ្ណដែលបានបោះពុម្ពពីមុននឹងលែងប្រើបាន។
console-sheet-replaced = ការផ្ដល់ជូនមុន { $n } ត្រូវបានដកវិញ៖ ប័ណ្ណដែលបានបោះពុម្ពពីមុនសម្រាប់វិញ្ញាបនបត្រដដែលលែងប្រើបានទៀតហើយ។
console-sheet-skipped = មិនមាននៅក្នុងសន្លឹកនេះ
console-skip-claimed = អ្នកសិក្សាបានទទួលចូលកាបូបឌីជីថលរួចហើយ
console-skip-revoked = ត្រូវបានដកហូត ដូច្នេះមិនអាចទទួលយកបាន
console-skip-refused = មិនអាចផ្ដល់ជូនបាន
console-slip-qr = កូដ QR នៃតំណទទួលយក
console-slip-step-scan = ស្កេនកូដ QR ដោយកាមេរ៉ាទូរសព្ទរបស់អ្នក ឬវាយតំណខាងក្រោមក្នុងកម្មវិធីរុករក។
console-slip-step-code = នៅពេលត្រូវបានសួរ សូមបញ្ចូលលេខកូដប្រើតែម្ដងរបស់អ្នក។
console-slip-code = លេខកូដប្រើតែម្ដង
console-slip-link = តំណ
console-slip-by = សូមទទួលយកមុនថ្ងៃ { $date }។
console-slip-private = សូមរក្សាប័ណ្ណនេះទុកសម្រាប់ខ្លួនឯង៖ អ្នកណាដែលមានប័ណ្ណនេះអាចទទួលយកវិញ្ញាបនបត្ររបស់អ្នកបាន។
console-error-sheet-empty = សូមគូសធីកអ្នកសិក្សាយ៉ាងហោចណាស់ម្នាក់សម្រាប់សន្លឹកទទួលយក។
console-error-sheet-large = សន្លឹកទទួលយកមួយផ្ទុកអ្នកសិក្សាបានច្រើនបំផុត { $max } នាក់ ប៉ុន្តែការស្វែងរកនេះរកឃើញ { $n } នាក់។ សូមបង្រួមការស្វែងរក (តាមសមិទ្ធផល ឬថ្ងៃចេញ) ហើយបង្កើតសន្លឹកច្រើន។

console-register-heading = ចុះឈ្មោះស្ថាប័ន
console-register-id = លេខសម្គាល់ខ្លី (អក្សរឡាតាំងតូច លេខ - និង _ ប្រើក្នុងអាសយដ្ឋានគេហទំព័រ)
console-register-name = ឈ្មោះ
console-register-country = ប្រទេស (កូដពីរអក្សរ ឧ. MY, TH, CN)
console-register-url = អាសយដ្ឋានគេហទំព័រ (ស្រេចចិត្ត https://…)
console-register-framework = ក្របខ័ណ្ឌគុណវុឌ្ឍិ (ឧ. MQF, CN-VOC)
console-register-did = អត្តសញ្ញាណរបស់វា (DID)
console-register-did-key = did:key៖ សោគឺជាអត្តសញ្ញាណ ងាយស្រួលបំផុត ប៉ុន្តែមិនអាចប្ដូរសោបានឡើយ
console-register-did-web = did:web ក្រោមអាសយដ្ឋានរបស់ថ្នាំងនេះ៖ អាចប្ដូរសោចុះហត្ថលេខានៅពេលក្រោយ
console-register-registry = បន្ថែមទៅក្នុងបញ្ជីសម្ព័ន្ធឥឡូវនេះ
console-register-unlisted-hint = បើគ្មានក្នុងបញ្ជីសម្ព័ន្ធ និយោជកនឹងឃើញវិញ្ញាបនបត្ររបស់ស្ថាប័ននេះជា "មិនស្គាល់អ្នកចេញ" រហូតដល់វាត្រូវបានបន្ថែម។
console-register-submit = ចុះឈ្មោះ
console-registered-heading = { $name } ត្រូវបានចុះឈ្មោះ
console-registered-did = DID
console-registered-token = ថូខឹន API
console-registered-token-once = ថូខឹន API បង្ហាញតែម្ដងនេះប៉ុណ្ណោះ។ សូមចម្លងឥឡូវ ហើយប្រគល់ឱ្យអ្នកអភិវឌ្ឍរបស់ស្ថាប័នតាមមធ្យោបាយដែលមានសុវត្ថិភាព។ ប្រសិនបើបាត់ អ្នកគ្រប់គ្រងថ្នាំងអាចបង្កើតថូខឹនថ្មីតាម API អ្នកគ្រប់គ្រង ហើយថូខឹនចាស់នឹងលែងប្រើបាន។
console-registered-listed = ស្ថាប័ននេះមាននៅក្នុងបញ្ជីសម្ព័ន្ធ៖ និយោជកឃើញវិញ្ញាបនបត្ររបស់វាថាមកពីអ្នកចេញដែលគេស្គាល់។
console-registered-unlisted = ស្ថាប័ននេះមិនទាន់មាននៅក្នុងបញ្ជីសម្ព័ន្ធទេ៖ និយោជកនឹងឃើញវិញ្ញាបនបត្ររបស់វាជា "មិនស្គាល់អ្នកចេញ" រហូតដល់វាត្រូវបានបន្ថែម។
console-error-register = មិនអាចចុះឈ្មោះស្ថាប័នបានទេ។
console-error-register-id = លេខសម្គាល់ខ្លីអាចមានតែអក្សរឡាតាំងតូច លេខ - និង _ ហើយត្រូវចាប់ផ្ដើមដោយអក្សរ ឬលេខ (ច្រើនបំផុត 64)។
console-error-register-framework = សូមដាក់ឈ្មោះក្របខ័ណ្ឌគុណវុឌ្ឍិដែលស្ថាប័នប្រើសម្រាប់ផ្ដល់គុណវុឌ្ឍិ។
