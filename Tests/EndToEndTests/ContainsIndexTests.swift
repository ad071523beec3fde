import Testing

@testable import Storage

/// The FTS5 queries `:contains` asks the trigram index.
@Suite struct ContainsIndexTests {
    @Test func eachValueIsItsTrigramsAndedAndValuesAreOred() {
        #expect(ContainsIndex.pattern(["ford"]) == #"("for" AND "ord")"#)
        #expect(ContainsIndex.pattern(["abc", "xyz"]) == #"("abc") OR ("xyz")"#)
        // Repeated trigrams are asked once.
        #expect(ContainsIndex.pattern(["aaaa"]) == #"("aaa")"#)
    }

    @Test func quotesAndSpacesStayInsideTheirTrigram() {
        #expect(ContainsIndex.pattern([#"a"b"#]) == #"("a""b")"#)
        #expect(ContainsIndex.pattern(["d h"]) == #"("d h")"#)
    }

    @Test func longValuesAskAtMostEightSpreadTrigrams() throws {
        let pattern = try #require(ContainsIndex.pattern(["abcdefghijklmnopqrstuvwxyz"]))
        let grams = pattern.dropFirst().dropLast().components(separatedBy: " AND ")
        #expect(grams.count == ContainsIndex.maximumTrigrams)
        #expect(grams.first == #""abc""# && grams.last == #""xyz""#)
    }

    @Test func aValueShorterThanATrigramCannotBeLookedUp() {
        #expect(ContainsIndex.pattern(["ab"]) == nil)
        #expect(ContainsIndex.pattern(["abc", "ab"]) == nil)
    }
}
