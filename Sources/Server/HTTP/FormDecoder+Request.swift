import Hummingbird
import SearchParameters

extension FormDecoder {
    /// The request's query string, or a 400 naming the bad pair.
    static func decodeQuery(_ request: Request) throws -> [(name: String, value: String)] {
        do throws(Failure) {
            return try decode(Substring(request.uri.query ?? ""))
        } catch {
            throw FHIRError(
                .badRequest, code: "invalid", "cannot decode query parameter '\(error.pair)': \(error.reason)")
        }
    }
}
