import FHIRCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Storage
import Testing

extension BuiltIndex {
    /// Runs `body` against the app listening on a real port.
    func live(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = buildApplication(index: index, configuration: ServerConfiguration(host: "127.0.0.1", port: 0))
        try await app.test(.live) { client in try await body(client) }
    }

    func inProcess(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = buildApplication(index: index, configuration: ServerConfiguration(host: "127.0.0.1", port: 8080))
        try await app.test(.router) { client in try await body(client) }
    }
}

struct FetchedResponse {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var bytes: [UInt8]
    var json: JSONValue { (try? JSONParser.parse(bytes)) ?? .null }
}

extension TestClientProtocol {
    func fetch(
        _ uri: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:], body: String? = nil
    ) async throws -> FetchedResponse {
        let buffer = body.map { ByteBuffer(string: $0) }
        return try await execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            FetchedResponse(
                status: response.status, headers: response.headers, bytes: Array(buffer: response.body))
        }
    }

    /// `GET /fhir/<query>` is a 400 OperationOutcome whose diagnostics contain `reason`.
    func expectBadRequest(_ query: String, _ reason: String) async throws {
        let response = try await fetch("/fhir/" + query.replacingOccurrences(of: "|", with: "%7C"))
        #expect(response.status == .badRequest, "\(query)")
        #expect(response.json["resourceType"]?.stringValue == "OperationOutcome")
        let diagnostics = response.json["issue"]?.asList.first?["diagnostics"]?.stringValue ?? ""
        #expect(diagnostics.contains(reason), "\(query): \(diagnostics)")
    }

    /// Follows `next` links from `uri` to the last page; returns match ids in order.
    func allIDs(_ uri: String, headers: HTTPFields = [:]) async throws -> [String] {
        var ids: [String] = []
        var next: String? = uri
        var pages = 0
        while let current = next {
            let response = try await fetch(current, headers: headers)
            #expect(
                response.status == .ok, "\(current): \(String(decoding: response.bytes, as: UTF8.self).prefix(300))")
            guard response.status == .ok else { return ids }
            let bundle = response.json
            for entry in bundle["entry"]?.asList ?? [] {
                #expect(entry["search"]?["mode"]?.stringValue == "match")
                let id = entry["resource"]?["id"]?.stringValue ?? ""
                #expect(entry["fullUrl"]?.stringValue?.hasSuffix("/\(id)") == true)
                ids.append(id)
            }
            next = bundle["link"]?.asList.first { $0["relation"]?.stringValue == "next" }?["url"]?.stringValue.map(
                fhirPath)
            pages += 1
            if pages > 10_000 { break }
        }
        return ids
    }
}

/// The path and query of a link URL, for the test client.
func fhirPath(_ url: String) -> String {
    guard let range = url.range(of: "/fhir/") else { return url }
    return String(url[range.lowerBound...])
}

func encode(_ value: String) -> String {
    // Foundation's .alphanumerics includes non-ASCII letters; a URL must not.
    value.addingPercentEncoding(
        withAllowedCharacters: CharacterSet(
            charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"))
        ?? value
}
