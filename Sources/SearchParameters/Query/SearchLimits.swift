/// What one search may ask for, bounded: a public API without authentication gets the most
/// expensive query it accepts (OWASP API4:2023). Each is a `plandir serve` flag; a request
/// over one is a 400 naming the parameter, the limit and the value (`SearchError.limit`).
public struct SearchLimits: Sendable, Equatable {
    /// `_include` and `_revinclude` values in one request.
    public var includes = 10
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

    public init() {}

    /// The names `SearchError.limit` and the metrics use.
    public enum Name: String, Sendable, CaseIterable {
        case includes, orValues = "or-values", repeats, parameters
        case contentTerms = "content-terms", contentTermLength = "content-term-length"
        case containsLength = "contains-length"
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
