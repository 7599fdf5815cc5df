-- Status history: each change of a credential's status with its actor and reason
-- (Store::change_status writes the bit and its history row in one transaction).
CREATE TABLE status_history (
    seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    credential text COLLATE "C" NOT NULL REFERENCES credentials (id),
    data       text NOT NULL
);
CREATE INDEX status_history_by_credential ON status_history (credential, seq);
