import GRDB
import Indexing
import SearchParameters

/// String parts, folded (`v`) and as written (`raw`, for `:exact`); also the word starts of
/// token texts, for `:text`.
///
/// Keyed by resource, `(pid, rid, v, raw)`: a test of one resource (the other clauses of a
/// search, a chain's target) is one seek, with no `(rid, pid)` copy of the table, which was a
/// sixth of a national file. Values reach resources through `pfx(pid, p, rid)`, derived after
/// the load: the first three characters of every value (the whole value when shorter), whose
/// rids stream in order. Every string condition starts there and checks `str`.
enum StringTable: ValueTable {
    static let name = "str"
    static let valueColumns = ["v", "raw"]
    static let keyColumns = ["rid", "v", "raw"]
    static let schema = """
        CREATE TABLE str(pid INTEGER NOT NULL, rid INTEGER NOT NULL, v TEXT NOT NULL, raw TEXT NOT NULL,
            PRIMARY KEY(pid, rid, v, raw)) WITHOUT ROWID
        """
    static let staging = """
        CREATE TABLE str_s(pid INTEGER NOT NULL, v TEXT NOT NULL, raw TEXT NOT NULL, seq INTEGER NOT NULL)
        """
    static let indexes: [(name: String, sql: String)] = []

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

    /// `pfx` rows whose head is `prefix`'s: one key when the prefix has three characters or
    /// more (or none), else the range of heads that start with it.
    static func head(_ p: String, _ prefix: String) -> SQL {
        // A value that folds to nothing (all punctuation) has the empty head.
        if prefix.isEmpty { return "\(sql: p).p = ''" }
        if let key = prefixKey(prefix) { return "\(sql: p).p = \(key)" }
        return "(\(sql: p).p >= \(prefix) AND \(sql: p).p < \(prefix + "\u{10FFFF}"))"
    }

    /// A condition on one resource's values of `pid` (`match` over alias `d`), led by `pfx`
    /// heads: candidates are the head's rids that pass the test, and one head streams.
    static func matching(
        pid: Int, heads: [String], match: (String) -> SQL, streams: Bool, outer: String,
        context: PredicateSQL.Context
    ) -> PredicateSQL {
        let d = context.next("d")
        var predicate = PredicateSQL.value(
            name, d, "\(sql: d).pid = \(pid) AND (\(match(d)))", outer: outer, negated: false, drives: false,
            ordered: false)
        let p = context.next("p")
        let d2 = context.next("d")
        let anyHead = heads.map { head(p, $0) }.joined(separator: " OR ")
        predicate.candidates = """
            SELECT \(sql: p).rid FROM pfx \(sql: p) WHERE \(sql: p).pid = \(pid) AND (\(anyHead)) \
            AND EXISTS (SELECT 1 FROM str \(sql: d2) WHERE \(sql: d2).pid = \(pid) AND \(sql: d2).rid = \(sql: p).rid \
            AND (\(match(d2))))
            """
        if streams, heads.count == 1, let key = prefixKey(heads[0]) {
            let p = context.next("p")
            predicate.ordered = PredicateSQL.OrderedSource(
                table: "pfx", alias: p, condition: "\(sql: p).pid = \(pid) AND \(sql: p).p = \(key)", exact: false)
        }
        return predicate
    }

    /// Folded values that start with any of `prefixes` (string search and token `:text`).
    static func prefix(pid: Int, _ prefixes: [String], outer: String, context: PredicateSQL.Context)
        -> PredicateSQL
    {
        // Folded values sort bytewise, so a prefix is a range.
        var predicate = matching(
            pid: pid, heads: prefixes,
            match: { d in
                prefixes.map { v -> SQL in "(\(sql: d).v >= \(v) AND \(sql: d).v < \(v + "\u{10FFFF}"))" }
                    .joined(separator: " OR ")
            }, streams: true, outer: outer, context: context)
        // A three-character prefix is exactly its `pfx` key: no row needs testing.
        if prefixes.count == 1, prefixes[0].unicodeScalars.count == prefixLength { predicate.ordered?.exact = true }
        return predicate
    }

    /// Parts equal to one of `values` as written (`:exact`).
    static func exact(pid: Int, _ values: [String], outer: String, context: PredicateSQL.Context) -> PredicateSQL {
        let folded = values.map(TextNormalizer.normalize)
        return matching(
            pid: pid, heads: folded,
            match: { d in
                zip(values, folded).map { v, f -> SQL in "(\(sql: d).v = \(f) AND \(sql: d).raw = \(v))" }
                    .joined(separator: " OR ")
            }, streams: true, outer: outer, context: context)
    }

    /// Folded parts containing one of `values` (`:contains`): tested per resource, and led by
    /// the trigram index (`ContainsIndex`), whose candidates `str` confirms.
    ///
    ///     SELECT t.rowid FROM tri(?) t
    ///     WHERE EXISTS (SELECT 1 FROM str d WHERE d.pid = ? AND d.rid = t.rowid AND instr(d.v, ?) > 0)
    static func contains(pid: Int, _ values: [String], outer: String, context: PredicateSQL.Context)
        -> PredicateSQL
    {
        let d = context.next("d")
        let found = { (d: String) -> SQL in
            values.map { v -> SQL in "instr(\(sql: d).v, \(v)) > 0" }.joined(separator: " OR ")
        }
        var predicate = PredicateSQL.value(
            name, d, "\(sql: d).pid = \(pid) AND (\(found(d)))", outer: outer, negated: false, drives: false,
            ordered: false)
        if let pattern = ContainsIndex.pattern(values) {
            let t = context.next("t")
            let d2 = context.next("d")
            predicate.candidates = """
                SELECT \(sql: t).rowid FROM tri(\(pattern)) \(sql: t) \
                WHERE EXISTS (SELECT 1 FROM str \(sql: d2) WHERE \(sql: d2).pid = \(pid) \
                AND \(sql: d2).rid = \(sql: t).rowid AND (\(found(d2))))
                """
        }
        return predicate
    }
}
