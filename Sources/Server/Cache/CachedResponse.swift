import NIOCore

/// One encoded response body and when what it holds last changed. Its ETag is not stored: it
/// is derived from the index version and the request key, before any lookup.
struct CachedResponse: Sendable {
    /// Kept as the buffer a response sends: a hit shares its storage instead of copying it.
    var body: ByteBuffer
    /// The gzip form, made on the first request that accepts it.
    var gzipped: ByteBuffer?
    /// Milliseconds since 1970, for `Last-Modified`.
    var lastModified: Int64
    /// False for an answer that another try may improve (a page whose total was left out).
    var cacheable = true

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
