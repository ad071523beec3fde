import FHIRCore
import Testing

@Suite struct JSONParserTests {
    @Test func parsesNestedValuesKeepingOrderAndNumberText() throws {
        let value = try JSONParser.parse(#"{"b":1.50,"a":[true,null,"x\u00e9\n"],"c":{"d":-2e3}}"#)
        #expect(value.objectValue?.keys == ["b", "a", "c"])
        #expect(value["b"] == .number("1.50"))
        #expect(value["a"] == .array([.bool(true), .null, .string("xé\n")]))
        #expect(value["c"]?["d"] == .number("-2e3"))
    }

    @Test(arguments: [
        ("{\"a\":}", "unexpected character"),
        ("{\"a\":1,}", "expected a member name"),
        ("[1 2]", "expected ',' or ']'"),
        ("\"abc", "unterminated string"),
        ("{\"a\":1} x", "unexpected data after the JSON value"),
        ("01", "unexpected data after the JSON value"),
        ("\"\\ud800\"", "unpaired surrogate"),
    ])
    func rejectsMalformedInput(text: String, reason: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
        do {
            _ = try JSONParser.parse(text)
        } catch {
            #expect(error.reason == reason)
        }
    }

    @Test func rejectsExcessiveNestingWithoutCrashing() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(deep) }
    }

    @Test func reportsTheLineAndColumnOfAnError() {
        let text = "{\n  \"a\": 1,\n  \"b\": x\n}"
        do {
            _ = try JSONParser.parse(text)
            Issue.record("expected a failure")
        } catch {
            let at = JSONBytes.lineAndColumn(of: error.offset, in: Array(text.utf8))
            #expect(at.line == 3)
            #expect(at.column == 8)
        }
    }

    @Test func prettyIndentsWithoutTouchingStrings() throws {
        let compact = Array(#"{"a":[],"b":{"c":"x, y: {\"q\"}"},"d":[1,{}]}"#.utf8)
        let expected = """
            {
              "a": [],
              "b": {
                "c": "x, y: {\\"q\\"}"
              },
              "d": [
                1,
                {}
              ]
            }
            """
        #expect(String(decoding: JSONBytes.pretty(compact), as: UTF8.self) == expected)
        #expect(JSONBytes.compact(JSONBytes.pretty(compact)) == compact)
    }

    @Test func compactRemovesOnlyInsignificantWhitespace() throws {
        let pretty = "{\n  \"name\" : \"a  b\\\" c\",\n  \"list\": [ 1, 2 ]\n}"
        let compact = JSONBytes.compact(Array(pretty.utf8))
        #expect(String(decoding: compact, as: UTF8.self) == #"{"name":"a  b\" c","list":[1,2]}"#)
        #expect(try JSONParser.parse(compact) == JSONParser.parse(pretty))
    }

    @Test func insertsLastUpdatedWithoutTouchingAnythingElse() throws {
        let noMeta = Array(#"{"resourceType":"Practitioner","id":"a"}"#.utf8)
        let stamped = JSONBytes.insertingLastUpdated(noMeta, instant: "2026-01-02T03:04:05.000Z", hasMeta: false)
        #expect(
            String(decoding: stamped, as: UTF8.self)
                == #"{"meta":{"lastUpdated":"2026-01-02T03:04:05.000Z"},"resourceType":"Practitioner","id":"a"}"#)

        let withMeta = Array(#"{"resourceType":"X","id":"a","meta":{"profile":["p"]},"x":{"meta":{}}}"#.utf8)
        let stamped2 = JSONBytes.insertingLastUpdated(withMeta, instant: "T", hasMeta: true)
        #expect(
            String(decoding: stamped2, as: UTF8.self)
                == #"{"resourceType":"X","id":"a","meta":{"lastUpdated":"T","profile":["p"]},"x":{"meta":{}}}"#)

        let emptyMeta = Array(#"{"meta":{},"id":"a"}"#.utf8)
        let stamped3 = JSONBytes.insertingLastUpdated(emptyMeta, instant: "T", hasMeta: true)
        #expect(String(decoding: stamped3, as: UTF8.self) == #"{"meta":{"lastUpdated":"T"},"id":"a"}"#)
    }
}
