import FuzzSupport
import IndexFileFuzzing

/// libFuzzer's entry: see `IndexFileFuzzing`. Refusing a file is fine; a trap is what libFuzzer
/// keeps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIndexFile(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    _ = IndexFileFuzzing.check(UnsafeRawBufferPointer(start: data, count: count))
    return 0
}
