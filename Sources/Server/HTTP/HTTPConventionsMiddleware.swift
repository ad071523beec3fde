import FHIRCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SearchParameters

/// What every response shares, outermost in the chain: a request id (taken from
/// `X-Request-ID` when sane, else made) echoed back; CORS for public data (`*`, preflight,
/// exposed headers); `HEAD` answered as `GET` without the body; the URL length limit (414);
/// one structured log line and the request metrics.
struct HTTPConventionsMiddleware: RouterMiddleware {
    typealias Context = PlandirRequestContext

    static let maximumURL = 8 * 1024
    static let exposed = "ETag, Last-Modified, Location, Content-Location, X-Request-ID, X-Cache"
    static let requestID = HTTPField.Name("X-Request-ID")!
    static let cacheStatus = HTTPField.Name("X-Cache")!

    let metrics: ServerMetrics
    let registry: SearchParameterRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let started = ContinuousClock.now
        let id = Self.requestID(request)
        var context = context
        context.logger[metadataKey: "request_id"] = "\(id)"
        var response: Response
        let isHead = request.method == .head
        var forwarded = request
        if isHead {
            var head = request.head
            head.method = .get
            forwarded = Request(head: head, body: request.body)
        }
        do {
            if request.uri.description.utf8.count > Self.maximumURL {
                throw FHIRError(
                    .uriTooLong, code: "too-long", "the URL is longer than 8 KiB; POST the search to _search")
            }
            if request.method == .options {
                response = Self.preflight(request)
            } else {
                response = try await next(forwarded, context)
            }
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.accessControlAllowOrigin] = "*"
        response.headers[.accessControlExposeHeaders] = Self.exposed
        response.headers[Self.requestID] = id
        if response.status.code >= 400 { response.headers[.cacheControl] = "no-store" }
        var bytes = response.headers[.contentLength].flatMap(Int.init) ?? 0
        if isHead {
            // Same headers as GET, no body.
            response.body = ResponseBody()
            if bytes > 0 { response.headers[.contentLength] = String(bytes) }
        } else if bytes == 0, let length = response.body.contentLength {
            bytes = length
        }
        let elapsed = ContinuousClock.now - started
        let (route, type) = request.method == .options ? ("preflight", "-") : Self.route(request.uri.path, registry)
        metrics.request(route: route, type: type, status: Int(response.status.code), duration: elapsed)
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method)", "path": "\(request.uri.path.prefix(200))",
                "status": "\(response.status.code)",
                "duration_ms":
                    "\(String(format: "%.3f", Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000))",
                "bytes": "\(bytes)", "cache": "\(response.headers[Self.cacheStatus]?.lowercased() ?? "-")",
            ])
        return response
    }

    /// `OPTIONS`: the methods and headers a browser may use.
    static func preflight(_ request: Request) -> Response {
        var headers = HTTPFields()
        headers[.accessControlAllowMethods] = "GET, HEAD, POST, OPTIONS"
        headers[.accessControlAllowHeaders] =
            request.headers[.accessControlRequestHeaders]
            ?? "Accept, Accept-Encoding, Content-Type, If-None-Match, If-Modified-Since, Prefer, X-Request-ID"
        headers[.accessControlMaxAge] = "86400"
        headers[.allow] = "GET, HEAD, POST, OPTIONS"
        return Response(status: .noContent, headers: headers)
    }

    /// A caller's request id when it is short and printable, else a new one.
    static func requestID(_ request: Request) -> String {
        if let given = request.headers[requestID], (1...128).contains(given.utf8.count),
            given.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        {
            return given
        }
        return UUID().uuidString.lowercased()
    }

    /// A bounded label set: the route shape and, when it names one, a served resource type.
    static func route(_ path: String, _ registry: SearchParameterRegistry) -> (String, String) {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.first == "fhir" else {
            return (["health", "ready", "metrics"].contains(parts.first ?? "") ? parts[0] : "other", "-")
        }
        if parts.count == 2 && parts[1] == "metadata" { return ("metadata", "-") }
        let type = parts.count > 1 && registry.supports(parts[1]) ? parts[1] : "-"
        switch parts.count {
        case 2: return ("search", type)
        case 3 where parts[2] == "_search": return ("search", type)
        case 3: return ("read", type)
        default: return ("other", type)
        }
    }
}
