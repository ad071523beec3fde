import GRDB

/// The layout of an index file.
///
/// Resources are numbered (`rid`) in (type, id) order when the index is built, so each type is
/// one contiguous rid range and "order by id" is "order by rid": keyset paging on rid walks a
/// `(pid, value…, rid)` key (`tok`, `dt`, `ref`, `pfx`, `has`) in order, and a deep page costs
/// what the first does. `str` is keyed by resource and reached through `pfx` (`StringTable`).
///
/// The stored bytes live in `doc`, keyed by the record's position in the input (`seq`), because
/// the build appends them in input order before it knows any rid: the largest part of the file
/// is written once, sequentially, and never copied. `resource.doc` points at them. Each is raw
/// deflate primed with its type's dictionary (`dictionary`, `DocumentDictionaries`), about a
/// tenth of its size, and `size` is its length inflated.
///
/// `resource.hash` is the content's digest without its version and timestamp (`ContentHash`)
/// and `resource.version` its `meta.versionId` (0: none); a build with `--previous` compares
/// the one and carries the other on (`PreviousIndex`), and records what disappeared in
/// `deleted`, kept for a window.
///
/// `has(pid, rid)` lists which resources have any token for a parameter, for `:missing`: `tok`
/// has no `(rid, pid)` index (`TokenTable`). It is filled through the sorter, whose memory is
/// bounded; a `DISTINCT` or `UNION` builds an in-memory index that took 600 MB at national scale.
enum IndexSchema {
    static let formatVersion = "13"

    /// The tables of search values, one type each (`ValueTables/`).
    static let valueTables: [any ValueTable.Type] = [
        TokenTable.self, StringTable.self, DateTable.self, ReferenceTable.self, GeoTable.self,
    ]

    static let tables = """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE resource_type(type TEXT PRIMARY KEY, lo INTEGER NOT NULL, hi INTEGER NOT NULL,
            count INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE dictionary(id INTEGER PRIMARY KEY, type TEXT NOT NULL, bytes BLOB NOT NULL);
        CREATE TABLE token_system(id INTEGER PRIMARY KEY, uri TEXT NOT NULL);
        CREATE TABLE token_pid(pid INTEGER PRIMARY KEY, sys INTEGER NOT NULL);
        CREATE TABLE doc(seq INTEGER PRIMARY KEY, dict INTEGER NOT NULL, size INTEGER NOT NULL,
            body BLOB NOT NULL);
        CREATE TABLE resource(rid INTEGER PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL,
            last_updated INTEGER NOT NULL, doc INTEGER NOT NULL, hash INTEGER NOT NULL, version INTEGER NOT NULL);
        CREATE TABLE zcta(zcta TEXT PRIMARY KEY, lat REAL NOT NULL, lon REAL NOT NULL) WITHOUT ROWID;
        CREATE TABLE deleted(type TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
            deleted_at INTEGER NOT NULL, PRIMARY KEY(type, id)) WITHOUT ROWID;
        CREATE TABLE pfx(pid INTEGER NOT NULL, p TEXT NOT NULL, rid INTEGER NOT NULL,
            PRIMARY KEY(pid, p, rid)) WITHOUT ROWID;
        CREATE TABLE has(pid INTEGER NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY(pid, rid)) WITHOUT ROWID;
        """ + valueTables.map { $0.schema + ";\n" }.joined()

    /// Created after the bulk load: building a B-tree once from sorted input is far cheaper
    /// than maintaining it row by row.
    static let indexes: [(name: String, sql: String)] =
        [
            ("resource_type_id", "CREATE UNIQUE INDEX resource_type_id ON resource(type, id)"),
            ("resource_type_updated", "CREATE INDEX resource_type_updated ON resource(type, last_updated, id)"),
            ("deleted_type_at", "CREATE INDEX deleted_type_at ON deleted(type, deleted_at)"),
        ] + valueTables.flatMap { table in table.indexes }

    /// The staging parts: one file each, so each is deleted as soon as the load has used it.
    /// Rows are appended in input order (`seq`); nothing here has an index.
    static let staging: [(part: String, sql: String)] =
        [
            (
                "rec",
                """
                CREATE TABLE rec(seq INTEGER PRIMARY KEY, type TEXT NOT NULL, id TEXT NOT NULL,
                    file INTEGER NOT NULL, line INTEGER NOT NULL, last_updated INTEGER NOT NULL,
                    hash INTEGER NOT NULL, version INTEGER NOT NULL, change INTEGER NOT NULL)
                """
            )
        ] + valueTables.map { ($0.name, $0.staging) }

    /// How each staged value table becomes its final table: renumbered and sorted into key order.
    static let loads: [(part: String, sql: String)] = valueTables.map { ($0.name, $0.load) }

    /// Tables derived from the loaded ones, after the materialized chains. `pfx` keys the first
    /// three characters of every folded string (all of a shorter one), so every string search
    /// finds its resources there, and a prefix streams them in rid order (`StringTable`;
    /// `substr` counts code points, as `prefixKey` does).
    static let derived: [(name: String, sql: String)] = [
        (
            "pfx",
            """
            INSERT OR IGNORE INTO pfx(pid, p, rid)
            SELECT pid, substr(v, 1, 3), rid FROM str ORDER BY 1, 2, 3
            """
        ),
        (
            "has",
            """
            INSERT OR IGNORE INTO has(pid, rid) SELECT pid, rid FROM tok ORDER BY 1, 2
            """
        ),
    ]
}
