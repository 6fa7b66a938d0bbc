// Module-internal square roots that vectorise without compiler flags (see Sources/CFastMath): every
// `x.squareRoot()` and `sqrt(x)` in this module resolves to these, with the same bits as the standard ones.
import CFastMath

extension Double {
    @usableFromInline @_transparent func squareRoot() -> Double { tanso_sqrt(self) }
}

extension Float {
    @usableFromInline @_transparent func squareRoot() -> Float { tanso_sqrtf(self) }
}

@usableFromInline @_transparent func sqrt(_ x: Double) -> Double { tanso_sqrt(x) }
@usableFromInline @_transparent func sqrt(_ x: Float) -> Float { tanso_sqrtf(x) }
