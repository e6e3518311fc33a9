/// Lane-wise helpers for the grid kernels.
extension SIMD8 where Scalar == Double {
    /// Lane-wise maximum (inlined; the generic `pointwiseMax` is not).
    @inline(__always)
    func lanewiseMax(_ other: SIMD8<Double>) -> SIMD8<Double> {
        replacing(with: other, where: self .< other)
    }
}
