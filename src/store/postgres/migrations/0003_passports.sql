-- Learners' hosted passports and their shares (sealed contents; see src/passport).
CREATE TABLE passports (
    id   text COLLATE "C" PRIMARY KEY,
    data text NOT NULL
);

CREATE TABLE shares (
    id       text COLLATE "C" PRIMARY KEY,
    passport text COLLATE "C" NOT NULL REFERENCES passports (id),
    data     text NOT NULL
);
CREATE INDEX shares_by_passport ON shares (passport);
