import Foundation
import Glibc

extension Process {
    /// The process's exit status (its exit code, or the signal that ended it) once it has exited, else nil; never
    /// blocks. When Foundation has not noticed the exit yet, the child is reaped here with `waitpid` on its own pid:
    /// Foundation's `waitUntilExit` pumps the calling thread's run loop and was seen to wait for ever on a child that
    /// had exited long before (a zombie, in a suite whose tests resume on new threads). Once this has reaped the
    /// child, `isRunning` may stay true and `terminationStatus` is not set: keep the status it returns.
    public func exitStatusIfExited() -> Int32? {
        if !isRunning { return terminationStatus }
        var status: Int32 = 0
        let reaped = waitpid(processIdentifier, &status, WNOHANG)
        if reaped == processIdentifier {
            let signal = status & 0x7f
            return signal == 0 ? (status >> 8) & 0xff : signal
        }
        if reaped == -1 && errno == ECHILD {
            // Foundation reaped it a moment ago and is about to record how it ended.
            let settle = Date(timeIntervalSinceNow: 2)
            while isRunning && Date() < settle { usleep(5_000) }
            return isRunning ? -1 : terminationStatus
        }
        return nil
    }

    /// Waits until the process has exited and returns its status (see `exitStatusIfExited`); after `timeout` seconds
    /// it is killed.
    @discardableResult
    public func waitForExitStatus(timeout: Double = 600) -> Int32 {
        let deadline = Date(timeIntervalSinceNow: timeout)
        var killed = false
        while true {
            if let status = exitStatusIfExited() { return status }
            if !killed && Date() > deadline {
                Glibc.kill(processIdentifier, SIGKILL)
                killed = true
            }
            usleep(5_000)
        }
    }
}
