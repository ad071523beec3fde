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
        let first = try built.index.searchSynchronously(SearchRequest(resourceType: "Practitioner", count: 5))
        let rebuilt = try BuiltIndex(inputs: [Fixtures.riFolder], name: "ri-again")
        var request = SearchRequest(resourceType: "Practitioner", count: 5)
        request.cursor = first.next
        let page = try rebuilt.index.searchSynchronously(request)
        let all = built.sources(of: "Practitioner").map(\.id).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        #expect(page.entries.map(\.id) == Array(all[5..<10]))
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
