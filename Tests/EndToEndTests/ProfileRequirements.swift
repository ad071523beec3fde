import FHIRCore
import Foundation
import Testing

/// The top-level elements an IG profile requires (`min` ≥ 1 in its snapshot, not slices), read
/// from the package's StructureDefinition, for checking importer output.
enum ProfileRequirements {
    static func required(_ profile: String, in package: URL) throws -> Set<String> {
        let name = String(profile.split(separator: "/").last!)
        let definition = try JSONParser.parse(
            Array(try Data(contentsOf: package.appendingPathComponent("StructureDefinition-\(name).json"))))
        return Set(
            (definition["snapshot"]?["element"]?.asList ?? []).compactMap { element -> String? in
                guard let path = element["path"]?.stringValue, path.split(separator: ".").count == 2,
                    element["sliceName"] == nil, case .number(let min)? = element["min"], min != "0"
                else { return nil }
                return String(path.split(separator: ".")[1])
            })
    }

    /// Checks every resource in `folder`'s NDJSON files against its first `meta.profile`;
    /// returns how many were checked. `meta` itself is left out: the index stamps
    /// `meta.lastUpdated` where a source has none.
    static func check(_ folder: URL, package: URL) throws -> Int {
        var checked = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".ndjson") {
            for line in try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8).split(
                separator: "\n")
            {
                let resource = try JSONParser.parse(String(line))
                let profile = try #require(resource["meta"]?["profile"]?.asList.first?.stringValue)
                for element in try required(profile, in: package) where element != "meta" {
                    #expect(
                        resource[element] != nil,
                        "\(file) \(resource["id"]?.stringValue ?? ""): \(profile) needs \(element)")
                }
                checked += 1
            }
        }
        return checked
    }
}
