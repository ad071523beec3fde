import FHIRCore
import Testing

@Suite struct ContentHashTests {
    func hash(_ text: String) throws -> Int64 { ContentHash.of(try JSONParser.parse(text)) }

    @Test func ignoresMemberOrderEscapesVersionAndTimestamp() throws {
        let base = try hash(
            #"{"resourceType":"Practitioner","id":"a","meta":{"profile":["p"]},"name":[{"family":"Lee"}]}"#)
        let same = [
            #"{"id":"a","resourceType":"Practitioner","name":[{"family":"Lee"}],"meta":{"profile":["p"]}}"#,
            #"{"resourceType":"Practitioner","id":"a","meta":{"versionId":"7","profile":["p"],"lastUpdated":"2020-01-01T00:00:00Z"},"name":[{"family":"L\u0065e"}]}"#,
            "{ \"resourceType\" : \"Practitioner\", \"id\":\"a\",\n \"meta\":{\"profile\":[\"p\"]},\"name\":[{\"family\":\"Lee\"}]}",
        ]
        for text in same { #expect(try hash(text) == base, "\(text)") }
    }

    @Test func aMetaWithOnlyVersionAndTimestampIsNoMeta() throws {
        #expect(
            try hash(#"{"resourceType":"Location","id":"x"}"#)
                == hash(#"{"resourceType":"Location","id":"x","meta":{"lastUpdated":"2026-01-01T00:00:00Z"}}"#))
    }

    @Test func seesEveryOtherChange() throws {
        let base = try hash(#"{"resourceType":"Location","id":"x","meta":{"tag":[{"code":"a"}]},"name":"A","n":1.0}"#)
        let changed = [
            #"{"resourceType":"Location","id":"x","meta":{"tag":[{"code":"b"}]},"name":"A","n":1.0}"#,
            #"{"resourceType":"Location","id":"x","meta":{"tag":[{"code":"a"}]},"name":"B","n":1.0}"#,
            #"{"resourceType":"Location","id":"x","meta":{"tag":[{"code":"a"}]},"name":"A","n":1}"#,
            #"{"resourceType":"Location","id":"y","meta":{"tag":[{"code":"a"}]},"name":"A","n":1.0}"#,
            #"{"resourceType":"Location","id":"x","meta":{"tag":[{"code":"a"}]},"name":["A"],"n":1.0}"#,
            #"{"resourceType":"Location","id":"x","meta":{"tag":[{"code":"a"}]},"name":"A","n":1.0,"z":null}"#,
        ]
        for text in changed { #expect(try hash(text) != base, "\(text)") }
    }

    @Test func digestsOfNearbyInputsDiffer() {
        // Every one-byte change of a 40-byte input, at every position, gives a new digest.
        let input = Array("{\"resourceType\":\"Location\",\"id\":\"x-123\"}".utf8)
        var seen: Set<UInt64> = [ContentHash.digest(input)]
        for position in input.indices {
            for bit in 0..<8 {
                var changed = input
                changed[position] ^= 1 << bit
                seen.insert(ContentHash.digest(changed))
            }
        }
        #expect(seen.count == 1 + input.count * 8)
        #expect(ContentHash.digest([]) != ContentHash.digest([0]))
    }

    @Test func settingVersionReplacesOnlyVersionAndTimestamp() {
        func set(_ text: String) -> String {
            String(
                decoding: JSONBytes.settingVersion(
                    Array(text.utf8), versionId: "3", lastUpdated: "2026-12-04T00:00:00Z"),
                as: UTF8.self)
        }
        #expect(
            set(#"{"resourceType":"A","id":"x"}"#)
                == #"{"meta":{"versionId":"3","lastUpdated":"2026-12-04T00:00:00Z"},"resourceType":"A","id":"x"}"#)
        #expect(
            set(#"{"resourceType":"A","meta":{},"id":"x"}"#)
                == #"{"resourceType":"A","meta":{"versionId":"3","lastUpdated":"2026-12-04T00:00:00Z"},"id":"x"}"#)
        #expect(
            set(
                #"{"resourceType":"A","meta":{"versionId":"1","profile":["p\"}"],"lastUpdated":"2020-01-01T00:00:00Z","source":"s"},"id":"x"}"#
            )
                == #"{"resourceType":"A","meta":{"versionId":"3","lastUpdated":"2026-12-04T00:00:00Z","profile":["p\"}"],"source":"s"},"id":"x"}"#
        )
        // A nested `meta` is not the resource's.
        #expect(
            set(#"{"contained":[{"meta":{"versionId":"9"}}],"id":"x"}"#)
                == #"{"meta":{"versionId":"3","lastUpdated":"2026-12-04T00:00:00Z"},"contained":[{"meta":{"versionId":"9"}}],"id":"x"}"#
        )
    }
}
