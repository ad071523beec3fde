import FHIRCore
import Hummingbird
import NIOCore

/// An error answered with a FHIR OperationOutcome.
public struct FHIRError: HTTPResponseError {
    public var status: HTTPResponse.Status
    public var outcome: OperationOutcome
    /// Sent with the outcome (`Retry-After` on a 503).
    public var headers: HTTPFields = [:]

    public init(
        _ status: HTTPResponse.Status, code: String, _ diagnostics: String, expression: [String] = [],
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.outcome = OperationOutcome(code: code, diagnostics: diagnostics, expression: expression)
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        FHIRResponse.json(outcome.bytes, status: status, headers: headers)
    }

    static func notFound(_ what: String) -> FHIRError { FHIRError(.notFound, code: "not-found", what) }

    static func methodNotAllowed(_ request: Request) -> FHIRError {
        FHIRError(
            .methodNotAllowed, code: "not-supported",
            "\(request.method) is not supported on \(request.uri.path): this directory is read-only (GET, or POST to _search)"
        )
    }
}

enum FHIRResponse {
    static let contentType = "application/fhir+json; charset=utf-8"

    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(ByteBuffer(bytes: bytes), status: status, headers: headers)
    }

    static func json(_ buffer: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        // Explicit, so the HEAD that Hummingbird derives from this GET keeps it.
        fields[.contentLength] = String(buffer.readableBytes)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: buffer))
    }
}
