-- skillpass on PostgreSQL, first layout. Applied by src/store/postgres.rs at start, under an
-- advisory lock, in one transaction with its row in skillpass_migrations.
-- Keys are compared byte-wise (COLLATE "C"): lists come back in the order sled gives them.
-- JSON values are kept as text, exactly as serialized: a signed credential is stored byte for
-- byte (jsonb would reorder its members).

CREATE TABLE skillpass_meta (
    key   text COLLATE "C" PRIMARY KEY,
    value bytea NOT NULL
);

CREATE TABLE institutions (
    id         text COLLATE "C" PRIMARY KEY,
    token_hash bytea NOT NULL UNIQUE,
    data       text NOT NULL
);

CREATE TABLE secret_keys (
    institution         text COLLATE "C" NOT NULL REFERENCES institutions (id),
    verification_method text COLLATE "C" NOT NULL,
    secret              text NOT NULL,
    PRIMARY KEY (institution, verification_method)
);

CREATE TABLE credentials (
    -- Issue order (paging); from a sequence, so unique across processes.
    seq         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    id          text COLLATE "C" PRIMARY KEY,
    institution text COLLATE "C" NOT NULL REFERENCES institutions (id),
    -- At most one credential per (institution, record id): issuing is idempotent across
    -- processes (NULLs are distinct, so credentials without a record id are not limited).
    record_id   text COLLATE "C",
    data        text NOT NULL,
    UNIQUE (institution, record_id)
);
CREATE INDEX credentials_issued ON credentials (institution, seq);

-- Next entry number per institution and purpose; raised by UPDATE ... RETURNING under the
-- row lock, so no two transactions, in any process, get the same entries.
CREATE TABLE status_counters (
    institution text COLLATE "C" NOT NULL REFERENCES institutions (id),
    purpose     text COLLATE "C" NOT NULL,
    next        bigint NOT NULL CHECK (next >= 0),
    PRIMARY KEY (institution, purpose)
);

CREATE TABLE status_bits (
    institution text COLLATE "C" NOT NULL,
    purpose     text COLLATE "C" NOT NULL,
    sequence    bigint NOT NULL,
    bits        bytea NOT NULL,
    PRIMARY KEY (institution, purpose, sequence)
);

CREATE TABLE audit (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    institution text COLLATE "C",
    data        text NOT NULL
);
CREATE INDEX audit_by_institution ON audit (institution, seq);

CREATE TABLE registry_members (
    id   text COLLATE "C" PRIMARY KEY,
    data text NOT NULL
);

CREATE TABLE registry_dids (
    did    text COLLATE "C" PRIMARY KEY,
    member text COLLATE "C" NOT NULL REFERENCES registry_members (id) ON DELETE CASCADE
);

CREATE TABLE registry_keys (
    name   text COLLATE "C" PRIMARY KEY,
    secret text NOT NULL
);

CREATE TABLE offers (
    id         text COLLATE "C" PRIMARY KEY,
    credential text COLLATE "C" NOT NULL REFERENCES credentials (id),
    data       text NOT NULL
);
CREATE INDEX offers_by_credential ON offers (credential);

CREATE TABLE tickets (
    key     text COLLATE "C" PRIMARY KEY,
    expires timestamptz NOT NULL,
    data    text NOT NULL
);
CREATE INDEX tickets_expiry ON tickets (expires);
