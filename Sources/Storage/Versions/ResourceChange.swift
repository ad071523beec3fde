/// How a resource compares with its version in the previous index.
public enum ResourceChange: Int, Sendable, CaseIterable {
    /// Not in the previous index (or deleted there): version 1, or the deleted one's next.
    case added = 1
    /// In it with other content: the next version, stamped with the build time.
    case changed = 2
    /// In it with the same content: its previous bytes, version and `meta.lastUpdated`.
    case unchanged = 3
}
