import FHIRCore
import Foundation
import Indexing
import SearchParameters
import Storage

/// Indexes built once per test process from the shared IG examples and RI data.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let shared = root.deletingLastPathComponent().appendingPathComponent("shared")
    /// Tests that read the IG packages or the RI data run only where `../shared` is present.
    static let sharedIsPresent = FileManager.default.fileExists(atPath: shared.path)
    static let examplesFolder = shared.appendingPathComponent("fhir/hl7.fhir.us.davinci-pdex-plan-net-1.1.0/example")
        .path
    static let riFolder = shared.appendingPathComponent("data/plannet-ri-nppes").path
    static let registry = try! SearchParameterRegistry.bundled()

    static let examples = try! BuiltIndex(inputs: [examplesFolder], name: "examples")
    static let ri = try! BuiltIndex(inputs: [riFolder], name: "ri")
    static let formularyExamples = shared.appendingPathComponent(
        "fhir/hl7.fhir.us.davinci-drug-formulary-2.0.1/example"
    ).path
    static let formularyRI = shared.appendingPathComponent("data/formulary-ri-10207VA0380001").path
    static let formularySTU1 = shared.appendingPathComponent("fhir/hl7.fhir.us.davinci-drug-formulary-1.1.0-examples")
        .path
    /// Both formulary packages' examples, the real-world slice, and the Plan-Net examples, in one
    /// index, as a payer publishes them side by side.
    static let formulary = try! BuiltIndex(
        inputs: [formularyExamples, formularyRI, formularySTU1, examplesFolder], name: "formulary")

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plandir-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// An index plus the source resources it was built from, for computing expected answers.
struct BuiltIndex: Sendable {
    struct Source: Sendable {
        var type: String
        var id: String
        var json: JSONValue
        var values: ExtractedValues
    }

    let index: DirectoryIndex
    let report: BuildReport
    let sources: [Source]

    init(inputs: [String], name: String) throws {
        let folder = try Fixtures.temporaryFolder()
        let path = folder.appendingPathComponent("\(name).sqlite").path
        report = try IndexBuilder(registry: Fixtures.registry).build(.init(inputs: inputs, output: path))
        index = try DirectoryIndex(path: path, registry: Fixtures.registry)
        // Read the stored resources back (they carry the stamped lastUpdated) and extract values.
        var sources: [Source] = []
        let extractor = ResourceExtractor(registry: Fixtures.registry)
        for type in Fixtures.registry.resourceTypes {
            var request = SearchRequest(resourceType: type, count: SearchRequest.maximumCount)
            while true {
                let page = try index.searchSynchronously(request)
                for entry in page.entries {
                    let json = try JSONParser.parse(entry.json)
                    sources.append(
                        Source(
                            type: type, id: entry.id, json: json,
                            values: extractor.extract(resourceType: type, resource: json)))
                }
                guard let next = page.next else { break }
                request.cursor = next
            }
        }
        self.sources = sources
    }

    func sources(of type: String) -> [Source] { sources.filter { $0.type == type } }
}
