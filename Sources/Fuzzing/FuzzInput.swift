/// How the fuzz targets read their bytes: a couple of leading control bytes, then the payload.
public struct FuzzInput {
    public let bytes: UnsafeRawBufferPointer

    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The byte at `index`, or 0 past the end.
    public func control(_ index: Int) -> UInt8 { index < bytes.count ? bytes[index] : 0 }

    /// Everything after the first `count` bytes.
    public func payload(after count: Int) -> [UInt8] { count < bytes.count ? Array(bytes[count...]) : [] }
}
