import Foundation
import OutboundHTTP
import TestSupport
import Testing

/// Uploads to a local S3-compatible server (moto's server mode), one server per test.
struct ObjectStorageClientTests {
    /// A gzip-like body with every byte value, so that nothing is decoded or mangled on the way.
    let body: [UInt8] = [0x1f, 0x8b, 0x08, 0x00] + (0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 7) }

    func storage(_ moto: MotoServer, bucket: String, region: String, keyID: String, secret: String)
        -> ObjectStorageClient
    {
        var configuration = ObjectStorageClient.Configuration(
            endpoint: moto.endpoint, bucket: bucket, region: region, accessKeyID: keyID, secretAccessKey: secret)
        configuration.timeout = .seconds(10)
        configuration.retryPolicy = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(50))
        return ObjectStorageClient(configuration: configuration, client: quietClient)
    }

    /// With signature checking on, moto recomputes every SigV4 signature (payload hash included) from the user's
    /// secret: a correct upload is accepted, a wrong secret and a missing bucket are errors naming their cause.
    @Test(.timeLimit(.minutes(1)))
    func signedUploadRoundTripsAndFailuresNameTheirCause() async throws {
        let moto = try await onOwnThread { try MotoServer.start() }
        defer { moto.stop() }
        let (keyID, secret) = try await onOwnThread {
            let keys = try moto.createUserWithS3Access()
            try moto.enforceSignatures()
            return keys
        }
        let storage = storage(moto, bucket: "signed-reports", region: "eu-west-1", keyID: keyID, secret: secret)
        let key = "reports/user 42/2026-11-23.html"

        let (url, stored) = try await onOwnThread { [body] in
            try storage.createBucket()
            try storage.createBucket()
            let url = try storage.putObject(key: key, body: body, contentType: "text/html", contentEncoding: "gzip")
            return (url, try storage.getObject(key: key))
        }

        #expect(url == "\(moto.endpoint)/signed-reports/reports/user%2042/2026-11-23.html")
        #expect(stored == StoredObject(body: body, contentType: "text/html", contentEncoding: "gzip"))

        let missingBucket = self.storage(
            moto, bucket: "no-such-bucket", region: "eu-west-1", keyID: keyID, secret: secret)
        let wrongSecret = self.storage(
            moto, bucket: "signed-reports", region: "eu-west-1", keyID: keyID, secret: "WRONG" + secret)
        let failures = await onOwnThread { [body] in
            [missingBucket, wrongSecret].map { client in
                Result { () throws(OutboundError) in
                    try client.putObject(key: key, body: body, contentType: "text/html", contentEncoding: "gzip")
                }
            }
        }

        let expected = [(404, "NoSuchBucket"), (403, "SignatureDoesNotMatch")]
        for (result, (status, code)) in zip(failures, expected) {
            guard case .failure(let error) = result else {
                Issue.record("expected HTTP \(status) \(code), got \(result)")
                continue
            }
            #expect(error.kind == .status(status, serviceCode: code))
            #expect(error.description == "PUT \(moto.endpoint): HTTP \(status) \(code)")
            #expect(!error.description.contains(secret) && !String(reflecting: error).contains(secret))
        }
    }

    /// Keys with spaces, non-ASCII text, `<script>` and a user id holding `/` arrive as exactly that key. moto's own
    /// signature check cannot run here (it canonicalises such paths differently from AWS), so this server accepts
    /// any signature; the test above covers signing.
    @Test(.timeLimit(.minutes(1)))
    func awkwardKeysRoundTripByteIdentical() async throws {
        let moto = try await onOwnThread { try MotoServer.start() }
        defer { moto.stop() }
        let storage = storage(moto, bucket: "reports", region: "us-east-1", keyID: "AKIDTEST", secret: "t0p-s3cret")
        let key = "reports/ü ser <script>alert(1)</script>/x 😀/2026-11-23.html"

        let (url, stored, listing, raw) = try await onOwnThread { [body] in
            try storage.createBucket()
            let url = try storage.putObject(key: key, body: body, contentType: "text/html", contentEncoding: "gzip")
            let stored = try storage.getObject(key: key)
            let list = try quietClient.send(OutboundRequest(url: moto.endpoint + "/reports?list-type=2"))
            // moto refuses anonymous reads of private objects; any signature passes while it is not checking them.
            let dummySignature =
                "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0"
            let raw = try quietClient.send(
                OutboundRequest(url: url, headers: [(name: "Authorization", value: dummySignature)]))
            return (url, stored, String(decoding: list.body, as: UTF8.self), raw)
        }

        let encodedKey = "reports/%C3%BC%20ser%20%3Cscript%3Ealert%281%29%3C/script%3E/x%20%F0%9F%98%80/2026-11-23.html"
        #expect(url == "\(moto.endpoint)/reports/\(encodedKey)")
        #expect(stored == StoredObject(body: body, contentType: "text/html", contentEncoding: "gzip"))
        let escapedKey = key.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        #expect(MotoServer.element("Key", in: listing) == escapedKey)
        // moto returns the payload hash the upload was signed with: it must be the body's SHA-256 (from hashlib).
        let bodyHash = "fcb9dedf96dd4fe2c8211d6c09b81c54ea56a092c53a2c437abfa2b26c15b095"
        #expect(raw.status == 200 && raw.header("x-amz-content-sha256") == bodyHash)
    }
}
