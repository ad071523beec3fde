import NIOCore

/// One encoded response body and when what it holds last changed. A search's ETag is not
/// stored: it is derived from the index version and the request key, before any lookup. A
/// read's is the resource's own (`etag`), so it outlives a rebuild that left the resource as it
/// was.
struct CachedResponse: Sendable {
    /// Kept as the buffer a response sends: a hit shares its storage instead of copying it.
    var body: ByteBuffer
    /// The gzip form, made on the first request that accepts it.
    var gzipped: ByteBuffer?
    /// Milliseconds since 1970, for `Last-Modified`.
    var lastModified: Int64
    /// False for an answer that another try may improve (a page whose total was left out).
    var cacheable = true
    /// The ETag, when it depends on what was read rather than on the index version.
    var etag: String?

    /// What the entry costs against the cache's byte budget.
    var size: Int { body.readableBytes + (gzipped?.readableBytes ?? 0) + 64 }

    init(body: ByteBuffer, lastModified: Int64, cacheable: Bool = true) {
        self.body = body
        self.lastModified = lastModified
        self.cacheable = cacheable
    }

    init(body: [UInt8], lastModified: Int64) {
        self.init(body: ByteBuffer(bytes: body), lastModified: lastModified)
    }
}
