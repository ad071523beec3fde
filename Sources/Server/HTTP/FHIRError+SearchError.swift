import Hummingbird
import SearchParameters

extension FHIRError {
    /// A rejected search parameter: 406 when it asks for a format other than JSON, else 400.
    init(_ error: SearchError) {
        let status: HTTPResponse.Status = error.kind == .notAcceptable ? .notAcceptable : .badRequest
        // Over a search limit is `too-costly`: the request is understood, and refused for its cost.
        let code = error.limit != nil ? "too-costly" : error.kind == .notSupported ? "not-supported" : "invalid"
        self.init(status, code: code, error.description, expression: [error.parameter])
    }
}
