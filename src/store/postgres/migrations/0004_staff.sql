-- Console staff accounts (src/console): institution staff and the node's operators.
CREATE TABLE staff (
    email       text COLLATE "C" PRIMARY KEY,
    institution text COLLATE "C" REFERENCES institutions (id),
    data        text NOT NULL
);
CREATE INDEX staff_by_institution ON staff (institution);
