/// What one search may ask for, bounded: a public API without authentication gets the most
/// expensive query it accepts (OWASP API4:2023). Each is a `plandir serve` flag; a request
/// over one is a 400 naming the parameter, the limit and the value (`SearchError.limit`), or,
/// for what a page holds, a page cut short that says so.
public struct SearchLimits: Sendable, Equatable {
    /// `_include` and `_revinclude` values in one request.
    public var includes = 10
    /// Resources included on one page (HAPI's default); beyond it the page is cut and carries
    /// an `incomplete` outcome entry.
    public var included = 1000
    /// Rounds of `:iterate` includes after the first round.
    public var iterateDepth = 1
    /// Links in one chained parameter name (`a.b.c` has two).
    public var chainLinks = 2
    /// `_has` inside `_has`: levels allowed.
    public var hasNesting = 1
    /// Values in one comma-separated OR list.
    public var orValues = 100
    /// Times one parameter name is repeated.
    public var repeats = 10
    /// Parameters in one request, control parameters included.
    public var parameters = 50
    /// Words in one `_content` value, and the fewest characters each must have.
    public var contentTerms = 8
    public var contentTermLength = 2
    /// The fewest characters a `:contains` value must have.
    public var containsLength = 3
    /// SQL time one search may take; past it the search is a 400 (or, for `_total=accurate`,
    /// the page comes without its total).
    public var queryTimeout: Duration = .seconds(2)
    /// The largest search response body: includes are cut first, then the search is a 400.
    public var responseBytes = 16 << 20
    /// The widest `near` radius in km (100 miles): a wider circle covers a whole region, and
    /// ranking every location in it by distance is a scan, not a search.
    public var nearKm = 160.0

    public init() {}

    /// The names `SearchError.limit` and the metrics use.
    public enum Name: String, Sendable, CaseIterable {
        case includes, included, iterateDepth = "iterate-depth", chainLinks = "chain-links"
        case hasNesting = "has-nesting", orValues = "or-values", repeats, parameters
        case contentTerms = "content-terms", contentTermLength = "content-term-length"
        case containsLength = "contains-length", queryTime = "query-time", responseBytes = "response-bytes"
        case nearKm = "near-km"
        /// Not a search limit but counted beside them: requests turned away because too many
        /// were already waiting for a database connection.
        case queue
    }
}

extension SearchError {
    /// A request over `limit`: 400 with the parameter, the limit and the value.
    static func over(_ limit: SearchLimits.Name, parameter: String, value: String, _ message: String) -> SearchError {
        var error = SearchError(parameter: parameter, value: value, message)
        error.limit = limit
        return error
    }
}
