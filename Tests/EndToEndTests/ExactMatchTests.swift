import Foundation
import Testing

/// `:exact` compares the value as written: the whitespace folding that other string searches
/// get must not touch it.
@Suite struct ExactMatchTests {
    @Test func exactKeepsInnerWhitespaceWhilePrefixFoldsIt() async throws {
        let folder = try Fixtures.temporaryFolder()
        let input = folder.appendingPathComponent("orgs.ndjson")
        try """
        {"resourceType":"Organization","id":"double","name":"Saint  Mary  Hospital"}
        {"resourceType":"Organization","id":"single","name":"Saint Mary Hospital"}

        """.write(to: input, atomically: true, encoding: .utf8)
        let built = try BuiltIndex(inputs: [input.path], name: "exact")
        try await built.inProcess { client in
            let double = try await client.allIDs("/fhir/Organization?name:exact=Saint%20%20Mary%20%20Hospital")
            #expect(double == ["double"])
            let single = try await client.allIDs("/fhir/Organization?name:exact=Saint%20Mary%20Hospital")
            #expect(single == ["single"])
            let prefix = try await client.allIDs("/fhir/Organization?name=saint%20%20mary")
            #expect(Set(prefix).contains("single"))
        }
    }
}
