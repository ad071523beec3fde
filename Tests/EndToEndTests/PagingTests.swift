import FHIRCore
import Foundation
import HummingbirdTesting
import SearchParameters
import Storage
import Testing

@Suite(.enabled(if: Fixtures.sharedIsPresent, "needs ../shared beside the checkout")) struct PagingTests {
    let built = Fixtures.ri

    @Test func nextLinksVisitEveryMatchOnceInIDOrder() async throws {
        let expected = built.sources(of: "Practitioner").map(\.id).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        try await built.live { client in
            let ids = try await client.allIDs("/fhir/Practitioner?_count=37")
            #expect(ids == expected)
            let descending = try await client.allIDs("/fhir/Practitioner?_count=101&_sort=-_id")
            #expect(descending == expected.reversed())
        }
    }

    @Test func sortByLastUpdatedBothWays() async throws {
        let sources = built.sources(of: "PractitionerRole")
        let ascending = sources.sorted { a, b in
            a.values.lastUpdated! != b.values.lastUpdated!
                ? a.values.lastUpdated! < b.values.lastUpdated! : a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
        }.map(\.id)
        try await built.live { client in
            let up = try await client.allIDs("/fhir/PractitionerRole?_sort=_lastUpdated&_count=113")
            #expect(up == ascending)
            let down = try await client.allIDs("/fhir/PractitionerRole?_sort=-_lastUpdated&_count=113")
            #expect(down == ascending.reversed())
        }
    }

    @Test func previousLinksWalkBack() async throws {
        try await built.live { client in
            var pages: [[String]] = []
            var uri: String? = "/fhir/Location?_count=10"
            var previousLinks: [String?] = []
            while let current = uri, pages.count < 4 {
                let bundle = try await client.fetch(current).json
                pages.append(bundle["entry"]!.asList.map { $0["resource"]!["id"]!.stringValue! })
                let links = bundle["link"]!.asList
                previousLinks.append(links.first { $0["relation"]?.stringValue == "previous" }?["url"]?.stringValue)
                uri = links.first { $0["relation"]?.stringValue == "next" }?["url"]?.stringValue.map(fhirPath)
            }
            #expect(previousLinks[0] == nil)
            for i in 1..<pages.count {
                let link = try #require(previousLinks[i])
                let back = try await client.fetch(fhirPath(link)).json
                #expect(back["entry"]!.asList.map { $0["resource"]!["id"]!.stringValue! } == pages[i - 1])
            }
        }
    }

    @Test func totalsAndCounts() async throws {
        let count = built.sources(of: "Practitioner").count
        try await built.live { client in
            let summary = try await client.fetch("/fhir/Practitioner?_summary=count").json
            #expect(summary["total"] == .number(String(count)))
            #expect(summary["entry"] == nil)
            let total = try await client.fetch("/fhir/Practitioner?_total=accurate&_count=2").json
            #expect(total["total"] == .number(String(count)))
            #expect(total["entry"]?.asList.count == 2)
            let clamped = try await client.fetch("/fhir/Practitioner?_count=5000").json
            #expect(clamped["entry"]?.asList.count == 1000)
            let plain = try await client.fetch("/fhir/Practitioner").json
            #expect(plain["entry"]?.asList.count == 20)
            #expect(plain["total"] == nil)
        }
    }

    @Test func cursorsSurviveARebuild() async throws {
        // A next link names a logical id, so it stays valid on a rebuilt index.
        // The rebuilt index has one more practitioner, sorting before the cursor: every rid after
        // it moves by one, so a cursor that named a rid would repeat a resource.
        let first = try built.index.searchSynchronously(SearchRequest(resourceType: "Practitioner", count: 5))
        let extra = try Fixtures.temporaryFolder().appendingPathComponent("extra.ndjson")
        try #"{"resourceType":"Practitioner","id":"0-inserted","name":[{"family":"Early"}]}"#
            .write(to: extra, atomically: true, encoding: .utf8)
        let rebuilt = try BuiltIndex(inputs: [Fixtures.riFolder, extra.path], name: "ri-again")
        var request = SearchRequest(resourceType: "Practitioner", count: 5)
        request.cursor = first.next
        let page = try rebuilt.index.searchSynchronously(request)
        let all = built.sources(of: "Practitioner").map(\.id).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        #expect(
            try rebuilt.index.searchSynchronously(SearchRequest(resourceType: "Practitioner", count: 1))
                .entries.first?.id == "0-inserted")
        #expect(page.entries.map(\.id) == Array(all[5..<10]))
    }

    /// A page deep in a large result visits as many rows as the first: the keyset bound must be
    /// the one SQLite seeks to, not a filter applied while it walks from the start of the type.
    @Test func deepPagesVisitNoMoreRowsThanTheFirst() throws {
        let registry = Fixtures.registry
        let roles = built.sources(of: "PractitionerRole").map(\.id).sorted {
            $0.utf8.lexicographicallyPrecedes($1.utf8)
        }
        try #require(roles.count > 1000)
        let specialty = registry.parameter("PractitionerRole", "specialty")!
        var counts: [String: Int] = [:]
        for source in built.sources(of: "PractitionerRole") {
            for code in Oracle.codes(source, pid: specialty.pid) { counts[code, default: 0] += 1 }
        }
        let common: String = try #require(counts.max { $0.value < $1.value }?.key)
        let requests: [(String, SearchRequest)] = [
            ("every role", SearchRequest(resourceType: "PractitionerRole", count: 10)),
            (
                "one specialty",
                SearchRequest(
                    resourceType: "PractitionerRole",
                    clauses: [.init(parameter: specialty, condition: .token([common], negated: false))], count: 10)
            ),
        ]
        for (name, request) in requests {
            let first = try built.index.pageSteps(request)
            for direction in [PageCursor.Direction.after, .before] {
                var deep = request
                // Near the far end for `after`, near the start for `before`: both walk far if the
                // bound is not sought.
                let id = direction == .after ? roles[roles.count - 30] : roles[30]
                deep.cursor = PageCursor(direction: direction, id: id)
                let steps = try built.index.pageSteps(deep)
                #expect(steps <= first * 2 + 50, "\(name), \(direction): \(steps) steps against \(first) for page 1")
            }
        }
    }

    @Test func deepPagesUseIndexesNotScans() throws {
        let registry = Fixtures.registry
        let specialty = registry.parameter("PractitionerRole", "specialty")!
        let request = SearchRequest(
            resourceType: "PractitionerRole",
            clauses: [.init(parameter: specialty, condition: .token(["207Q00000X"], negated: false))],
            cursor: PageCursor(direction: .after, id: "zzz"))
        let plan = try built.index.explain(request).joined(separator: "\n")
        #expect(plan.contains("USING PRIMARY KEY") || plan.contains("USING INDEX"), "\(plan)")
        #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
        #expect(!plan.contains("SCAN tok"), "\(plan)")
    }
}
