import FHIRCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SearchParameters
import Storage

/// The FHIR endpoints over one open index.
struct DirectoryService: Sendable {
    let index: DirectoryIndex
    let parser: SearchQueryParser
    let configuration: ServerConfiguration
    let capabilityStatement: [UInt8]

    static let maximumFormBody = 64 * 1024

    init(index: DirectoryIndex, configuration: ServerConfiguration) {
        self.index = index
        self.parser = SearchQueryParser(registry: index.registry)
        self.configuration = configuration
        self.capabilityStatement = JSONWriter.encode(
            CapabilityStatementBuilder.build(
                registry: index.registry, base: configuration.baseURL ?? "/fhir", version: plandirVersion,
                builtAt: index.builtAt))
    }

    func addRoutes(to router: Router<PlandirRequestContext>) {
        let fhir = router.group("fhir")
        fhir.get("metadata") { request, _ in try self.metadata(request) }
        fhir.get(":type") { request, context in try await self.search(request, context, body: nil) }
        fhir.post(":type/_search") { request, context in
            try await self.search(request, context, body: try await self.formBody(request))
        }
        fhir.get(":type/:id") { request, context in try self.read(request, context) }
        for method in [HTTPRequest.Method.put, .delete, .patch] {
            fhir.on(":type", method: method) { request, _ -> Response in throw FHIRError.methodNotAllowed(request) }
            fhir.on(":type/:id", method: method) { request, _ -> Response in throw FHIRError.methodNotAllowed(request) }
        }
        fhir.post(":type") { request, _ -> Response in throw FHIRError.methodNotAllowed(request) }
        fhir.post(":type/:id") { request, _ -> Response in throw FHIRError.methodNotAllowed(request) }
        fhir.post("metadata") { request, _ -> Response in throw FHIRError.methodNotAllowed(request) }
    }

    func metadata(_ request: Request) throws -> Response {
        try checkAccept(request)
        return FHIRResponse.json(capabilityStatement)
    }

    func read(_ request: Request, _ context: PlandirRequestContext) throws -> Response {
        try checkAccept(request)
        let type = try context.parameters.require("type")
        let id = try context.parameters.require("id")
        guard index.registry.supports(type) else {
            throw FHIRError.notFound("unknown resource type '\(type.prefix(100))'")
        }
        guard FHIRID.isValid(id), let bytes = try index.read(type: type, id: id) else {
            throw FHIRError.notFound("\(type)/\(id.prefix(100)) is not in this directory")
        }
        return FHIRResponse.json(bytes)
    }

    func search(_ request: Request, _ context: PlandirRequestContext, body: [(name: String, value: String)]?)
        async throws -> Response
    {
        let type = try context.parameters.require("type")
        guard index.registry.supports(type) else {
            throw FHIRError.notFound("unknown resource type '\(type.prefix(100))'")
        }
        var parameters: [(name: String, value: String)]
        do throws(FormDecoder.Failure) {
            parameters = try FormDecoder.decode(Substring(request.uri.query ?? ""))
        } catch {
            throw FHIRError(.badRequest, code: "invalid", "cannot decode query parameter '\(error.pair)': \(error.reason)")
        }
        if let body { parameters += body }
        let lenient = request.headers[values: HTTPField.Name("Prefer")!].contains { $0.contains("handling=lenient") }
        let searchRequest: SearchRequest
        do throws(SearchError) {
            searchRequest = try parser.parse(resourceType: type, parameters: parameters, lenient: lenient)
        } catch {
            let status: HTTPResponse.Status = error.kind == .notAcceptable ? .notAcceptable : .badRequest
            let code = error.kind == .notSupported ? "not-supported" : "invalid"
            throw FHIRError(status, code: code, error.description, expression: [error.parameter])
        }
        try checkAccept(request)
        let page = try index.search(searchRequest)
        let bytes = SearchsetWriter.bundle(
            page: page, request: searchRequest, base: baseURL(request), builtAt: index.builtAt)
        return FHIRResponse.json(bytes)
    }

    func formBody(_ request: Request) async throws -> [(name: String, value: String)] {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            throw FHIRError(
                .unsupportedMediaType, code: "not-supported",
                "POST _search takes an application/x-www-form-urlencoded body")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maximumFormBody)
        } catch {
            throw FHIRError(.contentTooLarge, code: "too-long", "the form body is larger than 64 KiB")
        }
        do throws(FormDecoder.Failure) {
            return try FormDecoder.decode(Substring(String(buffer: buffer)))
        } catch {
            throw FHIRError(.badRequest, code: "invalid", "cannot decode form field '\(error.pair)': \(error.reason)")
        }
    }

    /// Only JSON is served: a client that accepts XML alone gets a 406.
    func checkAccept(_ request: Request) throws {
        guard let accept = request.headers[.accept]?.lowercased(), !accept.isEmpty else { return }
        let acceptsJSON = accept.contains("json") || accept.contains("*/*") || accept.contains("application/*")
        if !acceptsJSON {
            throw FHIRError(.notAcceptable, code: "not-supported", "only JSON is served (application/fhir+json)")
        }
    }

    /// The base for `fullUrl` and links: configured, or from the Host header when it looks sane.
    func baseURL(_ request: Request) -> String {
        if let configured = configuration.baseURL { return configured }
        if let host = request.head.authority, host.utf8.count < 256, host.utf8.allSatisfy(Self.isHostByte) {
            return "http://\(host)/fhir"
        }
        return "http://\(configuration.host):\(configuration.port)/fhir"
    }

    static func isHostByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"),
            UInt8(ascii: "["), UInt8(ascii: "]"):
            return true
        default: return false
        }
    }
}
