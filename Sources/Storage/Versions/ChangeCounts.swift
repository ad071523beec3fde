/// Added, changed, removed and unchanged resources of one type between two indexes.
public struct ChangeCounts: Sendable, Codable, Equatable {
    public var added = 0
    public var changed = 0
    public var removed = 0
    public var unchanged = 0

    public init(added: Int = 0, changed: Int = 0, removed: Int = 0, unchanged: Int = 0) {
        self.added = added
        self.changed = changed
        self.removed = removed
        self.unchanged = unchanged
    }

    /// Whether anything differs.
    public var hasChanges: Bool { added + changed + removed > 0 }

    public mutating func count(_ change: ResourceChange) {
        switch change {
        case .added: added += 1
        case .changed: changed += 1
        case .unchanged: unchanged += 1
        }
    }

    public static func + (lhs: ChangeCounts, rhs: ChangeCounts) -> ChangeCounts {
        ChangeCounts(
            added: lhs.added + rhs.added, changed: lhs.changed + rhs.changed, removed: lhs.removed + rhs.removed,
            unchanged: lhs.unchanged + rhs.unchanged)
    }

    /// "3 added, 1 changed, 0 removed, 996 unchanged".
    public var description: String {
        "\(added) added, \(changed) changed, \(removed) removed, \(unchanged) unchanged"
    }

    /// The sum over types.
    public static func total(_ byType: [String: ChangeCounts]) -> ChangeCounts {
        byType.values.reduce(ChangeCounts(), +)
    }
}
