import FHIRCore

/// The search values of one resource, ready for the index tables.
public struct ExtractedValues: Sendable, Equatable {
    public struct StringValue: Sendable, Hashable {
        public var pid: Int
        /// Folded for prefix and contains matching.
        public var folded: String
        /// As written, for `:exact`.
        public var raw: String
    }

    public struct TokenValue: Sendable, Hashable {
        public var pid: Int
        /// One of `code`, `system|code`, `|code`, `system|`.
        public var value: String
    }

    public struct DateValue: Sendable, Hashable {
        public var pid: Int
        public var range: DateRange

        public init(pid: Int, range: DateRange) {
            self.pid = pid
            self.range = range
        }
    }

    public struct ReferenceValue: Sendable, Hashable {
        public var pid: Int
        public var target: ReferenceTarget
    }

    /// A position (`Location.position`) for `near`.
    public struct PointValue: Sendable, Hashable {
        public var pid: Int
        public var latitude: Double
        public var longitude: Double
    }

    public var strings: [StringValue] = []
    public var tokens: [TokenValue] = []
    public var dates: [DateValue] = []
    public var references: [ReferenceValue] = []
    public var points: [PointValue] = []
    /// Word starts of token texts (displays and `text`), folded, for `:text`; kept in the string
    /// table under the token parameter's pid.
    public var texts: [StringValue] = []
    /// `meta.lastUpdated` in milliseconds, when present and valid.
    public var lastUpdated: Int64?

    public init() {}
}
