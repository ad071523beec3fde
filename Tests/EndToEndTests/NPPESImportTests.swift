import FHIRCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Ingest
import SearchParameters
import Server
import Storage
import Testing

/// `plandir import nppes` on the project's own fixtures (synthetic providers, Luhn-valid NPIs,
/// the V1 and V2 header lines): the report line for line, byte-identical output, and the
/// directory the output indexes into.
@Suite struct NPPESImportTests {
    static let folder = Fixtures.root.appendingPathComponent("Tests/Fixtures/import/nppes")
    static let inputs = [
        "npidata_pfile_20240701-20240707.csv", "npidata_pfile_v1_20231201-20231207.csv",
        "pl_pfile_20240701-20240707.csv",
    ].map { folder.appendingPathComponent($0).path }

    static func importFixtures(into output: URL) throws -> ImportReport {
        var options = NPPESImporter.Options()
        options.network = "Acme Choice"
        options.roster = folder.appendingPathComponent("roster.csv").path
        options.zcta = try ZCTAFile(path: Fixtures.root.appendingPathComponent("Data/geo/zcta-2023.csv").path).byZCTA
        var importer = try NPPESImporter(options: options, output: try NDJSONOutput(folder: output.path))
        return try importer.run(inputs: inputs)
    }

    @Test func theReportMatchesTheFixturesExpectedLines() throws {
        let output = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: output) }
        let report = try Self.importFixtures(into: output)
        try expectReport(report, matches: Self.folder)
        #expect(report.counts["invalid-npi"] == 3)
        #expect(report.notes["skipped-deactivated"] == 1)
        #expect(report.notes["no-position"] == 1, "ZIP 99999 has no ZCTA")
    }

    @Test func theSameInputGivesTheSameBytes() throws {
        let first = try Fixtures.temporaryFolder()
        let second = try Fixtures.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        _ = try Self.importFixtures(into: first)
        _ = try Self.importFixtures(into: second)
        let files = try FileManager.default.contentsOfDirectory(atPath: first.path).sorted()
        #expect(
            files == [
                "Location.ndjson", "Organization.ndjson", "OrganizationAffiliation.ndjson",
                "Practitioner.ndjson", "PractitionerRole.ndjson",
            ])
        for file in files {
            let a = try Data(contentsOf: first.appendingPathComponent(file))
            let b = try Data(contentsOf: second.appendingPathComponent(file))
            #expect(a == b, "\(file)")
        }
    }

    /// Imported, indexed and served: the NPI finds the practitioner at both practice locations,
    /// names and genders come from either header layout, and only rostered NPIs are in the network.
    @Test func theImportIndexesAndAnswers() async throws {
        let output = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: output) }
        _ = try Self.importFixtures(into: output)
        let built = try BuiltIndex(inputs: [output.path], name: "nppes-import")
        #expect(built.report.issues.filter { $0.severity == .rejected }.isEmpty)
        try await built.inProcess { client in
            let npi = encode("http://hl7.org/fhir/sid/us-npi|1234567802")
            let roles = try await client.fetch(
                "/fhir/PractitionerRole?practitioner:identifier=\(npi)&_include=PractitionerRole:location")
            let entries = roles.json["entry"]?.asList ?? []
            let matched = entries.filter { $0["search"]?["mode"]?.stringValue == "match" }
            #expect(matched.count == 2)
            let lines = entries.filter { $0["search"]?["mode"]?.stringValue == "include" }
                .compactMap { $0["resource"]?["address"]?["line"]?.asList.first?.stringValue }
            #expect(Set(lines) == ["100 PEARL ST", "300 WASHINGTON ST"])
            let specialties = matched[0]["resource"]?["specialty"]?.asList.compactMap {
                $0["coding"]?.asList.first?["code"]?.stringValue
            }
            #expect(specialties == ["207RC0000X", "207R00000X"], "the primary taxonomy first")

            let near = try await client.allIDs(
                "/fhir/PractitionerRole?location.near=\(encode("41.7651|-72.67076|5|km"))&network=Organization/network-acme-choice"
            )
            #expect(
                Set(near) == [
                    "npi-1234567802-acme-choice-1", "npi-1234567802-acme-choice-2", "npi-1234567828-acme-choice-1",
                    "npi-2234567800-acme-choice-1",
                ])

            let women = try await client.allIDs("/fhir/Practitioner?gender=female")
            #expect(
                Set(women) == ["npi-1234567802", "npi-1234567869", "npi-2234567800"], "V2 sex code and V1 gender code")
            let okafor = try await client.fetch("/fhir/Practitioner/npi-1234567810")
            #expect(okafor.json["name"]?.asList.first?["prefix"]?.asList.first?.stringValue == "DR.")
            let clinic = try await client.allIDs(
                "/fhir/OrganizationAffiliation?participating-organization=Organization/npi-1234567836")
            #expect(clinic == ["npi-1234567836-acme-choice-1", "npi-1234567836-acme-choice-2"])
            let stamped = try await client.fetch("/fhir/Practitioner/npi-1234567802")
            #expect(stamped.json["meta"]?["lastUpdated"]?.stringValue == "2024-07-08T00:00:00Z")
        }
    }

    /// Every imported resource, as indexed, has its Plan-Net profile's required top-level elements.
    @Test(.enabled(if: Fixtures.sharedIsPresent, "needs ../shared beside the checkout"))
    func theOutputMeetsThePlanNetProfiles() throws {
        let output = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: output) }
        _ = try Self.importFixtures(into: output)
        let package = Fixtures.shared.appendingPathComponent("fhir/hl7.fhir.us.davinci-pdex-plan-net-1.1.0")
        let checked = try ProfileRequirements.check(output, packages: [package])
        #expect(checked == 26)
    }

    /// The output folder ends up holding exactly this import: stale types go, other files stay,
    /// and a failed import changes nothing.
    @Test func theOutputFolderHoldsExactlyOneImport() throws {
        let output = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: output) }
        try "{}\n".write(to: output.appendingPathComponent("Endpoint.ndjson"), atomically: true, encoding: .utf8)
        try "keep me\n".write(to: output.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        _ = try Self.importFixtures(into: output)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: output.path))
        #expect(!names.contains("Endpoint.ndjson"))
        #expect(names.contains("notes.txt") && names.contains("Practitioner.ndjson"))
        #expect(!names.contains { $0.hasSuffix(".partial") })
        let before = try Data(contentsOf: output.appendingPathComponent("Practitioner.ndjson"))
        // A second import into the same folder replaces the files it wrote before.
        _ = try Self.importFixtures(into: output)
        #expect(try Data(contentsOf: output.appendingPathComponent("Practitioner.ndjson")) == before)

        let broken = output.appendingPathComponent("npidata_pfile_broken.csv")
        try "\"NPI\",\"Entity Type Code\"\n\"1234567802\",\"1\"\n".write(to: broken, atomically: true, encoding: .utf8)
        let failed = try CommandLineTests.run(["import", "nppes", broken.path, "--output", output.path])
        #expect(failed.status == 64)
        #expect(failed.stderr.contains("has no column"))
        #expect(try Data(contentsOf: output.appendingPathComponent("Practitioner.ndjson")) == before)
        #expect(
            !(try FileManager.default.contentsOfDirectory(atPath: output.path)).contains { $0.hasSuffix(".partial") })
    }

    @Test func strictExitsNonZeroOnAnyRejection() throws {
        let output = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: output) }
        let strict = try CommandLineTests.run(
            ["import", "nppes"] + Self.inputs + ["--output", output.path, "--strict"])
        #expect(strict.status == 1)
        let clean = try CommandLineTests.run(
            ["import", "nppes", Self.inputs[1], "--output", output.appendingPathComponent("v1").path, "--strict"])
        #expect(clean.status == 0, "\(clean.stderr)")
        let usage = try CommandLineTests.run(
            ["import", "nppes", Self.inputs[0], "--output", output.path, "--network", "X"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("--roster"))
    }
}
