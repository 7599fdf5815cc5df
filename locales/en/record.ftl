# The record checks' problems (src/i18n/record.rs), shown on the console's issue form and in an
# upload's table of row errors. English pages show the checks' own English sentences; these
# are the same sentences, kept here as the source of the translations. Values, codes and lists
# of codes ($value, $levels, $frameworks, $allowed, $forms) are data, inserted as they are.

## The record schema
record-required = is required but missing
record-not-allowed = is not an allowed property here
record-not-one-of = { $value } is not one of { $allowed }
record-not-in-list = { $value } is not in the list of { $count } allowed codes
record-one-of = must be exactly one of: { $forms }
record-more-than-one = matches more than one of: { $forms }
record-blank = must not be empty or only spaces
record-spaces-around = { $value } must not be empty or start or end with a space
record-ascii-word = { $value } may hold only letters, digits and ASCII punctuation, without spaces
record-country-code = { $value } is not a two-letter ISO 3166 country code in capitals, such as CN, MY or TH
record-web-address = { $value } is not a web address starting with https:// (or http://), such as https://www.example.edu/
record-did = { $value } is not a DID (such as did:key:z6Mk…)
record-absolute-address = { $value } is not an absolute address such as https://… or urn:…, without spaces
record-date-time = { $value } is not a date (2025-07-11) or a date and time with its offset (2025-07-11T16:30:00+08:00)
record-isced-code = { $value } is not a code of 2 to 4 digits
record-single-word = { $value } is not a single word (letters, digits, '.', '_' or '-'; an extension starts with ext:)
record-language-tag = { $value } is not a language tag such as th, km, zh-Hans or pt-BR
record-short-code = { $value } is not a short code (letters, digits, '.', '_' or '-', starting with a letter or digit, at most 32 characters)
record-form = { $value } is not in the expected form
record-date = { $value } is not a date such as 2025-07-11
record-full-address = { $value } is not a full address such as https://www.example.edu/
record-email = { $value } is not an e-mail address
record-format = { $value } is not a valid { $format }
record-type = must be { $type ->
    [string] text
    [number] a number
    [integer] a whole number
    [boolean] true or false
    [object] an object {"{"}…{"}"}
    [array] a list […]
   *[other] { $type }
}
record-minimum = { $value } is less than the minimum of { $limit }
record-exclusive-minimum = { $value } must be more than { $limit }
record-too-short = { $limit ->
    [1] must not be empty
   *[other] must be at least { $limit } characters long
}
record-too-long = must be at most { $limit } characters long
record-too-few = { $limit ->
    [1] must have at least one item
   *[other] must have at least { $limit } items
}
record-too-many = must have at most { $limit } items

## The framework data and the rules across fields
record-framework-unknown = framework `{ $framework }` is not a framework skillpass knows; the frameworks are: { $frameworks }
record-framework-unknown-like = framework `{ $framework }` is not a framework skillpass knows (codes are case-sensitive: did you mean { $like }?); the frameworks are: { $frameworks }
record-level-unknown = level `{ $code }` is not a level of framework { $framework }; its levels are: { $levels }
record-level-unknown-like = level `{ $code }` is not a level of framework { $framework } (codes are case-sensitive: did you mean { $like }?); its levels are: { $levels }
record-decimals = has more than two decimal places
record-duplicate-outcome-code = duplicate learning-outcome code "{ $code }"
record-not-after-award = must be later than awardedDate

## The batch file's rows
record-row-cells = row has { $cells } cells, the header has { $header }
record-cell-not-utf8 = cell { $cell } is not UTF-8 text
record-row-too-long = row is { $bytes } bytes long; rows may be at most { $max } bytes
record-duplicate-record-id = recordId "{ $id }" already appears in row { $row } of this batch
record-outcome-count = { $column } has { $count } statements and outcomes has { $outcomes } outcomes: write one statement for each outcome, in the same order, separated by ;
