import Foundation

/// A file read a megabyte at a time into a reader's buffer, for the streaming readers
/// (`DelimitedReader`, `JSONArrayReader`), which keep their own buffer and position so that
/// their byte loops index a plain array.
struct FileChunks {
    private let handle: FileHandle
    private var atEnd = false

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ImportError("cannot read \(path)") }
        self.handle = handle
    }

    /// Drops the bytes before `position` (already read), resets it to 0 and appends the next
    /// megabyte; false at the end of the file.
    mutating func refill(_ buffer: inout [UInt8], from position: inout Int) -> Bool {
        if atEnd { return false }
        guard let chunk = (try? handle.read(upToCount: 1 << 20)) ?? nil, !chunk.isEmpty else {
            atEnd = true
            return false
        }
        buffer.removeFirst(position)
        position = 0
        buffer.append(contentsOf: chunk)
        return true
    }
}
