import FHIRCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ingest
import Server
import Testing

@testable import Storage

/// ZIP codes to coordinates, offline: the committed 2023 ZCTA points, loaded by the build and
/// answered at `/web/geo/zip/{zip}`.
@Suite struct GeoTests {
    static let csv = Fixtures.root.appendingPathComponent("Data/geo/zcta-2023.csv").path

    @Test func theCommittedFileIsWholeAndValid() throws {
        let file = try ZCTAFile(path: Self.csv)
        #expect(file.issues.isEmpty)
        #expect(file.points.count == 33_791)
        #expect(file.points.map(\.zcta) == file.points.map(\.zcta).sorted())
        let text = try String(contentsOfFile: Self.csv, encoding: .utf8)
        #expect(text.hasPrefix("zcta,lat,lon\n00601,18.18055,-66.74996\n"))
        // Five decimals everywhere.
        let row = /^\d{5},-?\d{1,2}\.\d{5},-?\d{1,3}\.\d{5}$/
        #expect(text.split(separator: "\n").dropFirst().allSatisfy { $0.wholeMatch(of: row) != nil })
    }

    @Test func theZIPEndpointAnswersFromTheIndex() async throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("geo.sqlite").path
        try IndexBuilder(registry: Fixtures.registry).build(
            .init(
                inputs: [Fixtures.root.appendingPathComponent("Data/sample/Location.ndjson").path], output: path,
                zcta: Self.csv))
        let index = try DirectoryIndex(path: path, registry: Fixtures.registry)
        let app = buildApplication(index: index, configuration: ServerConfiguration(host: "127.0.0.1", port: 8080))
        try await app.test(.router) { client in
            let found = try await client.fetch("/web/geo/zip/06103")
            #expect(found.status == .ok)
            #expect(found.headers[.contentType] == "application/json")
            #expect(
                String(decoding: found.bytes, as: UTF8.self).contains(#""latitude":41.76510,"longitude":-72.67076"#))
            #expect(found.json["zip"]?.stringValue == "06103")
            let missing = try await client.fetch("/web/geo/zip/99999")
            #expect(missing.status == .notFound)
            #expect(missing.json["error"]?.stringValue?.contains("99999") == true)
            for bad in ["0610", "06103-12", "abcde", "061030"] {
                let response = try await client.fetch("/web/geo/zip/\(bad)")
                #expect(response.status == .badRequest, "\(bad)")
                #expect(response.json["error"]?.stringValue?.contains("five digits") == true, "\(bad)")
                #expect(response.json["resourceType"] == nil, "not a FHIR answer")
            }
        }
    }

    @Test func badRowsAreReportedWithTheirLineAndLeftOut() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("zcta.csv")
        try """
        zcta,lat,lon
        06103,41.76510,-72.67076
        6103,41.0,-72.0
        06104,91.0,-72.0
        06105,41.0
        06103,1.0,1.0
        06106,41.75,-72.69

        """.write(to: csv, atomically: true, encoding: .utf8)
        let path = folder.appendingPathComponent("geo.sqlite").path
        let report = try IndexBuilder(registry: Fixtures.registry).build(
            .init(
                inputs: [Fixtures.root.appendingPathComponent("Data/sample/Endpoint.ndjson").path], output: path,
                zcta: csv.path))
        let zcta = report.issues.filter { $0.kind == "zcta" }
        #expect(zcta.map(\.line) == [3, 4, 5, 6])
        #expect(zcta.allSatisfy { $0.file == csv.path })
        #expect(zcta[0].reason.hasPrefix("a ZCTA is five digits"))
        #expect(zcta[1].reason.hasPrefix("latitude must be within"))
        #expect(zcta[2].reason.hasPrefix("expected zcta,lat,lon"))
        #expect(zcta[3].reason.hasPrefix("ZCTA 06103 appears twice"))
        #expect(try ZCTAFile(path: csv.path).points.map(\.zcta) == ["06103", "06106"])
        try "zip,latitude,longitude\n".write(to: csv, atomically: true, encoding: .utf8)
        #expect(throws: IndexBuilder.BuildFailed.self) {
            try IndexBuilder(registry: Fixtures.registry).build(
                .init(
                    inputs: [Fixtures.root.appendingPathComponent("Data/sample/Endpoint.ndjson").path], output: path,
                    zcta: csv.path))
        }
    }
}
