import GRDB

/// The layout of an index file.
///
/// Resources are numbered (`rid`) in (type, id) order when the index is built, so each type is
/// one contiguous rid range and "order by id" is "order by rid": keyset paging on rid walks
/// every value table's `(pid, value, rid)` key in order, and a deep page costs what the first
/// does.
///
/// The stored bytes live in `doc`, keyed by the record's position in the input (`seq`), because
/// the build appends them in input order before it knows any rid: the largest part of the file
/// is written once, sequentially, and never copied. `resource.doc` points at them.
enum IndexSchema {
    static let formatVersion = "6"

    static let tables = """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE resource_type(type TEXT PRIMARY KEY, lo INTEGER NOT NULL, hi INTEGER NOT NULL,
            count INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE doc(seq INTEGER PRIMARY KEY, json BLOB NOT NULL);
        CREATE TABLE resource(rid INTEGER PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL,
            last_updated INTEGER NOT NULL, doc INTEGER NOT NULL);
        CREATE TABLE tok(pid INTEGER NOT NULL, v TEXT NOT NULL, rid INTEGER NOT NULL,
            PRIMARY KEY(pid, v, rid)) WITHOUT ROWID;
        CREATE TABLE str(pid INTEGER NOT NULL, v TEXT NOT NULL, rid INTEGER NOT NULL, raw TEXT NOT NULL,
            PRIMARY KEY(pid, v, rid, raw)) WITHOUT ROWID;
        CREATE TABLE dt(pid INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL, rid INTEGER NOT NULL,
            PRIMARY KEY(pid, lo, hi, rid)) WITHOUT ROWID;
        CREATE TABLE ref(pid INTEGER NOT NULL, ttype TEXT NOT NULL, tid TEXT NOT NULL, rid INTEGER NOT NULL,
            PRIMARY KEY(pid, tid, ttype, rid)) WITHOUT ROWID;
        CREATE TABLE pfx(pid INTEGER NOT NULL, p TEXT NOT NULL, rid INTEGER NOT NULL,
            PRIMARY KEY(pid, p, rid)) WITHOUT ROWID;
        """

    /// Created after the bulk load: building a B-tree once from sorted input is far cheaper
    /// than maintaining it row by row. The value tables are `WITHOUT ROWID`, so each `(rid, pid)`
    /// index also carries the table's key and answers membership probes on its own.
    static let indexes: [(name: String, sql: String)] = [
        ("resource_type_id", "CREATE UNIQUE INDEX resource_type_id ON resource(type, id)"),
        ("resource_type_updated", "CREATE INDEX resource_type_updated ON resource(type, last_updated, id)"),
        ("tok_rid", "CREATE INDEX tok_rid ON tok(rid, pid)"),
        ("str_rid", "CREATE INDEX str_rid ON str(rid, pid)"),
        ("dt_hi", "CREATE INDEX dt_hi ON dt(pid, hi)"),
        ("dt_rid", "CREATE INDEX dt_rid ON dt(rid, pid)"),
        ("ref_rid", "CREATE INDEX ref_rid ON ref(rid, pid)"),
    ]

    /// The staging parts: one file each, so each is deleted as soon as the load has used it.
    /// Rows are appended in input order (`seq`); nothing here has an index.
    static let staging: [(part: String, sql: String)] = [
        (
            "rec",
            """
            CREATE TABLE rec(seq INTEGER PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL,
                file INTEGER NOT NULL, line INTEGER NOT NULL, last_updated INTEGER NOT NULL)
            """
        ),
        ("tok", "CREATE TABLE tok_s(pid INTEGER NOT NULL, v TEXT NOT NULL, seq INTEGER NOT NULL)"),
        ("str", "CREATE TABLE str_s(pid INTEGER NOT NULL, v TEXT NOT NULL, raw TEXT NOT NULL, seq INTEGER NOT NULL)"),
        (
            "dt",
            "CREATE TABLE dt_s(pid INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL, seq INTEGER NOT NULL)"
        ),
        (
            "ref",
            "CREATE TABLE ref_s(pid INTEGER NOT NULL, ttype TEXT NOT NULL, tid TEXT NOT NULL, seq INTEGER NOT NULL)"
        ),
    ]

    /// How each staged value table becomes its final table: renumbered and sorted into key order.
    static let loads: [(part: String, sql: String)] = [
        (
            "tok",
            """
            INSERT OR IGNORE INTO tok(pid, v, rid)
            SELECT pid, v, rid FROM (SELECT pid, v, plandir_rid(seq) AS rid FROM s_tok.tok_s)
            WHERE rid > 0 ORDER BY pid, v, rid
            """
        ),
        (
            "str",
            """
            INSERT OR IGNORE INTO str(pid, v, rid, raw)
            SELECT pid, v, rid, raw FROM (SELECT pid, v, plandir_rid(seq) AS rid, raw FROM s_str.str_s)
            WHERE rid > 0 ORDER BY pid, v, rid, raw
            """
        ),
        (
            "dt",
            """
            INSERT OR IGNORE INTO dt(pid, lo, hi, rid)
            SELECT pid, lo, hi, rid FROM (SELECT pid, lo, hi, plandir_rid(seq) AS rid FROM s_dt.dt_s)
            WHERE rid > 0 ORDER BY pid, lo, hi, rid
            """
        ),
        (
            "ref",
            """
            INSERT OR IGNORE INTO ref(pid, ttype, tid, rid)
            SELECT pid, ttype, tid, rid FROM (SELECT pid, ttype, tid, plandir_rid(seq) AS rid FROM s_ref.ref_s)
            WHERE rid > 0 ORDER BY pid, tid, ttype, rid
            """
        ),
    ]

    /// Tables derived from the loaded ones. `pfx` keys the first three characters of every
    /// folded string, so a prefix search streams its matches in rid order
    /// (`PredicateSQL.prefixKey`; `substr` counts code points, as that does).
    static let derived: [(name: String, sql: String)] = [
        (
            "pfx",
            """
            INSERT OR IGNORE INTO pfx(pid, p, rid)
            SELECT pid, substr(v, 1, 3), rid FROM str WHERE length(v) >= 3 ORDER BY 1, 2, 3
            """
        )
    ]
}
