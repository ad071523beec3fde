/// A parsed, validated search: what the storage layer compiles to SQL.
public struct SearchRequest: Sendable, Equatable {
    public enum SortField: String, Sendable, Equatable {
        case id = "_id"
        case lastUpdated = "_lastUpdated"
    }

    public static let defaultCount = 20
    public static let maximumCount = 1000

    public var resourceType: String
    /// ANDed clauses; each clause ORs its values.
    public var clauses: [SearchClause]
    public var count: Int
    public var sort: SortField
    public var descending: Bool
    public var cursor: PageCursor?
    /// `_total=accurate` (or estimate): compute Bundle.total.
    public var wantsTotal: Bool
    /// `_summary=count`: only the total.
    public var summaryCount: Bool
    /// The clause whose `near` circle orders the results nearest first (a `near` search
    /// without `_sort`); paged by (distance, id).
    public var nearest: Int?
    /// Best `_content` matches first (a `_content` search without `_sort`); paged by offset.
    public var relevance: Bool = false
    /// `_pretty=true`: indent the response.
    public var pretty: Bool = false
    /// `_summary=true|text|data` or `_elements`: return trimmed resources, tagged SUBSETTED.
    public var subset: ResourceSubset?
    /// `_include` and `_revinclude` (with `:iterate`), applied to each page.
    public var includes: [Include]
    /// The bounds the parser checked this request against; storage applies the ones that bound
    /// the work a page does (included resources, `:iterate` rounds, SQL time).
    public var limits = SearchLimits()
    /// The accepted parameters in request order, for `self`/`next` links: unknown parameters
    /// ignored under lenient handling and the page cursor are left out.
    public var linkParameters: [(name: String, value: String)]

    public init(
        resourceType: String, clauses: [SearchClause] = [], count: Int = SearchRequest.defaultCount,
        sort: SortField = .id, descending: Bool = false, cursor: PageCursor? = nil, wantsTotal: Bool = false,
        summaryCount: Bool = false, includes: [Include] = [], linkParameters: [(name: String, value: String)] = []
    ) {
        self.includes = includes
        self.resourceType = resourceType
        self.clauses = clauses
        self.count = count
        self.sort = sort
        self.descending = descending
        self.cursor = cursor
        self.wantsTotal = wantsTotal
        self.summaryCount = summaryCount
        self.linkParameters = linkParameters
    }

    public static func == (lhs: SearchRequest, rhs: SearchRequest) -> Bool {
        lhs.resourceType == rhs.resourceType && lhs.clauses == rhs.clauses && lhs.count == rhs.count
            && lhs.sort == rhs.sort && lhs.descending == rhs.descending && lhs.cursor == rhs.cursor
            && lhs.wantsTotal == rhs.wantsTotal && lhs.summaryCount == rhs.summaryCount && lhs.includes == rhs.includes
            && lhs.relevance == rhs.relevance && lhs.nearest == rhs.nearest && lhs.subset == rhs.subset
            && lhs.pretty == rhs.pretty
            && lhs.linkParameters.map(\.name) == rhs.linkParameters.map(\.name)
            && lhs.linkParameters.map(\.value) == rhs.linkParameters.map(\.value)
    }
}
