import FHIRCore
import Foundation
import Ingest
import SearchParameters
import Testing

@testable import Storage

/// The index stores each resource deflated with its type's dictionary: what comes back must be
/// exactly the bytes the build meant to store, and the file must be smaller for it.
@Suite struct StoredDocumentTests {
    static let sample = Fixtures.root.appendingPathComponent("Data/sample").path

    @Test func everyResourceReadsBackAsItsCompactedSourceBytes() async throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("sample.sqlite").path
        let report = try IndexBuilder(registry: Fixtures.registry).build(.init(inputs: [Self.sample], output: output))
        let index = try DirectoryIndex(path: output, registry: Fixtures.registry)
        var records: [SourceRecord] = []
        for file in try SourceReader.files(for: [Self.sample]) {
            try SourceReader.read(file: file, record: { records.append($0) }, issue: { Issue.record("\($0)") })
        }
        var compared = 0
        for record in records {
            let json = try JSONParser.parse(record.bytes)
            // The sample stamps every resource, so the build inserts nothing.
            #expect(json["meta"]?["lastUpdated"]?.stringValue != nil)
            let type = try #require(json["resourceType"]?.stringValue)
            let id = try #require(json["id"]?.stringValue)
            let stored = try await index.read(type: type, id: id)
            #expect(stored == JSONBytes.compact(record.bytes), "\(type)/\(id)")
            compared += 1
        }
        #expect(compared == report.resourcesIndexed)
        let inputBytes = SourceReader.totalBytes(of: try SourceReader.files(for: [Self.sample]))
        // Uncompressed, this index was 2.4 times its NDJSON. With documents deflated, token
        // systems numbered and strings keyed by resource it is 0.89 times; the target is at
        // most 1.
        #expect(
            report.indexBytes <= inputBytes,
            "index \(report.indexBytes) bytes, NDJSON \(inputBytes)")
    }

    @Test(arguments: [0, 1, 100, 5000, 70000]) func deflateRoundTripsWithAndWithoutADictionary(_ size: Int) throws {
        var generator = SystemRandomNumberGenerator()
        let words = [
            "\"resourceType\"", "\"system\":", "http://nucc.org/provider-taxonomy", "{", "}", ",", "207RC0000X",
        ]
        var bytes: [UInt8] = []
        while bytes.count < size {
            bytes += Array((words.randomElement(using: &generator) ?? "").utf8)
            if Int.random(in: 0..<4, using: &generator) == 0 { bytes.append(UInt8.random(in: 0...255)) }
        }
        bytes = Array(bytes.prefix(size))
        let dictionary = Array(words.joined(separator: ",").utf8)
        let compressor = DocumentCompressor()
        for primer in [nil, dictionary] {
            let body = compressor.compress(bytes, dictionary: primer)
            let back = try body.withUnsafeBytes { try DocumentInflater.inflate($0, size: size, dictionary: primer) }
            #expect(back == bytes)
        }
    }

    @Test func aDamagedBodyIsAnErrorNotACrash() throws {
        let bytes = Array(String(repeating: "{\"resourceType\":\"Practitioner\"}", count: 20).utf8)
        let dictionary = Array("\"resourceType\":\"Practitioner\"".utf8)
        var body = DocumentCompressor().compress(bytes, dictionary: dictionary)
        // Without its dictionary, with a wrong length, cut short, or with bytes flipped.
        #expect(throws: DocumentInflater.Failure.self) {
            try body.withUnsafeBytes { try DocumentInflater.inflate($0, size: bytes.count, dictionary: nil) }
        }
        #expect(throws: DocumentInflater.Failure.self) {
            try body.withUnsafeBytes { try DocumentInflater.inflate($0, size: bytes.count + 1, dictionary: dictionary) }
        }
        #expect(throws: DocumentInflater.Failure.self) {
            try body.dropLast(3).withUnsafeBytes {
                try DocumentInflater.inflate($0, size: bytes.count, dictionary: dictionary)
            }
        }
        for i in body.indices { body[i] ^= 0x5A }
        #expect(throws: DocumentInflater.Failure.self) {
            try body.withUnsafeBytes { try DocumentInflater.inflate($0, size: bytes.count, dictionary: dictionary) }
        }
    }

    @Test func eachTypeGetsADictionaryFromItsOwnRecords() {
        let practitioner = Array(#"{"resourceType":"Practitioner","id":"p"}"#.utf8)
        let location = Array(#"{"resourceType":"Location","id":"l"}"#.utf8)
        let dictionaries = DocumentDictionaries.train(samples: [
            "Practitioner": Array(repeating: practitioner, count: 1000), "Location": [location],
        ])
        #expect(dictionaries.entries.map(\.type) == ["Location", "Practitioner"])
        #expect(dictionaries.forType("Location").bytes == location)
        let bytes = dictionaries.forType("Practitioner").bytes ?? []
        #expect(bytes.count <= DocumentDictionaries.maximumBytes && bytes.count >= practitioner.count * 100)
        #expect(dictionaries.forType("Organization").id == 0)
    }

}
