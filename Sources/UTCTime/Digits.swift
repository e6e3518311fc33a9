/// Fixed-width decimal digits for the date formats.
enum Digits {
    static func value(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }

    static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int? {
        var result = 0
        for byte in bytes {
            guard let digit = value(byte) else { return nil }
            result = result * 10 + digit
        }
        return result
    }

    static func pad(_ number: Int, _ width: Int) -> String {
        let text = String(number)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
