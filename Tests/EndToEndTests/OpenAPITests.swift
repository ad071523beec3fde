import FHIRCore
import Foundation
import Hummingbird
import HummingbirdTesting
import SearchParameters
import Server
import Testing

/// The OpenAPI description is generated from the registry the queries use: it names every
/// type, parameter, modifier and declared chain, and the error statuses with their schema.
@Suite struct OpenAPITests {
    static let sample = try! BuiltIndex(
        inputs: [Fixtures.root.appendingPathComponent("Data/sample").path], name: "openapi")

    @Test func theServedDescriptionCoversTheRegistry() async throws {
        let app = buildApplication(index: Self.sample.index, configuration: ServerConfiguration(port: 0))
        let registry = Fixtures.registry
        try await app.test(.router) { client in
            let response = try await client.fetch("/fhir/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let document = response.json
            #expect(document["openapi"]?.stringValue == "3.0.3")
            let paths = try #require(document["paths"]?.objectValue)
            for type in registry.resourceTypes {
                let search = try #require(paths["/fhir/\(type)"]?["get"], "\(type)")
                #expect(paths["/fhir/\(type)/_search"]?["post"] != nil)
                #expect(paths["/fhir/\(type)/{id}"]?["get"] != nil)
                let names = Set(search["parameters"]?.asList.compactMap { $0["name"]?.stringValue } ?? [])
                for parameter in registry.parameters(for: type) where parameter.type.isSupported {
                    #expect(names.contains(parameter.code), "\(type) \(parameter.code)")
                    for modifier in parameter.searchModifiers {
                        #expect(
                            names.contains("\(parameter.code):\(modifier)"), "\(type) \(parameter.code):\(modifier)")
                    }
                    for chain in parameter.chains { #expect(names.contains("\(parameter.code).\(chain)")) }
                }
                // Repeatable: every query parameter is an exploded form array.
                for parameter in search["parameters"]?.asList ?? [] {
                    #expect(parameter["style"]?.stringValue == "form" && parameter["explode"] == .bool(true))
                    #expect(parameter["schema"]?["type"]?.stringValue == "array")
                }
                for status in ["400", "406", "414"] {
                    #expect(
                        search["responses"]?[status]?["content"]?["application/fhir+json"]?["schema"]?["$ref"]
                            == .string("#/components/schemas/OperationOutcome"))
                }
                let post = paths["/fhir/\(type)/_search"]?["post"]?["responses"]
                #expect(post?["413"] != nil && post?["415"] != nil)
                #expect(paths["/fhir/\(type)/{id}"]?["get"]?["responses"]?["404"] != nil)
            }
            #expect(paths["/fhir/metadata"]?["get"] != nil)
            // What the server says a 400 looks like is what it sends.
            let bad = try await client.fetch("/fhir/Practitioner?_count=x")
            #expect(bad.status == .badRequest && bad.json["resourceType"]?.stringValue == "OperationOutcome")
        }
    }

    @Test func theCommandPrintsTheServedDescription() async throws {
        let binary = Fixtures.root.appendingPathComponent(".build/debug/plandir")
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the plandir executable first")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["openapi"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let app = buildApplication(index: Self.sample.index, configuration: ServerConfiguration(port: 0))
        try await app.test(.router) { client in
            let served = try await client.fetch("/fhir/openapi.json")
            #expect(try JSONParser.parse([UInt8](printed)) == served.json)
        }
    }
}
