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
}
