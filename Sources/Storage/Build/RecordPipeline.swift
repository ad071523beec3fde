import Foundation
import Ingest
import Synchronization

/// Reads the inputs on a background thread and processes each batch of records on every core,
/// handing finished batches, in input order, to the one thread that writes SQLite.
///
///     reader ──records──▶ RecordProcessor × cores ──batches──▶ BlockingQueue ──▶ writer
final class RecordPipeline: @unchecked Sendable {
    struct Item: Sendable {
        var file: Int
        var line: Int
        var outcome: RecordProcessor.Outcome
    }

    struct Batch: Sendable {
        var items: [Item]
        /// Problems with whole files (a Bundle that is not valid JSON).
        var fileIssues: [SourceIssue]
        var bytesRead: Int64
    }

    struct Stopped: Error {}

    static let batchRecords = 2048
    static let batchBytes = 8 << 20

    let files: [String]
    let processor: RecordProcessor
    let workers: Int
    private let queue = BlockingQueue<Batch>(capacity: 4)
    private let finished = DispatchSemaphore(value: 0)
    /// Compressors between chunks: a deflate stream is a quarter megabyte, and allocating one
    /// per chunk for a whole national build fragmented the heap.
    private let compressors = Mutex<[DocumentCompressor]>([])
    private var failure: (any Error)?

    init(files: [String], processor: RecordProcessor, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.files = files
        self.processor = processor
        self.workers = max(1, workers)
    }

    /// Runs the pipeline, calling `write` on the current thread for each batch in input order.
    /// If `write` throws, the reader stops and the error is rethrown.
    func run(_ write: (Batch) throws -> Void) throws {
        let thread = Thread { [self] in
            do {
                try produce()
            } catch {
                failure = error
            }
            queue.close()
            finished.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        do {
            while let batch = queue.take() { try write(batch) }
        } catch {
            queue.close()
            finished.wait()
            throw error
        }
        finished.wait()
        if let failure, !(failure is Stopped) { throw failure }
    }

    private func produce() throws {
        var records: [SourceRecord] = []
        var recordFiles: [Int] = []
        var pendingBytes = 0
        var fileIssues: [SourceIssue] = []
        var bytesRead: Int64 = 0
        func flush() throws {
            guard !records.isEmpty || !fileIssues.isEmpty else { return }
            let outcomes = try process(records)
            var items: [Item] = []
            items.reserveCapacity(records.count)
            for (i, record) in records.enumerated() {
                items.append(Item(file: recordFiles[i], line: record.line, outcome: outcomes[i]))
            }
            guard queue.put(Batch(items: items, fileIssues: fileIssues, bytesRead: bytesRead)) else { throw Stopped() }
            records.removeAll(keepingCapacity: true)
            recordFiles.removeAll(keepingCapacity: true)
            fileIssues = []
            pendingBytes = 0
        }
        for (index, file) in files.enumerated() {
            try SourceReader.read(
                file: file,
                record: { record in
                    records.append(record)
                    recordFiles.append(index)
                    pendingBytes += record.bytes.count
                    if records.count >= Self.batchRecords || pendingBytes >= Self.batchBytes { try flush() }
                },
                issue: { fileIssues.append($0) },
                consumed: { bytesRead += Int64($0) })
        }
        try flush()
    }

    /// Processes a batch on `workers` threads; results keep the records' order. A failure to
    /// read the previous index fails the build.
    private func process(_ records: [SourceRecord]) throws -> [RecordProcessor.Outcome] {
        let processor = self.processor
        if workers == 1 || records.count < 64 {
            return try withCompressor { compressor in
                try processor.process(records.map(\.bytes), compressor: compressor)
            }
        }
        let results = UnsafeMutableBufferPointer<RecordProcessor.Outcome?>.allocate(capacity: records.count)
        results.initialize(repeating: nil)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        let slots = SendableBuffer(buffer: results)
        let failure = Mutex<(any Error)?>(nil)
        // More chunks than workers, so one slow chunk does not leave a core idle.
        let chunks = workers * 4
        let size = (records.count + chunks - 1) / chunks
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = chunk * size
            let end = min(records.count, start + size)
            guard start < end else { return }
            do {
                let outcomes = try withCompressor { compressor in
                    try processor.process(records[start..<end].map(\.bytes), compressor: compressor)
                }
                for (offset, outcome) in outcomes.enumerated() { slots.buffer[start + offset] = outcome }
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.map { $0! }
    }

    /// Runs `body` with a compressor from the pool (a new one when none is free), then returns
    /// it to the pool.
    private func withCompressor<T>(_ body: (DocumentCompressor) throws -> T) rethrows -> T {
        let compressor = compressors.withLock { $0.popLast() } ?? DocumentCompressor()
        defer { compressors.withLock { $0.append(compressor) } }
        return try body(compressor)
    }
}

/// Lets the worker chunks write disjoint slots of one buffer.
private struct SendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
}
