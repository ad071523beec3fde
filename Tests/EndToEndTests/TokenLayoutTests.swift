import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Storage
import Testing

/// The token table stores `system|code` (not also the bare code) and drops `system|` rows of
/// parameters with one system; every token search still finds exactly what it did.
@Suite struct TokenLayoutTests {
    static let npi = "http://hl7.org/fhir/sid/us-npi"
    static let nucc = "http://nucc.org/provider-taxonomy"
    static let roleCode = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"

    static let source = """
        {"resourceType":"Practitioner","id":"a","identifier":[{"system":"\(npi)","value":"1"}]}
        {"resourceType":"Practitioner","id":"b","identifier":[{"system":"\(npi)","value":"2"},{"system":"http://other","value":"x"}]}
        {"resourceType":"Practitioner","id":"c"}
        {"resourceType":"Practitioner","id":"d","identifier":[{"system":"http://other","value":"1"}]}
        {"resourceType":"PractitionerRole","id":"r1","specialty":[{"coding":[{"system":"\(nucc)","code":"A"}]}]}
        {"resourceType":"PractitionerRole","id":"r2","specialty":[{"coding":[{"system":"\(nucc)","code":"B"}]}]}
        {"resourceType":"PractitionerRole","id":"r3","specialty":[{"coding":[{"system":"\(nucc)"}]}]}
        {"resourceType":"PractitionerRole","id":"r4"}
        {"resourceType":"Location","id":"l1","type":[{"coding":[{"system":"\(roleCode)","code":"HOSP"}]}]}
        {"resourceType":"Location","id":"l2","type":[{"coding":[{"system":"\(roleCode)","code":"OF"}]}]}
        {"resourceType":"Location","id":"l3"}

        """

    @Test func everyFormFindsWhatItNames() async throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("all.ndjson")
        try Self.source.write(to: input, atomically: true, encoding: .utf8)
        let path = folder.appendingPathComponent("tokens.sqlite").path
        try IndexBuilder(registry: Fixtures.registry).build(.init(inputs: [input.path], output: path))
        let index = try DirectoryIndex(path: path, registry: Fixtures.registry)
        let type = Fixtures.registry.parameter("Location", "type")!.pid
        let specialty = Fixtures.registry.parameter("PractitionerRole", "specialty")!.pid
        let identifier = Fixtures.registry.parameter("Practitioner", "identifier")!.pid
        let single = index.singleSystemParameters
        #expect(single[type] != nil, "Location.type has one system")
        #expect(single[specialty] == nil, "a system with no code keeps its system| rows")
        #expect(single[identifier] == nil, "two systems")

        let app = buildApplication(index: index, configuration: ServerConfiguration(host: "127.0.0.1", port: 8080))
        try await app.test(.router) { client in
            let cases: [(String, [String])] = [
                ("Location?type=\(encode(Self.roleCode + "|"))", ["l1", "l2"]),
                ("Location?type:not=\(encode(Self.roleCode + "|"))", ["l3"]),
                ("Location?type=\(encode("http://other|"))", []),
                ("Location?type=HOSP", ["l1"]),
                ("Location?type=HOSP,OF", ["l1", "l2"]),
                ("Location?type:not=HOSP", ["l2", "l3"]),
                ("PractitionerRole?specialty=\(encode(Self.nucc + "|"))", ["r1", "r2", "r3"]),
                ("PractitionerRole?specialty:missing=false", ["r1", "r2", "r3"]),
                ("PractitionerRole?specialty=\(encode(Self.nucc + "|B"))", ["r2"]),
                ("PractitionerRole?specialty=\(encode("|B"))", []),
                ("Practitioner?identifier=\(encode(Self.npi + "|"))", ["a", "b"]),
                ("Practitioner?identifier=1", ["a", "d"]),
                ("Practitioner?identifier=x", ["b"]),
                ("Practitioner?identifier=\(encode("http://other|1"))", ["d"]),
                ("Practitioner?identifier:missing=true", ["c"]),
            ]
            for (query, expected) in cases {
                let ids = try await client.allIDs("/fhir/\(query)")
                #expect(ids == expected, "\(query)")
            }
        }
    }
}
