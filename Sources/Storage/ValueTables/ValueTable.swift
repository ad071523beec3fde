import GRDB
import Indexing

/// One table of search values: its layout, how a build stages and loads it, and the SQL that
/// matches its values (Blaze's `-index-values` and `-matcher`, for storage). One conforming
/// type per file; `IndexSchema.valueTables` lists them and `SearchParamType.valueTable` maps a
/// parameter type to its table with a switch that has no `default`.
///
/// Every table is `WITHOUT ROWID` and keyed by `pid` first. Most are keyed `(pid, value…, rid)`:
/// one value's rids stream in order, which is what keyset paging walks. `str` is keyed by
/// resource instead, and `pfx` streams its values (`StringTable`).
protocol ValueTable: SendableMetatype {
    /// The table's name, also its staging file's part name.
    static var name: String { get }
    /// The value columns, besides `pid` and `rid`.
    static var valueColumns: [String] { get }
    /// The key after `pid`: the value columns and `rid`, in key order.
    static var keyColumns: [String] { get }
    /// `CREATE TABLE` of the final table.
    static var schema: String { get }
    /// `CREATE TABLE` of its staging table (`<name>_s`, in the attached `s_<name>`): rows in input
    /// order under the record's `seq`, no key.
    static var staging: String { get }
    /// Secondary indexes, made after the load.
    static var indexes: [(name: String, sql: String)] { get }
    /// Appends one record's values to the staging table through `statement`, prepared from
    /// `stagingInsert`; `state` is what the build numbers as it stages.
    static func stage(_ values: ExtractedValues, seq: Int64, _ statement: BulkStatement, _ state: StagingState) throws

    /// The `INSERT … SELECT` that fills the final table from the staged rows (`load` below,
    /// unless the table is not a plain B-tree).
    static var load: String { get }

    /// Whether a resource has any value for `pid` (`:missing=false`), or none (`true`).
    static func presence(pid: Int, missing: Bool, outer: String, context: PredicateSQL.Context) -> PredicateSQL
}

extension ValueTable {
    /// `(pid, value…, rid)`.
    static var keyColumns: [String] { valueColumns + ["rid"] }

    /// A probe of the resource's values: through a `(rid, pid)` index, or `str`'s own key.
    static func presence(pid: Int, missing: Bool, outer: String, context: PredicateSQL.Context) -> PredicateSQL {
        rowPresence(pid: pid, missing: missing, outer: outer, context: context)
    }

    /// `[NOT] EXISTS` a row of this table for `pid` and the outer resource.
    static func rowPresence(pid: Int, missing: Bool, outer: String, context: PredicateSQL.Context) -> PredicateSQL {
        let d = context.next("d")
        return PredicateSQL.value(
            name, d, "\(sql: d).pid = \(pid)", outer: outer, negated: missing, drives: false, ordered: false)
    }

    /// `INSERT INTO s_<name>.<name>_s(pid, <values>, seq) VALUES (…)`.
    static var stagingInsert: String {
        let columns = ["pid"] + valueColumns + ["seq"]
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        return "INSERT INTO s_\(name).\(name)_s(\(columns.joined(separator: ", "))) VALUES (\(marks))"
    }

    /// Fills the final table from the staged rows, renumbered (`plandir_rid`) and in key order,
    /// so its B-tree is built by appending.
    static var load: String {
        let values = valueColumns.joined(separator: ", ")
        return """
            INSERT OR IGNORE INTO \(name)(pid, \(values), rid)
            SELECT pid, \(values), rid FROM (SELECT pid, \(values), plandir_rid(seq) AS rid FROM s_\(name).\(name)_s)
            WHERE rid > 0 ORDER BY pid, \(keyColumns.joined(separator: ", "))
            """
    }

    /// Copies a chain target's values onto each resource that refers to it, under the chain's
    /// pid, in key order. It walks the target parameter's key and follows `ref` backwards, so it
    /// needs no index that the load has not built yet.
    ///
    ///     INSERT OR IGNORE INTO <name>(pid, <values>, rid)
    ///     SELECT :chain, s.<value> AS <value>…, c.rid AS rid
    ///     FROM <name> s CROSS JOIN resource t ON t.rid = s.rid
    ///     CROSS JOIN ref c ON c.pid = :link AND c.tid = t.id AND c.ttype = t.type
    ///     WHERE s.pid = :target ORDER BY <key after pid>
    static func materialize(chain: Int, link: Int, target: Int) -> SQL {
        let values = valueColumns.joined(separator: ", ")
        let selected = valueColumns.map { "s.\($0) AS \($0)" }.joined(separator: ", ")
        let order = keyColumns.joined(separator: ", ")
        return """
            INSERT OR IGNORE INTO \(sql: name)(pid, \(sql: values), rid) SELECT \(chain), \(sql: selected), c.rid AS rid
            FROM \(sql: name) s CROSS JOIN resource t ON t.rid = s.rid
            CROSS JOIN ref c ON c.pid = \(link) AND c.tid = t.id AND c.ttype = t.type
            WHERE s.pid = \(target) ORDER BY \(sql: order)
            """
    }
}

/// What a build numbers while it stages values, written to the index after the stage phase.
final class StagingState {
    var systems = TokenSystems()
}
