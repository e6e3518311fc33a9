import CCurl
import Glibc

/// libcurl's process-wide state. `curl_global_init` must run once before the first easy handle is created, and
/// before any other thread could be inside libcurl.
enum CurlRuntime {
    /// Swift initialises a static `let` lazily, exactly once and thread-safely (`swift_once`), so however many
    /// threads race into their first request, `curl_global_init` runs once and every caller sees its result.
    private static let initialised: Bool = {
        // With CURLOPT_NOSIGNAL libcurl no longer ignores SIGPIPE itself, and a TLS write to a closed peer can
        // still raise it: ignore it process-wide (as the HTTP server does), or it would kill the process.
        signal(SIGPIPE, SIG_IGN)
        return curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    /// Initialises libcurl on first use; false when the library could not be initialised.
    static func ensureInitialised() -> Bool {
        initialised
    }

    /// libcurl's text for a result code (`curl_easy_strerror`), which names the failure but never the URL or any
    /// credential.
    static func message(for code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }
}

extension Duration {
    /// The duration in whole milliseconds, at least 1 for any positive duration (libcurl treats 0 as "no limit").
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        let milliseconds = Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
        return self > .zero ? max(milliseconds, 1) : 0
    }
}
