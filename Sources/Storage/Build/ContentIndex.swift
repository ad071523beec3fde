import GRDB
import SearchParameters

/// Builds the FTS5 table behind `_content`: one row per resource of a `_content` type, holding
/// its own string values and coded displays plus those of the related resources the registry
/// names (a practitioner's role specialties and their locations' cities, for example).
enum ContentIndex {
    /// Contentless, so the text is not stored twice; `remove_diacritics 2` folds accents as the
    /// string tables do.
    static let table = """
        CREATE VIRTUAL TABLE fts USING fts5(body, content='', tokenize='unicode61 remove_diacritics 2')
        """

    static func build(db: Database, registry: SearchParameterRegistry) throws {
        try db.execute(sql: table)
        guard !registry.content.isEmpty else { return }
        // Each resource's own text, once per distinct value, grouped through the sorter (bounded
        // memory; a `DISTINCT` over the whole table built an in-memory index of every string).
        // Word starts of a display after the first carry no text (`TokenIndexing`).
        try db.execute(
            sql: """
                CREATE TEMP TABLE own(rid INTEGER PRIMARY KEY, text TEXT NOT NULL);
                INSERT INTO own SELECT rid, group_concat(DISTINCT raw) FROM str WHERE raw <> '' GROUP BY rid ORDER BY rid;
                """)
        for (type, relations) in registry.content.sorted(by: { $0.key < $1.key }) {
            var parts = ["coalesce(o.text, '')"]
            var arguments = StatementArguments()
            for relation in relations {
                let (sql, relationArguments) = related(relation)
                parts.append("coalesce((\(sql)), '')")
                arguments += relationArguments
            }
            arguments += [type]
            try db.execute(
                sql: """
                    INSERT INTO fts(rowid, body)
                    SELECT r.rid, \(parts.joined(separator: " || ' ' || ")) FROM resource r LEFT JOIN own o ON o.rid = r.rid
                    WHERE r.type = ?
                    """,
                arguments: arguments)
        }
        try db.execute(sql: "DROP TABLE own")
        // One segment instead of one per flush: fewer b-trees for every MATCH to merge.
        try db.execute(sql: "INSERT INTO fts(fts) VALUES ('optimize')")
    }

    /// A correlated subquery: the own text of every resource `relation` reaches from `r`.
    /// `CROSS JOIN` fixes the join order: this runs before `ANALYZE`, and without statistics
    /// SQLite may start from the `ref` table and scan it once per resource.
    ///
    ///     SELECT group_concat(ox.text, ' ') FROM (SELECT DISTINCT t1.rid AS rid FROM resource x
    ///         JOIN ref c0 ON … JOIN resource t0 ON … JOIN ref c1 ON … JOIN resource t1 ON …
    ///         WHERE x.rid = r.rid) reached JOIN own ox ON ox.rid = reached.rid
    static func related(_ relation: ContentRelation) -> (String, StatementArguments) {
        var joins: [String] = []
        var arguments = StatementArguments()
        var current = "x"
        for (n, step) in relation.steps.enumerated() {
            let c = "c\(n)"
            let t = "t\(n)"
            switch step {
            case .forward(let parameter):
                joins.append(
                    "CROSS JOIN ref \(c) ON \(c).rid = \(current).rid AND \(c).pid = ? "
                        + "CROSS JOIN resource \(t) ON \(t).type = \(c).ttype AND \(t).id = \(c).tid")
                arguments += [parameter.pid]
            case .reverse(let parameter):
                joins.append(
                    "CROSS JOIN ref \(c) ON \(c).pid = ? AND \(c).tid = \(current).id AND \(c).ttype = \(current).type "
                        + "CROSS JOIN resource \(t) ON \(t).rid = \(c).rid")
                arguments += [parameter.pid]
            }
            current = t
        }
        let sql = """
            SELECT group_concat(ox.text, ' ') FROM (SELECT DISTINCT \(current).rid AS rid FROM resource x \
            \(joins.joined(separator: " ")) WHERE x.rid = r.rid) reached CROSS JOIN own ox ON ox.rid = reached.rid
            """
        return (sql, arguments)
    }
}
