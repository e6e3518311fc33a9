import CCurl

/// One libcurl easy handle for one transfer, with the header list it was given.
///
/// Not `Sendable`, deliberately: `HTTPClient.send` creates it, configures it, performs the transfer and lets it go
/// within a single call on the caller's thread, so the `CURL *` is never reachable from two threads. `deinit`
/// releases the handle and the header list after the transfer, when libcurl no longer reads them.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// The first option libcurl refused, kept so that configuration reads straight and is checked once.
    private(set) var firstFailure: (option: String, code: CURLcode)?

    /// A fresh handle, or nil when libcurl cannot be initialised or is out of memory.
    init?() {
        guard CurlRuntime.ensureInitialised(), let handle = curl_easy_init() else { return nil }
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
    }

    func set(_ option: CURLoption, _ value: Int, name: String) {
        record(ccurl_setopt_long(handle, option, value), name)
    }

    func set(_ option: CURLoption, offset value: Int64, name: String) {
        record(ccurl_setopt_off_t(handle, option, curl_off_t(value)), name)
    }

    /// Sets a string option; libcurl copies strings it is given (since 7.17), so the Swift string may go away.
    func set(_ option: CURLoption, _ value: String, name: String) {
        let code = value.withCString { ccurl_setopt_string(handle, option, $0) }
        record(code, name)
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?, name: String) {
        record(ccurl_setopt_pointer(handle, option, pointer), name)
    }

    func set(_ option: CURLoption, callback: ccurl_data_callback, name: String) {
        record(ccurl_setopt_callback(handle, option, callback), name)
    }

    /// Sends a copy of `bytes` as the request body (`CURLOPT_COPYPOSTFIELDS`), so its lifetime does not matter.
    func setBody(_ bytes: [UInt8]) {
        set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(bytes.count), name: "POSTFIELDSIZE_LARGE")
        // An empty array may have no storage; libcurl must never see a NULL body (it would read stdin instead).
        let storage = bytes.isEmpty ? [0] : bytes
        storage.withUnsafeBytes { raw in
            set(
                CURLOPT_COPYPOSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: raw.baseAddress),
                name: "COPYPOSTFIELDS")
        }
    }

    /// Replaces the request header lines (`Name: value`); the list lives as long as the handle.
    func setHeaders(_ lines: [String]) {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let extended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                record(CURLE_OUT_OF_MEMORY, "HTTPHEADER")
                return
            }
            list = extended
        }
        record(ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, list), "HTTPHEADER")
        curl_slist_free_all(headerList)
        headerList = list
    }

    /// Runs the transfer to completion on the calling thread.
    func perform() -> CURLcode {
        curl_easy_perform(handle)
    }

    /// The last response's status code, 0 when none was received.
    var responseCode: Int {
        var code = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    private func record(_ code: CURLcode, _ name: String) {
        if code != CURLE_OK && firstFailure == nil {
            firstFailure = (option: name, code: code)
        }
    }
}
