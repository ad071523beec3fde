import FHIRCore
import NIOCore
import SearchParameters
import Storage

/// Writes a searchset Bundle around stored resource bytes, which are copied in unchanged,
/// straight into the buffer the response sends.
enum SearchsetWriter {
    /// The envelope's pieces go into one `ByteBuffer`, sized up front: each resource's bytes
    /// are copied once, from the page into the response.
    struct Writer {
        var buffer: ByteBuffer
        private var scratch: [UInt8] = []

        init(capacity: Int) {
            buffer = ByteBufferAllocator().buffer(capacity: capacity)
        }

        mutating func raw(_ text: StaticString) {
            buffer.writeStaticString(text)
        }

        mutating func raw(_ bytes: [UInt8]) {
            buffer.writeBytes(bytes)
        }

        mutating func string(_ text: String) {
            scratch.removeAll(keepingCapacity: true)
            JSONWriter.appendString(text, to: &scratch)
            buffer.writeBytes(scratch)
        }
    }

    /// The page is over `SearchLimits.responseBytes` even with every include cut.
    struct TooLarge: Error {
        var size: Int
        var limit: Int
    }

    /// The R4 `location-distance` extension on `entry.search`, in km to the metre.
    ///
    ///     "extension":[{"url":"http://hl7.org/fhir/StructureDefinition/location-distance",
    ///       "valueDistance":{"value":1.234,"unit":"km","system":"http://unitsofmeasure.org","code":"km"}}]
    static func distanceExtension(_ km: Double) -> [UInt8] {
        let value = String(format: "%.3f", km)
        return Array(
            (#""extension":[{"url":"http://hl7.org/fhir/StructureDefinition/location-distance","valueDistance":{"value":"#
                + value + #","unit":"km","system":"http://unitsofmeasure.org","code":"km"}}]"#).utf8)
    }

    static let distanceOverhead = 180

    /// The Bundle for one page, at most `request.limits.responseBytes` long: included resources
    /// are cut from the end first, and a page whose matches alone are larger is refused.
    static func bundle(
        page: SearchPage, request: SearchRequest, base: String, builtAt: String, registry: SearchParameterRegistry
    ) throws(TooLarge) -> ByteBuffer {
        // Trimmed first, so that the size checked is the size sent.
        func body(_ entry: SearchPage.Entry) -> [UInt8] {
            guard let subset = request.subset else { return entry.json }
            return ResourceTrimmer.trim(entry.json, type: entry.type, subset: subset, registry: registry)
        }
        // An entry's envelope: fullUrl, keys, search mode.
        let overhead = 96 + base.utf8.count
        func cost(_ entry: SearchPage.Entry, _ bytes: [UInt8]) -> Int {
            bytes.count + entry.type.utf8.count + entry.id.utf8.count + overhead
                + (entry.distance == nil ? 0 : distanceOverhead)
        }
        let path = "\(base)/\(request.resourceType)"
        let links: [(relation: String, url: String)] =
            [
                ("self", url(path, request.linkParameters, cursor: request.cursor)),
                page.next.map { ("next", url(path, request.linkParameters, cursor: $0)) },
                page.previous.map { ("previous", url(path, request.linkParameters, cursor: $0)) },
            ].compactMap { $0 }
        let matches = page.entries.map { ($0, body($0)) }
        var included = page.included.map { ($0, body($0)) }
        var truncated = page.includesTruncated
        // The envelope, links and the outcome entry, generously.
        var size = 2048 + links.reduce(0) { $0 + 2 * $1.url.utf8.count }
        size += matches.reduce(0) { $0 + cost($1.0, $1.1) }
        let limit = request.limits.responseBytes
        if size > limit {
            throw TooLarge(size: size, limit: limit)
        }
        size += included.reduce(0) { $0 + cost($1.0, $1.1) }
        while size > limit, let last = included.popLast() {
            size -= cost(last.0, last.1)
            truncated = true
        }
        var warnings: [OperationOutcome.Issue] = []
        if truncated {
            warnings.append(
                OperationOutcome.Issue(
                    severity: "warning", code: "incomplete",
                    diagnostics: "this page includes only the first \(included.count) resources that _include and "
                        + "_revinclude reach (at most \(request.limits.included), and \(limit) bytes in all); "
                        + "ask for a smaller _count", expression: ["_include"]))
        }
        if page.totalOmitted {
            warnings.append(
                OperationOutcome.Issue(
                    severity: "warning", code: "too-costly",
                    diagnostics: "counting every match took longer than \(request.limits.queryTimeout), so this "
                        + "Bundle has no total; narrow the search, or page through it without _total",
                    expression: ["_total"]))
        }

        var w = Writer(capacity: size)
        w.raw(#"{"resourceType":"Bundle","meta":{"lastUpdated":"#)
        w.string(builtAt)
        w.raw(#"},"type":"searchset""#)
        if let total = page.total {
            w.raw(#","total":"#)
            w.raw(Array(String(total).utf8))
        }
        w.raw(#","link":["#)
        for (i, (relation, url)) in links.enumerated() {
            if i > 0 { w.raw(",") }
            link(&w, relation, url)
        }
        w.raw("]")
        let entries = matches.map { ($0.0, $0.1, "match") } + included.map { ($0.0, $0.1, "include") }
        if !entries.isEmpty || !warnings.isEmpty {
            w.raw(#","entry":["#)
            for (i, (entry, bytes, mode)) in entries.enumerated() {
                if i > 0 { w.raw(",") }
                w.raw(#"{"fullUrl":"#)
                w.string("\(base)/\(entry.type)/\(entry.id)")
                w.raw(#","resource":"#)
                w.raw(bytes)
                w.raw(#","search":{"#)
                if mode == "match", let distance = entry.distance {
                    w.raw(Self.distanceExtension(distance))
                    w.raw(",")
                }
                w.raw(#""mode":"#)
                w.string(mode)
                w.raw("}}")
            }
            if !warnings.isEmpty {
                if !entries.isEmpty { w.raw(",") }
                w.raw(#"{"resource":"#)
                w.raw(OperationOutcome(warnings).bytes)
                w.raw(#","search":{"mode":"outcome"}}"#)
            }
            w.raw("]")
        }
        w.raw("}")
        return w.buffer
    }

    static func link(_ w: inout Writer, _ relation: String, _ url: String) {
        w.raw(#"{"relation":"#)
        w.string(relation)
        w.raw(#","url":"#)
        w.string(url)
        w.raw("}")
    }

    static func url(_ path: String, _ parameters: [(name: String, value: String)], cursor: PageCursor?) -> String {
        var pairs = parameters.map { "\(FormDecoder.encode($0.name))=\(FormDecoder.encode($0.value))" }
        if let cursor { pairs.append("_cursor=\(cursor.token)") }
        return pairs.isEmpty ? path : "\(path)?\(pairs.joined(separator: "&"))"
    }
}
