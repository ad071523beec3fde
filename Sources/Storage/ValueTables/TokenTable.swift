import GRDB
import Indexing
import SearchParameters

/// Token values in their index forms (`code`, `system|code`, `|code`, `system|`), plus the
/// identifiers of logical references under the reference parameter's pid.
///
/// No `(rid, pid)` index: every probe of a resource names the value too, and the key answers
/// it. That index would have been an eighth of a national file. `:missing` asks `has`, the
/// distinct `(pid, rid)` pairs of this table, a fifteenth of its size.
enum TokenTable: ValueTable {
    static let name = "tok"
    static let valueColumns = ["v"]
    static let schema = """
        CREATE TABLE tok(pid INTEGER NOT NULL, v TEXT NOT NULL, rid INTEGER NOT NULL,
            PRIMARY KEY(pid, v, rid)) WITHOUT ROWID
        """
    static let staging = "CREATE TABLE tok_s(pid INTEGER NOT NULL, v TEXT NOT NULL, seq INTEGER NOT NULL)"
    static let indexes: [(name: String, sql: String)] = []

    static func stage(_ values: ExtractedValues, seq: Int64, _ statement: BulkStatement) throws {
        for t in values.tokens { try statement.insert(t.pid, t.value, seq) }
    }

    /// `has` streams the resources with a value in rid order.
    static func presence(pid: Int, missing: Bool, outer: String, names: PredicateSQL.AliasNames) -> PredicateSQL {
        let d = names.next("d")
        return PredicateSQL.value(
            "has", d, "\(sql: d).pid = \(pid)", outer: outer, negated: missing, drives: !missing, ordered: !missing)
    }

    /// Any of `forms` (`:not`: none of them). One form streams its rids in order.
    static func predicate(pid: Int, forms: [String], negated: Bool, outer: String, names: PredicateSQL.AliasNames)
        -> PredicateSQL
    {
        let d = names.next("d")
        return PredicateSQL.value(
            name, d, "\(sql: d).pid = \(pid) AND \(sql: d).v IN \(forms)", outer: outer, negated: negated,
            drives: !negated, ordered: forms.count == 1 && !negated)
    }
}
