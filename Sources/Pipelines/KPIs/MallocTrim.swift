import Glibc

/// glibc's `malloc_trim(0)`: gives the free pages of every malloc arena back to the system. Swift's Glibc module does
/// not import `<malloc.h>`, so the function is looked up once by name; where it is missing (another C library) this
/// does nothing.
enum MallocTrim {
    private typealias Function = @convention(c) (Int) -> Int32

    private static let function: Function? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }()

    static func run() { _ = function?(0) }
}
