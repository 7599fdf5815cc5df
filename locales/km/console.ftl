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
