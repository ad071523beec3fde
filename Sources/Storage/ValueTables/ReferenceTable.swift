import GRDB
import Indexing
import SearchParameters

/// Literal references, split into target type (`ttype`, empty for an absolute URL) and id.
/// Keyed by id first: a reverse chain or `_revinclude` knows the target's id, a type modifier
/// may not be given.
enum ReferenceTable: ValueTable {
    static let name = "ref"
    static let valueColumns = ["tid", "ttype"]
    static let schema = """
        CREATE TABLE ref(pid INTEGER NOT NULL, tid TEXT NOT NULL, ttype TEXT NOT NULL, rid INTEGER NOT NULL,
            PRIMARY KEY(pid, tid, ttype, rid)) WITHOUT ROWID
        """
    static let staging = """
        CREATE TABLE ref_s(pid INTEGER NOT NULL, tid TEXT NOT NULL, ttype TEXT NOT NULL, seq INTEGER NOT NULL)
        """
    /// Forward chains and `_include` follow a resource's own references.
    static let indexes = [(name: "ref_rid", sql: "CREATE INDEX ref_rid ON ref(rid, pid)")]

    static func stage(
        _ values: ExtractedValues, seq: Int64, _ statement: BulkStatement, _ state: StagingState
    ) throws {
        for r in values.references { try statement.insert(r.pid, r.target.id, r.target.type, seq) }
    }

    /// A literal reference, or a logical one (its identifier is in `tok` under the same pid).
    static func presence(pid: Int, missing: Bool, outer: String, context: PredicateSQL.Context) -> PredicateSQL {
        let literal = rowPresence(pid: pid, missing: false, outer: outer, context: context).membership
        let logical = TokenTable.presence(pid: pid, missing: false, outer: outer, context: context).membership
        return PredicateSQL(membership: missing ? "NOT (\(literal) OR \(logical))" : "(\(literal) OR \(logical))")
    }

    /// A reference to any of `targets`; a nil type matches any target type. One typed target
    /// streams its referrers in rid order.
    static func predicate(
        pid: Int, _ targets: [(type: String?, id: String)], outer: String, context: PredicateSQL.Context
    ) -> PredicateSQL {
        let d = context.next("d")
        let ors = targets.map { target -> SQL in
            if let type = target.type { return "(\(sql: d).tid = \(target.id) AND \(sql: d).ttype = \(type))" }
            return "\(sql: d).tid = \(target.id)"
        }
        return PredicateSQL.value(
            name, d, "\(sql: d).pid = \(pid) AND (\(ors.joined(separator: " OR ")))", outer: outer, negated: false,
            drives: true, ordered: targets.count == 1 && targets[0].type != nil)
    }
}
