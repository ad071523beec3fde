/// One encoded response body and when what it holds last changed. Its ETag is not stored: it
/// is derived from the index version and the request key, before any lookup.
struct CachedResponse: Sendable {
    var body: [UInt8]
    /// The gzip form, made on the first request that accepts it.
    var gzipped: [UInt8]?
    /// Milliseconds since 1970, for `Last-Modified`.
    var lastModified: Int64

    /// What the entry costs against the cache's byte budget.
    var size: Int { body.count + (gzipped?.count ?? 0) + 64 }
}
