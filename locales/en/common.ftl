# Words shared by every page: the language switch, dates, ages.

lang-switch-label = Language

# A day. $day, $month (a name below), $year (Gregorian), $year_be (Buddhist era; Thai only).
date-long = { $day } { $month } { $year }
# An instant in UTC. $date (date-long), $time (24-hour clock, e.g. 08:05).
date-time = { $date }, { $time } UTC

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

# How old a copy is. $n: a whole number.
age-minutes = { $n ->
    [one] { $n } minute
   *[other] { $n } minutes
}
age-hours = { $n ->
    [one] { $n } hour
   *[other] { $n } hours
}
age-days = { $n ->
    [one] { $n } day
   *[other] { $n } days
}
