import FHIRCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Ingest
import SearchParameters
import Storage
import Testing

/// Bad source records become report lines; bad builds leave the previous index alone.
@Suite struct BuildReportTests {
    static let practitioner = #"{"resourceType":"Practitioner","id":"p1","name":[{"family":"Smith"}]}"#

    func write(_ lines: [String], to url: URL) throws {
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func everyKindOfBadRecordIsReportedWithFileAndLine() async throws {
        let folder = try Fixtures.temporaryFolder()
        let input = folder.appendingPathComponent("input.ndjson")
        try write(
            [
                Self.practitioner,  // 1
                #"{"resourceType":"Practitioner","id":"p2""#,  // 2: invalid JSON
                #"{"id":"x"}"#,  // 3: missing resourceType
                #"{"resourceType":"Practitioner"}"#,  // 4: missing id
                #"{"resourceType":"Practitioner","id":"bad id!"}"#,  // 5: bad id
                #"{"resourceType":"Patient","id":"pt"}"#,  // 6: unsupported
                #"{"resourceType":"Practitioner","id":"p1","name":[{"family":"Jones"}]}"#,  // 7: duplicate, wins
                // 8: a dangling reference
                #"{"resourceType":"PractitionerRole","id":"r1","practitioner":{"reference":"Practitioner/missing"}}"#,
                "[1,2]",  // 9: not an object
            ], to: input)
        let output = folder.appendingPathComponent("x.sqlite").path
        let report = try IndexBuilder(registry: Fixtures.registry).build(.init(inputs: [input.path], output: output))
        func issue(_ line: Int) -> SourceIssue? { report.issues.first { $0.line == line && $0.file == input.path } }
        #expect(issue(2)?.reason.hasPrefix("invalid JSON") == true)
        #expect(issue(3)?.reason == "missing resourceType")
        #expect(issue(4)?.reason == "missing id")
        #expect(issue(5)?.reason.contains("breaks FHIR id syntax") == true)
        #expect(issue(6)?.reason == "unsupported resourceType Patient")
        #expect(issue(1)?.reason.contains("duplicate Practitioner/p1") == true)
        #expect(issue(8)?.severity == .warning)
        #expect(issue(8)?.reason.contains("Practitioner/missing") == true)
        #expect(issue(9)?.reason == "not a JSON object")
        #expect(report.rejected == 7)
        #expect(report.warnings == 1)
        #expect(report.resourcesIndexed == 2)
        let index = try DirectoryIndex(path: output, registry: Fixtures.registry)
        let stored = try #require(try await index.read(type: "Practitioner", id: "p1"))
        #expect(String(decoding: stored, as: UTF8.self).contains("Jones"))
    }

    @Test func strictFailsAndLeavesThePreviousIndexUntouched() throws {
        let folder = try Fixtures.temporaryFolder()
        let good = folder.appendingPathComponent("good.ndjson")
        let bad = folder.appendingPathComponent("bad.ndjson")
        try write([Self.practitioner], to: good)
        try write([Self.practitioner, "{oops"], to: bad)
        let output = folder.appendingPathComponent("x.sqlite").path
        let builder = IndexBuilder(registry: Fixtures.registry)
        try builder.build(.init(inputs: [good.path], output: output))
        let before = try Data(contentsOf: URL(fileURLWithPath: output))
        #expect(throws: IndexBuilder.BuildFailed.self) {
            try builder.build(.init(inputs: [bad.path], output: output, strict: true))
        }
        #expect(throws: IndexBuilder.BuildFailed.self) {
            try builder.build(.init(inputs: [folder.appendingPathComponent("missing.ndjson").path], output: output))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    @Test func bundlesOfEveryTypeAreSplitIntoResources() async throws {
        let folder = try Fixtures.temporaryFolder()
        for type in ["collection", "transaction", "batch", "searchset"] {
            let bundle = """
                {
                  "resourceType": "Bundle",
                  "type": "\(type)",
                  "entry": [
                    { "fullUrl": "urn:x", "resource": { "resourceType": "Practitioner", "id": "\(type)-a" } },
                    {
                      "resource": {
                        "resourceType": "Organization", "id": "\(type)-b", "meta": { "lastUpdated": "2020-01-01T00:00:00Z" }
                      }
                    }
                  ]
                }
                """
            try bundle.write(to: folder.appendingPathComponent("\(type).json"), atomically: true, encoding: .utf8)
        }
        let output = folder.appendingPathComponent("x.sqlite").path
        let report = try IndexBuilder(registry: Fixtures.registry).build(.init(inputs: [folder.path], output: output))
        #expect(report.resourcesIndexed == 8)
        #expect(report.rejected == 0)
        let index = try DirectoryIndex(path: output, registry: Fixtures.registry)
        let org = try #require(try await index.read(type: "Organization", id: "batch-b"))
        #expect(
            String(decoding: org, as: UTF8.self)
                == #"{"resourceType":"Organization","id":"batch-b","meta":{"lastUpdated":"2020-01-01T00:00:00Z"}}"#)
        let practitioner = try #require(try await index.read(type: "Practitioner", id: "batch-a"))
        #expect(
            String(decoding: practitioner, as: UTF8.self).hasPrefix(#"{"meta":{"lastUpdated":"\#(report.builtAt)"}"#))
    }

    @Test(.enabled(if: Fixtures.sharedIsPresent, "needs ../shared beside the checkout"))
    func readsReturnTheSourceBytes() async throws {
        let line = try #require(
            String(contentsOfFile: Fixtures.riFolder + "/Practitioner.ndjson", encoding: .utf8).split(separator: "\n")
                .first)
        let id = try #require(try JSONParser.parse(String(line))["id"]?.stringValue)
        let stored = try #require(try await Fixtures.ri.index.read(type: "Practitioner", id: id))
        #expect(stored == JSONBytes.compact(Array(line.utf8)))
    }
}

/// Bad requests get a 4xx OperationOutcome, never a 5xx.
@Suite(.enabled(if: Fixtures.sharedIsPresent, "needs ../shared beside the checkout")) struct BadRequestTests {
    func expectOutcome(_ response: FetchedResponse, _ status: HTTPResponse.Status, mentions: String? = nil) {
        #expect(response.status == status)
        #expect(response.headers[.contentType]?.hasPrefix("application/fhir+json") == true)
        let json = response.json
        #expect(json["resourceType"]?.stringValue == "OperationOutcome")
        if let mentions {
            let text = json["issue"]?.asList.first?["diagnostics"]?.stringValue ?? ""
            #expect(text.contains(mentions), "\(text)")
        }
    }

    @Test func errorsAreOutcomes() async throws {
        try await Fixtures.examples.live { client in
            expectOutcome(try await client.fetch("/fhir/Practitioner?foo=bar"), .badRequest, mentions: "foo")
            expectOutcome(
                try await client.fetch("/fhir/Practitioner?_lastUpdated=2020-02-30"), .badRequest,
                mentions: "2020-02-30")
            expectOutcome(try await client.fetch("/fhir/Practitioner?_lastUpdated=zz2020"), .badRequest, mentions: "zz")
            expectOutcome(try await client.fetch("/fhir/Practitioner?name:sounds=x"), .badRequest, mentions: ":sounds")
            expectOutcome(try await client.fetch("/fhir/Practitioner?_count=ten"), .badRequest, mentions: "_count")
            expectOutcome(try await client.fetch("/fhir/Practitioner?_count=-3"), .badRequest, mentions: "-3")
            expectOutcome(try await client.fetch("/fhir/Practitioner?name=%E0%A4"), .badRequest, mentions: "name")
            expectOutcome(try await client.fetch("/fhir/Practitioner?name=%g1"), .badRequest)
            expectOutcome(
                try await client.fetch("/fhir/Practitioner/does-not-exist"), .notFound, mentions: "does-not-exist")
            expectOutcome(try await client.fetch("/fhir/Patient/1"), .notFound, mentions: "Patient")
            expectOutcome(try await client.fetch("/fhir/Patient?name=x"), .notFound)
            expectOutcome(try await client.fetch("/fhir/Practitioner/HansSolo", method: .delete), .methodNotAllowed)
            expectOutcome(try await client.fetch("/fhir/Practitioner", method: .post, body: "{}"), .methodNotAllowed)
            expectOutcome(
                try await client.fetch("/fhir/Practitioner/HansSolo", method: .put, body: "{}"), .methodNotAllowed)
            expectOutcome(try await client.fetch("/fhir/Practitioner?_format=xml"), .notAcceptable)
            expectOutcome(try await client.fetch("/fhir/nowhere/at/all"), .notFound)
        }
    }

    @Test func hostileValuesNeverReachSQLOrCrash() async throws {
        let long = String(repeating: "a", count: 10_000)
        try await Fixtures.examples.live { client in
            for value in ["'; DROP TABLE resource; --", "\" OR 1=1 --", "NEAR(a b) OR c*", "%25%00", "\\", "%27%22%5C"]
            {
                let response = try await client.fetch("/fhir/Practitioner?name=\(encode(value))")
                #expect(response.status == .ok, "\(value.prefix(40))")
                #expect(response.json["entry"] == nil)
            }
            // A 10 kB value: too long for a URL (414, with the way out), fine in a _search body.
            let tooLong = try await client.fetch("/fhir/Practitioner?name=\(long)")
            #expect(tooLong.status == .uriTooLong)
            #expect(tooLong.json["issue"]?.asList.first?["diagnostics"]?.stringValue?.contains("_search") == true)
            let posted = try await client.fetch(
                "/fhir/Practitioner/_search", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"], body: "name=\(long)")
            #expect(posted.status == .ok)
            #expect(posted.json["entry"] == nil)
            let exists = try await client.fetch("/fhir/Practitioner/HansSolo")
            #expect(exists.status == .ok)
        }
    }

    @Test func lenientHandlingIgnoresUnknownParameters() async throws {
        try await Fixtures.examples.live { client in
            let response = try await client.fetch(
                "/fhir/Practitioner?foo=bar&name=solo", headers: [.init("Prefer")!: "handling=lenient"])
            #expect(response.status == .ok)
            let selfLink =
                response.json["link"]?.asList.first { $0["relation"]?.stringValue == "self" }?["url"]?.stringValue ?? ""
            #expect(!selfLink.contains("foo"))
            #expect(selfLink.contains("name=solo"))
            #expect(response.json["entry"]?.asList.map { $0["resource"]!["id"]!.stringValue! } == ["HansSolo"])
        }
    }

    @Test func postSearchTakesAForm() async throws {
        try await Fixtures.examples.inProcess { client in
            let response = try await client.fetch(
                "/fhir/Practitioner/_search", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"], body: "name=solo&_count=5")
            #expect(response.status == .ok)
            #expect(response.json["entry"]?.asList.count == 1)
            let big = String(repeating: "a", count: 70_000)
            let tooLarge = try await client.fetch(
                "/fhir/Practitioner/_search", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"], body: "name=\(big)")
            expectOutcome(tooLarge, .contentTooLarge)
        }
    }

    @Test func capabilityStatementListsTheRegistry() async throws {
        try await Fixtures.examples.inProcess { client in
            let statement = try await client.fetch("/fhir/metadata").json
            #expect(statement["fhirVersion"]?.stringValue == "4.0.1")
            #expect(
                statement["instantiates"]?.asList.contains(
                    .string("http://hl7.org/fhir/us/davinci-pdex-plan-net/CapabilityStatement/plan-net")) == true)
            let resources = statement["rest"]!.asList[0]["resource"]!.asList
            #expect(Set(resources.compactMap { $0["type"]?.stringValue }) == Set(Fixtures.registry.resourceTypes))
            for resource in resources {
                let type = resource["type"]!.stringValue!
                let listed = Set(
                    resource["searchParam"]!.asList.map {
                        "\($0["name"]!.stringValue!) \($0["definition"]!.stringValue!)"
                    })
                #expect(listed == Set(Fixtures.registry.parameters(for: type).map { "\($0.code) \($0.url)" }))
                #expect(
                    resource["interaction"]!.asList.compactMap { $0["code"]?.stringValue } == ["read", "search-type"])
            }
        }
    }
}
