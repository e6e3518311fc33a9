/// A symmetric 3 × 3 matrix: the information of one item's `(a, b, c)`; 2PL items leave the `c` row unused.
struct Symmetric3 {
    var aa = 0.0
    var ab = 0.0
    var ac = 0.0
    var bb = 0.0
    var bc = 0.0
    var cc = 0.0

    /// Adds `weight · g gᵀ`.
    @inline(__always)
    mutating func addOuter(_ g: SIMD3<Double>, weight: Double) {
        let wg = weight * g
        aa += wg.x * g.x
        ab += wg.x * g.y
        ac += wg.x * g.z
        bb += wg.y * g.y
        bc += wg.y * g.z
        cc += wg.z * g.z
    }

    /// Adds another matrix.
    mutating func add(_ m: Symmetric3, scale: Double = 1) {
        aa += scale * m.aa
        ab += scale * m.ab
        ac += scale * m.ac
        bb += scale * m.bb
        bc += scale * m.bc
        cc += scale * m.cc
    }

    /// Adds a diagonal.
    mutating func addDiagonal(_ d: SIMD3<Double>) {
        aa += d.x
        bb += d.y
        cc += d.z
    }

    /// The matrix restricted to the coordinates in `keep`: other rows and columns become those of the identity.
    func restricted(to keep: Mask3) -> Symmetric3 {
        var m = self
        if !keep.a { (m.aa, m.ab, m.ac) = (1, 0, 0) }
        if !keep.b { (m.ab, m.bb, m.bc) = (0, 1, 0) }
        if !keep.c { (m.ac, m.bc, m.cc) = (0, 0, 1) }
        return m
    }

    /// The lower Cholesky factor as `(l11, l21, l31, l22, l32, l33)`, or `nil` unless positive definite (with a
    /// relative margin, so that nearly singular matrices count as singular).
    private func cholesky() -> (Double, Double, Double, Double, Double, Double)? {
        let margin = 1e-12 * max(abs(aa), abs(bb), abs(cc), 1e-300)
        guard aa > margin else { return nil }
        let l11 = aa.squareRoot()
        let l21 = ab / l11
        let l31 = ac / l11
        let d2 = bb - l21 * l21
        guard d2 > margin else { return nil }
        let l22 = d2.squareRoot()
        let l32 = (bc - l31 * l21) / l22
        let d3 = cc - l31 * l31 - l32 * l32
        guard d3 > margin else { return nil }
        return (l11, l21, l31, l22, l32, d3.squareRoot())
    }

    /// Solves `M x = g`, or `nil` unless `M` is positive definite.
    func solve(_ g: SIMD3<Double>) -> SIMD3<Double>? {
        guard let (l11, l21, l31, l22, l32, l33) = cholesky() else { return nil }
        let y1 = g.x / l11
        let y2 = (g.y - l21 * y1) / l22
        let y3 = (g.z - l31 * y1 - l32 * y2) / l33
        let x3 = y3 / l33
        let x2 = (y2 - l32 * x3) / l22
        let x1 = (y1 - l21 * x2 - l31 * x3) / l11
        let x = SIMD3(x1, x2, x3)
        return x.x.isFinite && x.y.isFinite && x.z.isFinite ? x : nil
    }

    /// The diagonal of the inverse (variances, when this is an information matrix), or `nil` unless positive
    /// definite.
    func inverseDiagonal() -> SIMD3<Double>? {
        guard let x = solve(SIMD3(1, 0, 0)), let y = solve(SIMD3(0, 1, 0)), let z = solve(SIMD3(0, 0, 1)) else {
            return nil
        }
        let d = SIMD3(x.x, y.y, z.z)
        return d.x > 0 && d.y > 0 && d.z > 0 ? d : nil
    }
}

/// Which of `(a, b, c)` take part in a step.
struct Mask3 {
    var a: Bool
    var b: Bool
    var c: Bool

    var any: Bool { a || b || c }

    /// `v` with the coordinates outside the mask set to 0.
    func apply(_ v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(a ? v.x : 0, b ? v.y : 0, c ? v.z : 0)
    }
}
