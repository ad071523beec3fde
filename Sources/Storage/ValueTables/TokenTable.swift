import GRDB
import Indexing
import SearchParameters

/// Token values in their index forms (`code`, `system|code`, `|code`, `system|`), plus the
/// identifiers of logical references under the reference parameter's pid. A form is stored as
/// its code `v` and a system number `sys` (`TokenSystems`): 0 for the bare code, 1 for `|code`,
/// the system's number for `system|code`, and minus it, with an empty `v`, for `system|`. Each
/// form is then one key prefix `(pid, v, sys)`, whose rids stream in order.
///
/// No `(rid, pid)` index: every probe of a resource names the value too, and the key answers
/// it. That index would have been an eighth of a national file. `:missing` asks `has`, the
/// distinct `(pid, rid)` pairs of this table, a fifteenth of its size.
enum TokenTable: ValueTable {
    static let name = "tok"
    static let valueColumns = ["v", "sys"]
    static let schema = """
        CREATE TABLE tok(pid INTEGER NOT NULL, v TEXT NOT NULL, sys INTEGER NOT NULL, rid INTEGER NOT NULL,
            PRIMARY KEY(pid, v, sys, rid)) WITHOUT ROWID
        """
    static let staging = """
        CREATE TABLE tok_s(pid INTEGER NOT NULL, v TEXT NOT NULL, sys INTEGER NOT NULL, seq INTEGER NOT NULL)
        """
    static let indexes: [(name: String, sql: String)] = []

    static func stage(_ values: ExtractedValues, seq: Int64, _ statement: BulkStatement, _ state: StagingState) throws {
        for t in values.tokens {
            let (code, system) = split(t.value)
            let sys: Int
            switch system {
            case nil: sys = TokenSystems.anySystem
            case "": sys = TokenSystems.noSystem
            case let system?: sys = state.systems.numbering(system) * (code.isEmpty ? -1 : 1)
            }
            try statement.insert(t.pid, code, sys, seq)
        }
    }

    /// A form's code and system: nil for a bare code, "" for `|code`.
    static func split(_ form: String) -> (code: String, system: String?) {
        guard let bar = form.firstIndex(of: "|") else { return (form, nil) }
        return (String(form[form.index(after: bar)...]), String(form[..<bar]))
    }

    /// A form's key, or nil when it names a system the index does not have (no matches).
    static func key(_ form: String, _ systems: TokenSystems) -> (v: String, sys: Int)? {
        let (code, system) = split(form)
        switch system {
        case nil: return (code, TokenSystems.anySystem)
        case "": return (code, TokenSystems.noSystem)
        case let system?:
            guard let number = systems.number(system) else { return nil }
            return (code, code.isEmpty ? -number : number)
        }
    }

    /// `has` streams the resources with a value in rid order.
    static func presence(pid: Int, missing: Bool, outer: String, context: PredicateSQL.Context) -> PredicateSQL {
        let d = context.next("d")
        return PredicateSQL.value(
            "has", d, "\(sql: d).pid = \(pid)", outer: outer, negated: missing, drives: !missing, ordered: !missing)
    }

    /// Any of `forms` (`:not`: none of them). One form streams its rids in order.
    static func predicate(pid: Int, forms: [String], negated: Bool, outer: String, context: PredicateSQL.Context)
        -> PredicateSQL
    {
        let d = context.next("d")
        let keys = forms.compactMap { key($0, context.systems) }
        let any: SQL =
            keys.isEmpty
            ? "0"
            : keys.map { key -> SQL in "(\(sql: d).v = \(key.v) AND \(sql: d).sys = \(key.sys))" }
                .joined(separator: " OR ")
        return PredicateSQL.value(
            name, d, "\(sql: d).pid = \(pid) AND (\(any))", outer: outer, negated: negated, drives: !negated,
            ordered: keys.count == 1 && !negated)
    }
}
