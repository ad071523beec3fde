import GRDB
import SearchParameters

/// Builds the trigram index behind `:contains`: one row per resource (its rid), holding its
/// distinct folded string values, whatever the parameter.
///
/// Without it a `:contains` clause could only be tested row by row, so a search led by one
/// walked the whole type. With it, a value's trigrams name the candidates, and `str` confirms
/// each. The table stores neither text nor positions (`content=''`, `detail=none`), which
/// keeps it small; a trigram AND is then a superset of the matches, which the confirmation
/// trims to exact. It also filters by parameter: one row per resource rather than per
/// parameter, because `name`, `family` and `given` (or a location's address parts) repeat each
/// other's text, and storing it once made the table a third of the size.
enum ContainsIndex {
    static let table = """
        CREATE VIRTUAL TABLE tri USING fts5(v, content='', detail='none', columnsize=0, tokenize='trigram')
        """

    /// The pids whose values `:contains` searches: string parameters, and the chains whose
    /// copied target values are strings.
    static func pids(_ registry: SearchParameterRegistry) -> [Int] {
        registry.all.filter { $0.type == .string }.map(\.pid)
            + registry.materialized.filter { $0.target.type == .string }.map(\.pid)
    }

    static func build(db: Database, registry: SearchParameterRegistry) throws {
        try db.execute(sql: table)
        let pids = pids(registry)
        guard !pids.isEmpty else { return }
        // Grouped through the sorter (bounded memory), rows in rid order.
        try db.execute(
            literal: """
                INSERT INTO tri(rowid, v)
                SELECT rid, group_concat(DISTINCT v) FROM str WHERE pid IN \(pids) GROUP BY rid ORDER BY rid
                """)
        try db.execute(sql: "INSERT INTO tri(tri) VALUES ('optimize')")
    }

    /// The FTS5 query for values containing any of `values`: each value's trigrams ANDed
    /// (at most `maximumTrigrams` of them, spread over the value), the values ORed. Nil when a
    /// value is shorter than a trigram, which the index cannot look up.
    static func pattern(_ values: [String]) -> String? {
        var alternatives: [String] = []
        for value in values {
            let scalars = Array(value.unicodeScalars)
            guard scalars.count >= 3 else { return nil }
            var grams: [String] = []
            for start in 0...(scalars.count - 3) {
                var gram = String.UnicodeScalarView()
                gram.append(contentsOf: scalars[start..<(start + 3)])
                let text = String(gram)
                if !grams.contains(text) { grams.append(text) }
            }
            if grams.count > maximumTrigrams {
                let step = Double(grams.count - 1) / Double(maximumTrigrams - 1)
                grams = (0..<maximumTrigrams).map { grams[Int((Double($0) * step).rounded())] }
            }
            let quoted = grams.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            alternatives.append("(" + quoted.joined(separator: " AND ") + ")")
        }
        return alternatives.isEmpty ? nil : alternatives.joined(separator: " OR ")
    }

    /// More trigrams narrow the candidates less and less, and each costs a doclist merge.
    static let maximumTrigrams = 8
}
