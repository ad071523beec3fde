import GRDB
import Indexing
import SearchParameters

/// String parts, folded (`v`) and as written (`raw`, for `:exact`); also the word starts of
/// token texts, for `:text`. `pfx` (derived after the load) keys their first three characters.
enum StringTable: ValueTable {
    static let name = "str"
    static let valueColumns = ["v", "raw"]
    static let schema = """
        CREATE TABLE str(pid INTEGER NOT NULL, v TEXT NOT NULL, raw TEXT NOT NULL, rid INTEGER NOT NULL,
            PRIMARY KEY(pid, v, raw, rid)) WITHOUT ROWID
        """
    static let staging = """
        CREATE TABLE str_s(pid INTEGER NOT NULL, v TEXT NOT NULL, raw TEXT NOT NULL, seq INTEGER NOT NULL)
        """
    /// A prefix probe of one resource knows only the value's start: it seeks the resource.
    static let indexes = [(name: "str_rid", sql: "CREATE INDEX str_rid ON str(rid, pid)")]

    static func stage(
        _ values: ExtractedValues, seq: Int64, _ statement: BulkStatement, _ state: StagingState
    ) throws {
        for s in values.strings + values.texts { try statement.insert(s.pid, s.folded, s.raw, seq) }
    }

    /// How many leading characters (code points, as SQLite's `substr` counts) `pfx` keys.
    static let prefixLength = 3

    /// The `pfx` key of a folded prefix, when it is long enough to have one.
    static func prefixKey(_ folded: String) -> String? {
        let scalars = folded.unicodeScalars
        guard scalars.count >= prefixLength else { return nil }
        var head = String.UnicodeScalarView()
        head.append(contentsOf: scalars.prefix(prefixLength))
        return String(head)
    }

    /// Folded values that start with any of `prefixes` (string search and token `:text`).
    static func prefix(pid: Int, _ prefixes: [String], outer: String, context: PredicateSQL.Context)
        -> PredicateSQL
    {
        // Folded values sort bytewise, so a prefix is a key range.
        let d = context.next("d")
        let ranges = prefixes.map { v -> SQL in "(\(sql: d).v >= \(v) AND \(sql: d).v < \(v + "\u{10FFFF}"))" }
        var predicate = PredicateSQL.value(
            name, d, "\(sql: d).pid = \(pid) AND (\(ranges.joined(separator: " OR ")))", outer: outer,
            negated: false, drives: true, ordered: false)
        // A range of values has no rid order, but its first three characters are one key of
        // `pfx`, whose rids stream in order: a page of a common prefix no longer walks the
        // whole type. Longer prefixes are checked row by row against `str`.
        if prefixes.count == 1, let head = prefixKey(prefixes[0]) {
            let p = context.next("p")
            predicate.ordered = PredicateSQL.OrderedSource(
                table: "pfx", alias: p, condition: "\(sql: p).pid = \(pid) AND \(sql: p).p = \(head)",
                exact: prefixes[0].unicodeScalars.count == prefixLength)
        }
        return predicate
    }

    /// Parts equal to one of `values` as written (`:exact`).
    static func exact(pid: Int, _ values: [String], outer: String, context: PredicateSQL.Context) -> PredicateSQL {
        let d = context.next("d")
        let equal = values.map { v -> SQL in
            "(\(sql: d).v = \(TextNormalizer.normalize(v)) AND \(sql: d).raw = \(v))"
        }
        return PredicateSQL.value(
            name, d, "\(sql: d).pid = \(pid) AND (\(equal.joined(separator: " OR ")))", outer: outer, negated: false,
            drives: true, ordered: false)
    }

    /// Folded parts containing one of `values` (`:contains`): tested per resource, never led.
    static func contains(pid: Int, _ values: [String], outer: String, context: PredicateSQL.Context)
        -> PredicateSQL
    {
        let d = context.next("d")
        let found = values.map { v -> SQL in "instr(\(sql: d).v, \(v)) > 0" }
        return PredicateSQL.value(
            name, d, "\(sql: d).pid = \(pid) AND (\(found.joined(separator: " OR ")))", outer: outer, negated: false,
            drives: false, ordered: false)
    }
}
