import FHIRCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SearchParameters

/// What every response shares, the first router middleware: a request id (taken from
/// `X-Request-ID` when sane, else made) echoed back; CORS for public data (`*`, preflight,
/// exposed headers); the URL length limit (414); FHIR 404s for unmatched `/fhir` paths; one
/// structured log line and the request metrics, labelled by the matched endpoint.
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
        do {
            if request.uri.description.utf8.count > Self.maximumURL {
                throw FHIRError(
                    .uriTooLong, code: "too-long", "the URL is longer than 8 KiB; POST the search to _search")
            }
            if request.method == .options {
                response = Self.preflight(request)
            } else {
                response = try await next(request, context)
            }
        } catch let error as HTTPResponseError {
            // No route: under /fhir that is a FHIR 404 with an OperationOutcome.
            if error.status == .notFound && Self.isFHIR(request.uri.path) {
                response = try FHIRError.notFound("no route for \(request.uri.path.prefix(200))")
                    .response(from: request, context: context)
            } else {
                response = try error.response(from: request, context: context)
            }
        }
        response.headers[.accessControlAllowOrigin] = "*"
        response.headers[.accessControlExposeHeaders] = Self.exposed
        response.headers[Self.requestID] = id
        if response.status.code >= 400 { response.headers[.cacheControl] = "no-store" }
        let bytes = response.headers[.contentLength].flatMap(Int.init) ?? response.body.contentLength ?? 0
        let elapsed = ContinuousClock.now - started
        let (route, type) =
            request.method == .options
            ? ("preflight", "-") : Self.route(context.endpointPath, context.parameters.get("type"), registry)
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

    static func isFHIR(_ path: String) -> Bool { path == "/fhir" || path.hasPrefix("/fhir/") }

    /// A bounded label set: the route the router matched (its endpoint path, not the request's)
    /// and, when it names one, a served resource type.
    static func route(_ endpoint: String?, _ type: String?, _ registry: SearchParameterRegistry) -> (String, String) {
        let served = type.flatMap { registry.supports($0) ? $0 : nil } ?? "-"
        switch endpoint {
        case "/fhir/metadata": return ("metadata", "-")
        case "/fhir/openapi.json": return ("openapi", "-")
        case "/fhir/{type}", "/fhir/{type}/_search": return ("search", served)
        case "/fhir/{type}/{id}": return ("read", served)
        case "/health": return ("health", "-")
        case "/ready": return ("ready", "-")
        case "/metrics": return ("metrics", "-")
        default: return ("other", served)
        }
    }
}
