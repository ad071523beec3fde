/// Why a search request cannot be answered; the server turns it into a 4xx OperationOutcome.
public struct SearchError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// 400: a malformed value, an unknown parameter or modifier.
        case invalid
        /// 400: understood but not implemented (a parameter type, modifier or chain depth the
        /// server does not serve).
        case notSupported
        /// 406: a format other than JSON was asked for.
        case notAcceptable
    }

    public var kind: Kind
    public var parameter: String
    public var value: String?
    public var message: String
    /// Set when the request is over one of `SearchLimits` (counted in the server's metrics).
    public var limit: SearchLimits.Name?

    public init(_ kind: Kind = .invalid, parameter: String, value: String? = nil, _ message: String) {
        self.kind = kind
        self.parameter = parameter
        self.value = value
        self.message = message
    }

    public var description: String {
        if let value {
            let shown = value.count > 200 ? String(value.prefix(200)) + "…" : value
            return "\(parameter)=\(shown): \(message)"
        }
        return "\(parameter): \(message)"
    }
}
