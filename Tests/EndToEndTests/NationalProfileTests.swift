import FHIRCore
import Foundation
import Generator
import Storage
import Testing

/// `plandir generate --profile national`: the shape of a national payer's network, at any size.
@Suite struct NationalProfileTests {
    static let practitioners = 600

    static let network: (folder: URL, byType: [String: [JSONValue]]) = {
        let folder = try! Fixtures.temporaryFolder()
        try! NetworkGenerator(seed: 11, practitioners: practitioners, profile: .national).write(to: folder.path)
        var byType: [String: [JSONValue]] = [:]
        for file in try! FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let text = try! String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let resource = try! JSONParser.parse(Array(line.utf8))
                byType[resource["resourceType"]!.stringValue!, default: []].append(resource)
            }
        }
        return (folder, byType)
    }()

    @Test func twoRolesPerPractitionerAndTwoLocationsPerOrganization() {
        let roles = Self.network.byType["PractitionerRole"]!.count
        #expect(Double(roles) / Double(Self.practitioners) > 1.8)
        #expect(Double(roles) / Double(Self.practitioners) < 2.2)
        let organizations = Self.network.byType["Organization"]!.filter {
            $0["id"]!.stringValue! != "payer-acme" && !$0["id"]!.stringValue!.hasPrefix("network-")
        }
        let sites = Self.network.byType["Location"]!.filter { $0["managingOrganization"] != nil }
        #expect(sites.count == 2 * organizations.count)
        // Roles use both sites of their organizations.
        let used = Set(
            Self.network.byType["PractitionerRole"]!.compactMap {
                $0["location"]?.arrayValue?.first?["reference"]?.stringValue
            })
        #expect(used.contains { $0.hasSuffix("-2") })
        #expect(used.contains { !$0.hasSuffix("-2") })
    }

    @Test func locationsClusterInCitiesOfEveryState() {
        let states = Set(Self.network.byType["Location"]!.compactMap { $0["address"]?["state"]?.stringValue })
        #expect(states.count == 51, "50 states and DC: \(states.sorted())")
    }

    @Test func twentyFormulariesOverThousandsOfDrugs() {
        let drugs = Self.network.byType["MedicationKnowledge"]!
        #expect(drugs.count >= 5000)
        let rxcuis = drugs.compactMap { $0["code"]?["coding"]?.arrayValue?.first?["code"]?.stringValue }
        #expect(Set(rxcuis).count == drugs.count, "RxCUIs are unique")
        let formularies = Self.network.byType["InsurancePlan"]!.filter {
            $0["id"]?.stringValue?.hasPrefix("formulary-") == true
        }
        #expect(formularies.count >= 20)
        #expect(Self.network.byType["Basic"]!.count >= 20 * 3000)
    }

    @Test func sameSeedSameBytesAndEveryReferenceResolves() throws {
        let again = try Fixtures.temporaryFolder()
        try NetworkGenerator(seed: 11, practitioners: Self.practitioners, profile: .national).write(to: again.path)
        for file in try FileManager.default.contentsOfDirectory(atPath: again.path) {
            #expect(
                try Data(contentsOf: again.appendingPathComponent(file))
                    == Data(contentsOf: Self.network.folder.appendingPathComponent(file)), "\(file)")
        }
        let output = try Fixtures.temporaryFolder().appendingPathComponent("national.sqlite").path
        let report = try IndexBuilder(registry: Fixtures.registry).build(
            .init(inputs: [Self.network.folder.path], output: output))
        #expect(report.issues.isEmpty, "\(report.issues.prefix(3))")
    }
}
