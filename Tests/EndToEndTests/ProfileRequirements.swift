import FHIRCore
import Foundation
import Ingest
import Testing

/// The top-level elements an IG profile requires (`min` ≥ 1 in its snapshot, not slices), read
/// from the package's StructureDefinition, for checking importer output.
enum ProfileRequirements {
    static func required(_ profile: String, in packages: [URL]) throws -> Set<String> {
        let name = String(profile.split(separator: "/").last!)
        let file = try #require(
            packages.map { $0.appendingPathComponent("StructureDefinition-\(name).json") }.first {
                FileManager.default.fileExists(atPath: $0.path)
            }, "no package has \(name)")
        let definition = try JSONParser.parse(Array(try Data(contentsOf: file)))
        return Set(
            (definition["snapshot"]?["element"]?.asList ?? []).compactMap { element -> String? in
                guard let path = element["path"]?.stringValue, path.split(separator: ".").count == 2,
                    element["sliceName"] == nil, case .number(let min)? = element["min"], min != "0"
                else { return nil }
                return String(path.split(separator: ".")[1])
            })
    }

    /// Indexes `folder`'s NDJSON and checks every resource, as the index serves it (with the
    /// `meta.lastUpdated` it stamps where a source has no date), against its first
    /// `meta.profile`; returns how many were checked.
    static func check(_ folder: URL, packages: [URL]) throws -> Int {
        let built = try BuiltIndex(inputs: [folder.path], name: "profiles-\(UUID().uuidString)")
        #expect(built.report.issues.filter { $0.severity == .rejected }.isEmpty)
        for source in built.sources {
            let profile = try #require(source.json["meta"]?["profile"]?.asList.first?.stringValue)
            for element in try required(profile, in: packages) {
                #expect(source.json[element] != nil, "\(source.type)/\(source.id): \(profile) needs \(element)")
            }
            #expect(source.json["meta"]?["lastUpdated"] != nil)
        }
        return built.sources.count
    }
}

/// An import's report is, line for line, its fixture folder's `expected-report.jsonl`.
func expectReport(
    _ report: ImportReport, matches folder: URL, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let expected = try String(contentsOf: folder.appendingPathComponent("expected-report.jsonl"), encoding: .utf8)
    #expect(
        String(decoding: try report.jsonLines, as: UTF8.self).split(separator: "\n")
            == expected.split(separator: "\n"), sourceLocation: sourceLocation)
}

/// Two imports of the same input wrote the same files, byte for byte.
func expectSameImport(_ first: URL, _ second: URL) throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: first.path).sorted()
    #expect(files == (try FileManager.default.contentsOfDirectory(atPath: second.path).sorted()))
    for file in files {
        #expect(
            try Data(contentsOf: first.appendingPathComponent(file))
                == Data(contentsOf: second.appendingPathComponent(file)), "\(file)")
    }
}
