import FHIRCore

/// One search condition: a parameter, an optional modifier and its OR-list of values.
/// Repeating a parameter gives several clauses, which are ANDed.
public struct SearchClause: Sendable, Equatable {
    public enum StringMatch: Sendable, Equatable {
        /// Folded prefix match on any part.
        case prefix
        /// Case- and accent-sensitive equality with the whole part.
        case exact
        /// Folded substring match.
        case contains
    }

    public enum DatePrefix: String, Sendable, Equatable, CaseIterable {
        case eq, ne, lt, le, gt, ge, sa, eb
    }

    public enum Condition: Sendable, Equatable {
        /// `_id`: one of these logical ids.
        case id([String])
        /// Index values in the token table's forms: `code`, `system|code`, `|code`, `system|`.
        case token([String], negated: Bool)
        /// Folded (prefix, contains) or raw (exact) string values.
        case string([String], StringMatch)
        /// References; a nil type matches any target type (a bare id on a multi-target parameter).
        case reference([(type: String?, id: String)])
        case date([(DatePrefix, DateRange)])
        /// `:missing=true` (no value at all) or `false` (some value).
        case missing(Bool)
        /// `_content`: the words (as typed) must all start words of the resource's text.
        case content(String)
        /// Token `:text`: folded text that must start a word of a coding display or a concept's text.
        case text([String])
        /// `near`: a position within the circle.
        case near(GeoCircle)
        /// A chain `link.inner`: the resource refers through `link` to a target that satisfies the
        /// target type's clause (one per possible target type; any may match).
        indirect case chain(targets: [(type: String, clause: SearchClause)])
        /// `_has:Source:link:inner`: some resource of the clause's type refers to this one through
        /// `link` (a reference parameter of that type) and satisfies the clause.
        indirect case reverse(link: SearchParameter, clause: SearchClause)
        /// Any of these clauses matches (`:identifier` on a reference: the reference's own
        /// identifier, or the identifier of the resource it points to).
        indirect case anyOf([SearchClause])

        public static func == (lhs: Condition, rhs: Condition) -> Bool {
            switch (lhs, rhs) {
            case (.id(let a), .id(let b)): return a == b
            case (.token(let a, let n), .token(let b, let m)): return a == b && n == m
            case (.string(let a, let x), .string(let b, let y)): return a == b && x == y
            case (.reference(let a), .reference(let b)):
                return a.count == b.count && zip(a, b).allSatisfy { $0.type == $1.type && $0.id == $1.id }
            case (.date(let a), .date(let b)):
                return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            case (.missing(let a), .missing(let b)): return a == b
            case (.text(let a), .text(let b)): return a == b
            case (.content(let a), .content(let b)): return a == b
            case (.near(let a), .near(let b)): return a == b
            case (.chain(let a), .chain(let b)):
                return a.count == b.count && zip(a, b).allSatisfy { $0.type == $1.type && $0.clause == $1.clause }
            case (.reverse(let l, let a), .reverse(let m, let b)): return l == m && a == b
            case (.anyOf(let a), .anyOf(let b)): return a == b
            default: return false
            }
        }
    }

    public var parameter: SearchParameter
    public var condition: Condition

    public init(parameter: SearchParameter, condition: Condition) {
        self.parameter = parameter
        self.condition = condition
    }

    /// The circle of a `near` clause, directly or at the end of a one-target chain
    /// (`location.near`): the clause that can order results nearest first.
    public var nearCircle: GeoCircle? {
        switch condition {
        case .near(let circle): return circle
        case .chain(let targets):
            guard targets.count == 1 else { return nil }
            return targets[0].clause.nearCircle
        case .id, .token, .string, .reference, .date, .missing, .content, .text, .reverse, .anyOf: return nil
        }
    }
}
