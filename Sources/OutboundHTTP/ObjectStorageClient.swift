import Hashing
import Logging

/// Puts and gets objects in S3-compatible storage, signed by libcurl's built-in AWS Signature V4
/// (`CURLOPT_AWS_SIGV4` with `aws:amz:<region>:s3`, the keys as user name and password).
///
/// Every request carries `x-amz-content-sha256` with the SHA-256 of its body: AWS S3 (and moto) require it on
/// SigV4 requests, libcurl 7.88 does not add it, and when the header is present libcurl signs it and uses its value
/// as the payload hash. Any non-2xx answer throws `OutboundError` with `.status(code, serviceCode:)`, e.g.
/// `HTTP 404 NoSuchBucket`; the secret key never appears in errors or logs.
public struct ObjectStorageClient: Sendable {
    public let configuration: Configuration
    private let client: HTTPClient

    public init(configuration: Configuration, client: HTTPClient) {
        self.configuration = configuration
        self.client = client
    }

    public init(configuration: Configuration, logger: Logger) {
        self.init(configuration: configuration, client: HTTPClient(logger: logger))
    }

    /// The path-style URL of an object: `<endpoint>/<bucket>/<percent-encoded key>`.
    public func objectURL(forKey key: String) -> String {
        bucketURL() + "/" + ObjectKey.percentEncoded(key)
    }

    /// Uploads `body` under `key` and returns the object's URL. `contentEncoding` (`gzip`) is stored with the object
    /// and returned on download; the bytes are stored as given.
    @discardableResult
    public func putObject(
        key: String, body: [UInt8], contentType: String, contentEncoding: String? = nil
    ) throws(OutboundError) -> String {
        let url = objectURL(forKey: key)
        var headers = [(name: "Content-Type", value: contentType)]
        if let contentEncoding {
            headers.append((name: "Content-Encoding", value: contentEncoding))
        }
        _ = try send(.put, url: url, headers: headers, body: body, key: key)
        return url
    }

    /// Downloads an object: its bytes exactly as stored (a gzip object is not inflated) and its stored headers.
    public func getObject(key: String) throws(OutboundError) -> StoredObject {
        let response = try send(
            .get, url: objectURL(forKey: key), key: key, maxResponseBytes: configuration.maxObjectBytes)
        return StoredObject(
            body: response.body, contentType: response.contentType,
            contentEncoding: response.header("Content-Encoding"))
    }

    /// Creates the bucket (for tests and first-time setup); a bucket this account already owns is not an error.
    public func createBucket() throws(OutboundError) {
        var body: [UInt8] = []
        var headers: [(name: String, value: String)] = []
        if configuration.region != "us-east-1" {
            let xml =
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<LocationConstraint>\(configuration.region)</LocationConstraint></CreateBucketConfiguration>"
            body = Array(xml.utf8)
            headers.append((name: "Content-Type", value: "application/xml"))
        }
        do {
            _ = try send(.put, url: bucketURL(), headers: headers, body: body, key: nil)
        } catch {
            guard error.kind == .status(409, serviceCode: "BucketAlreadyOwnedByYou") else { throw error }
        }
    }

    private func bucketURL() -> String {
        (configuration.baseURL ?? configuration.endpoint) + "/" + ObjectKey.percentEncoded(configuration.bucket)
    }

    /// Signs and sends one request with retries; throws for anything but 2xx.
    private func send(
        _ method: OutboundRequest.Method, url: String, headers: [(name: String, value: String)] = [],
        body: [UInt8] = [], key: String?, maxResponseBytes: Int = 1024 * 1024
    ) throws(OutboundError) -> OutboundResponse {
        var request = OutboundRequest(
            method: method, url: url, headers: headers, body: body, timeout: configuration.timeout,
            connectTimeout: configuration.connectTimeout, maxResponseBytes: maxResponseBytes)
        try validate(request, key: key)
        request.headers.append((name: "x-amz-content-sha256", value: SHA256.hexDigest(body)))
        request.signing = SigV4Signing(
            provider: "aws:amz:\(configuration.region):s3", accessKeyID: configuration.accessKeyID,
            secretAccessKey: configuration.secretAccessKey)
        return try client.send(request, retrying: configuration.retryPolicy).get()
    }

    private func validate(_ request: OutboundRequest, key: String?) throws(OutboundError) {
        let problem: String?
        if configuration.baseURL == nil {
            problem = "the endpoint must be an http:// or https:// URL"
        } else if !configuration.hasValidRegion {
            problem = "the region may only contain letters, digits, '-' and '_'"
        } else if configuration.bucket.isEmpty || configuration.bucket.contains("/") {
            problem = "the bucket name must be non-empty and contain no '/'"
        } else if let key, !ObjectKey.isValid(key) {
            problem = "object keys must be 1 to \(ObjectKey.maxBytes) bytes of UTF-8"
        } else {
            problem = nil
        }
        if let problem {
            throw HTTPClient.error(.invalidRequest(problem), request)
        }
    }
}

/// An object as downloaded.
public struct StoredObject: Sendable, Equatable {
    public var body: [UInt8]
    public var contentType: String?
    public var contentEncoding: String?

    public init(body: [UInt8], contentType: String?, contentEncoding: String?) {
        self.body = body
        self.contentType = contentType
        self.contentEncoding = contentEncoding
    }
}
