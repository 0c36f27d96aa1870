"""The database's schema: the ordered migrations :class:`blurscan.store.Store` applies, one per version
(``PRAGMA user_version``), and what a read-only open can read. Tables and who writes them: see
:mod:`blurscan.store`."""
from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: initial schema
    """
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);

    CREATE TABLE IF NOT EXISTS images (
        path          TEXT PRIMARY KEY,   -- absolute path (surrogate-escaped text)
        size          INTEGER,
        mtime_ns      INTEGER,
        cache_key     TEXT,               -- measure version + model version + settings hash
        status        TEXT NOT NULL,      -- ok | error
        error         TEXT,
        verdict       TEXT,
        p_blurry      REAL,
        blur_type     TEXT,
        laplacian_var REAL,
        width         INTEGER,
        height        INTEGER,
        captured_at   TEXT,
        phash         TEXT,
        record        TEXT NOT NULL,      -- the full ScanRecord as JSON
        scanned_at    REAL NOT NULL
    );
    CREATE INDEX IF NOT EXISTS images_verdict ON images(verdict);

    CREATE TABLE IF NOT EXISTS decisions (
        path        TEXT PRIMARY KEY,
        decision    TEXT NOT NULL CHECK (decision IN ('keep', 'discard')),
        size        INTEGER,             -- file identity when decided: a changed file is judged afresh
        mtime_ns    INTEGER,
        decided_at  REAL NOT NULL
    );
    CREATE INDEX IF NOT EXISTS decisions_decision ON decisions(decision);

    CREATE TABLE IF NOT EXISTS decision_log (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        path        TEXT NOT NULL,
        previous    TEXT,                -- NULL = no decision before
        prev_size   INTEGER,             -- file identity stored with the previous decision (for undo)
        prev_mtime_ns INTEGER,
        prev_decided_at REAL,
        decision    TEXT,                -- NULL = decision removed
        at          REAL NOT NULL,
        undone      INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX IF NOT EXISTS decision_log_open ON decision_log(undone, id);

    CREATE TABLE IF NOT EXISTS batches (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        kind        TEXT NOT NULL,       -- move | trash | tag
        destination TEXT,
        created_at  REAL NOT NULL,
        state       TEXT NOT NULL        -- running | done | partial | undone (see actions/journal.py)
    );

    CREATE TABLE IF NOT EXISTS journal (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        batch_id    INTEGER NOT NULL REFERENCES batches(id),
        src         TEXT NOT NULL,
        dst         TEXT,
        size        INTEGER,
        sha256      TEXT,
        state       TEXT NOT NULL,       -- planned | moving | writing | done | failed | skipped | undone | kept | gone
        error       TEXT,
        updated_at  REAL NOT NULL
    );
    CREATE INDEX IF NOT EXISTS journal_batch ON journal(batch_id);

    CREATE TABLE IF NOT EXISTS burst_groups (
        group_id    INTEGER NOT NULL,
        path        TEXT NOT NULL,
        rank        INTEGER NOT NULL,    -- 1 = keeper
        is_keeper   INTEGER NOT NULL,
        reason      TEXT,
        figures     TEXT,                -- JSON: the sharpness figures used for ranking
        chosen_by   TEXT NOT NULL DEFAULT 'auto',  -- auto | person
        PRIMARY KEY (group_id, path)
    );
    CREATE INDEX IF NOT EXISTS burst_groups_path ON burst_groups(path);
    """,
    # 2: the folders a move batch created, journaled before they are made, so that undo removes them when they
    # are empty again, and never a folder that was there before (batches journaled before this migration
    # keep folders_journaled = 0: their undo removes empty folders below the destination, as it always did)
    """
    ALTER TABLE batches ADD COLUMN folders_journaled INTEGER NOT NULL DEFAULT 0;

    CREATE TABLE IF NOT EXISTS batch_folders (
        batch_id    INTEGER NOT NULL REFERENCES batches(id),
        path        TEXT NOT NULL,       -- a folder that did not exist when the batch was about to create it
        PRIMARY KEY (batch_id, path)
    );
    """,
    # 3: the file a move / trash row took, as it was then: its modification time and a SHA-256 of its size and
    # first and last 64 KiB (samples.py sample_sha256), so that undo takes back that file and no other
    """
    ALTER TABLE journal ADD COLUMN mtime_ns INTEGER;
    ALTER TABLE journal ADD COLUMN sample_sha256 TEXT;
    """,
    # 4: a keep whose file a scan found replaced under its path by another of the same size and time (names
    # swapped by hand, replaced.py): the kept photo's identity, so that the keep still protects it elsewhere
    """
    CREATE TABLE IF NOT EXISTS replaced_keeps (
        path        TEXT NOT NULL,       -- where the keep was made (another file there now)
        size        INTEGER NOT NULL,    -- the kept file's size, modification time and sample (replaced.py)
        mtime_ns    INTEGER NOT NULL,
        sample      TEXT NOT NULL,
        found_at    REAL NOT NULL,       -- when a scan found another file under its path
        PRIMARY KEY (path, size, mtime_ns, sample)
    );
    CREATE INDEX IF NOT EXISTS replaced_keeps_size ON replaced_keeps(size);
    """,
    # 5: the permissions, owner and group a move / trash row's file had when it was taken (journal.py), for undo to
    # give them back to a photo copied back from a drive that keeps none (FAT, exFAT: every file 0777, root's)
    """
    ALTER TABLE journal ADD COLUMN mode INTEGER;
    ALTER TABLE journal ADD COLUMN uid INTEGER;
    ALTER TABLE journal ADD COLUMN gid INTEGER;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
#: The oldest schema a read-only open (``blurscan report``) can read: later migrations add only what the
#: actions write and read (migration 2: ``batch_folders``; 3: two ``journal`` columns; 4: ``replaced_keeps``, read
#: only where it is; 5: three more ``journal`` columns), so a library scanned by an older blurscan can still be
#: reported without a scan to upgrade it.
READABLE_FROM = 1


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (no ';' inside our literals)."""
    out = []
    for part in script.split(";"):
        lines = [ln for ln in part.splitlines() if ln.strip() and not ln.strip().startswith("--")]
        if lines:
            out.append("\n".join(lines))
    return out
