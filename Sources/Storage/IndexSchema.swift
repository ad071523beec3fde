import GRDB

/// The layout of an index file.
///
/// Resources are numbered (`rid`) in (type, id) order when the index is built, so each type is
/// one contiguous rid range and "order by id" is "order by rid": keyset paging on rid walks
/// every value table's `(pid, value, rid)` key in order, and a deep page costs what the first
/// does.
enum IndexSchema {
    static let formatVersion = "3"

    static let tables = """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE resource_type(type TEXT PRIMARY KEY, lo INTEGER NOT NULL, hi INTEGER NOT NULL,
            count INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE resource(rid INTEGER PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL,
            last_updated INTEGER NOT NULL, json BLOB NOT NULL);
        CREATE TABLE tok(pid INTEGER NOT NULL, v TEXT NOT NULL, rid INTEGER NOT NULL,
            PRIMARY KEY(pid, v, rid)) WITHOUT ROWID;
        CREATE TABLE str(pid INTEGER NOT NULL, v TEXT NOT NULL, raw TEXT NOT NULL, rid INTEGER NOT NULL);
        CREATE TABLE dt(pid INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL, rid INTEGER NOT NULL);
        CREATE TABLE ref(pid INTEGER NOT NULL, ttype TEXT NOT NULL, tid TEXT NOT NULL, rid INTEGER NOT NULL,
            PRIMARY KEY(pid, tid, ttype, rid)) WITHOUT ROWID;
        """

    /// Created after the bulk load: building a B-tree once from sorted input is far cheaper
    /// than maintaining it row by row.
    static let indexes = """
        CREATE UNIQUE INDEX resource_type_id ON resource(type, id);
        CREATE INDEX resource_type_updated ON resource(type, last_updated, id);
        CREATE INDEX tok_rid ON tok(rid, pid);
        CREATE INDEX str_value ON str(pid, v, rid);
        CREATE INDEX str_rid ON str(rid, pid);
        CREATE INDEX dt_lo ON dt(pid, lo);
        CREATE INDEX dt_hi ON dt(pid, hi);
        CREATE INDEX dt_rid ON dt(rid, pid);
        CREATE INDEX ref_rid ON ref(rid, pid);
        """

    /// Source records land here first, keyed by (type, id) so the last duplicate wins.
    static let staging = """
        CREATE TABLE staging.record(type TEXT NOT NULL, id TEXT NOT NULL, file TEXT NOT NULL,
            line INTEGER NOT NULL, json BLOB NOT NULL, PRIMARY KEY(type, id)) WITHOUT ROWID;
        """
}
