import SearchParameters

/// One page of search matches, with the cursors for its neighbours.
public struct SearchPage: Sendable {
    public struct Entry: Sendable {
        public var type: String
        public var id: String
        public var lastUpdated: Int64
        /// The stored resource, byte for byte.
        public var json: [UInt8]
        /// Kilometres from the `near` point, when the results are nearest first.
        public var distance: Double? = nil
    }

    public var entries: [Entry]
    /// The rows of `entries`, for includes.
    var rids: [Int64] = []
    /// `_include`/`_revinclude` results for this page's matches, each resource once.
    public var included: [Entry] = []
    /// More resources were to be included than `SearchLimits.included` (or than fit the
    /// response body).
    public var includesTruncated = false
    /// Set for `_total=accurate` and `_summary=count`.
    public var total: Int?
    /// `_total=accurate` was asked for, but counting ran past the deadline.
    public var totalOmitted = false
    public var next: PageCursor?
    public var previous: PageCursor?

    public init(entries: [Entry], total: Int? = nil, next: PageCursor? = nil, previous: PageCursor? = nil) {
        self.entries = entries
        self.total = total
        self.next = next
        self.previous = previous
    }
}
