/// Where a published file's NDJSON goes: plain or gzipped, written through a buffer.
protocol LineSink: AnyObject {
    func write(_ bytes: [UInt8]) throws
    /// Flushes and closes the file.
    func close() throws
}
