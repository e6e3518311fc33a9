import FuzzTargets

#if FUZZING
    import Glibc

    /// The target this libFuzzer binary drives, from `SEEDTEST_FUZZ_TARGET` (read once; `make fuzz` sets it).
    let selectedTarget: FuzzTarget = {
        guard let name = getenv("SEEDTEST_FUZZ_TARGET").map({ String(cString: $0) }),
            let target = FuzzTarget(rawValue: name)
        else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            printToStandardError("SEEDTEST_FUZZ_TARGET must name one of: \(names)")
            exit(2)
        }
        return target
    }()

    func printToStandardError(_ line: String) {
        let text = line + "\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
    }

    /// libFuzzer's entry point: a violated invariant is reported as a crash, with the input saved by libFuzzer.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        do throws(FuzzViolation) {
            try selectedTarget.run(input)
        } catch {
            printToStandardError("fuzz violation in \(selectedTarget.rawValue): \(error)")
            abort()
        }
        return 0
    }
#else
    import Foundation

    /// Without libFuzzer (an ordinary build), replays inputs: `seedtest-fuzz <target> <file>...` runs each file
    /// through the target and exits 1 on the first violation, so a finding can be checked after its fix.
    @main
    struct FuzzReplay {
        static func main() {
            let arguments = CommandLine.arguments.dropFirst()
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
                let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
                FileHandle.standardError.write(Data("usage: seedtest-fuzz \(names) FILE...\n".utf8))
                exit(2)
            }
            for path in arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                    exit(2)
                }
                do throws(FuzzViolation) {
                    try target.run(Array(data))
                } catch {
                    FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
                    exit(1)
                }
            }
            print("\(arguments.count - 1) inputs replayed through \(target.rawValue) without a violation")
        }
    }
#endif
