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

    static func bundle(
        page: SearchPage, request: SearchRequest, base: String, builtAt: String, registry: SearchParameterRegistry
    ) -> ByteBuffer {
        let size = (page.entries + page.included).reduce(0) { $0 + $1.json.count + 160 }
        var w = Writer(capacity: 512 + size)
        w.raw(#"{"resourceType":"Bundle","meta":{"lastUpdated":"#)
        w.string(builtAt)
        w.raw(#"},"type":"searchset""#)
        if let total = page.total {
            w.raw(#","total":"#)
            w.raw(Array(String(total).utf8))
        }
        w.raw(#","link":["#)
        let path = "\(base)/\(request.resourceType)"
        link(&w, "self", url(path, request.linkParameters, cursor: request.cursor))
        if let next = page.next {
            w.raw(",")
            link(&w, "next", url(path, request.linkParameters, cursor: next))
        }
        if let previous = page.previous {
            w.raw(",")
            link(&w, "previous", url(path, request.linkParameters, cursor: previous))
        }
        w.raw("]")
        let entries = page.entries.map { ($0, "match") } + page.included.map { ($0, "include") }
        if !entries.isEmpty || page.includesTruncated {
            w.raw(#","entry":["#)
            for (i, (entry, mode)) in entries.enumerated() {
                if i > 0 { w.raw(",") }
                w.raw(#"{"fullUrl":"#)
                w.string("\(base)/\(entry.type)/\(entry.id)")
                w.raw(#","resource":"#)
                if let subset = request.subset {
                    w.raw(ResourceTrimmer.trim(entry.json, type: entry.type, subset: subset, registry: registry))
                } else {
                    w.raw(entry.json)
                }
                w.raw(#","search":{"mode":"#)
                w.string(mode)
                w.raw("}}")
            }
            if page.includesTruncated {
                if !entries.isEmpty { w.raw(",") }
                w.raw(#"{"resource":"#)
                w.raw(
                    OperationOutcome(
                        code: "too-costly",
                        diagnostics: "this page includes only the first \(page.included.count) resources that "
                            + "_include and _revinclude reach; ask for a smaller _count", severity: "warning"
                    ).bytes)
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
