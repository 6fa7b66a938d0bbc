// Module-internal libm functions without errno (see Sources/CFastMath): every `sqrt(x)`, `x.squareRoot()`,
// `log10(x)`, `cos(x)`, … in this module resolves to these (a module's own declarations shadow imported ones),
// with the same bits as Foundation's. `@_disfavoredOverload` keeps tests that `@testable import` this module on
// Foundation's functions instead of finding two equal candidates.
import CFastMath

extension Double {
    @usableFromInline @_transparent func squareRoot() -> Double { tanso_sqrt(self) }
}

extension Float {
    @usableFromInline @_transparent func squareRoot() -> Float { tanso_sqrtf(self) }
}

@_disfavoredOverload @usableFromInline @_transparent func sqrt(_ x: Double) -> Double { tanso_sqrt(x) }
@_disfavoredOverload @usableFromInline @_transparent func sqrt(_ x: Float) -> Float { tanso_sqrtf(x) }
@_disfavoredOverload @usableFromInline @_transparent func log(_ x: Double) -> Double { tanso_log(x) }
@_disfavoredOverload @usableFromInline @_transparent func log(_ x: Float) -> Float { tanso_logf(x) }
@_disfavoredOverload @usableFromInline @_transparent func log10(_ x: Double) -> Double { tanso_log10(x) }
@_disfavoredOverload @usableFromInline @_transparent func log10(_ x: Float) -> Float { tanso_log10f(x) }
@_disfavoredOverload @usableFromInline @_transparent func log2(_ x: Double) -> Double { tanso_log2(x) }
@_disfavoredOverload @usableFromInline @_transparent func log2(_ x: Float) -> Float { tanso_log2f(x) }
@_disfavoredOverload @usableFromInline @_transparent func exp(_ x: Double) -> Double { tanso_exp(x) }
@_disfavoredOverload @usableFromInline @_transparent func exp(_ x: Float) -> Float { tanso_expf(x) }
@_disfavoredOverload @usableFromInline @_transparent func exp2(_ x: Double) -> Double { tanso_exp2(x) }
@_disfavoredOverload @usableFromInline @_transparent func exp2(_ x: Float) -> Float { tanso_exp2f(x) }
@_disfavoredOverload @usableFromInline @_transparent func sin(_ x: Double) -> Double { tanso_sin(x) }
@_disfavoredOverload @usableFromInline @_transparent func sin(_ x: Float) -> Float { tanso_sinf(x) }
@_disfavoredOverload @usableFromInline @_transparent func cos(_ x: Double) -> Double { tanso_cos(x) }
@_disfavoredOverload @usableFromInline @_transparent func cos(_ x: Float) -> Float { tanso_cosf(x) }
@_disfavoredOverload @usableFromInline @_transparent func tan(_ x: Double) -> Double { tanso_tan(x) }
@_disfavoredOverload @usableFromInline @_transparent func tan(_ x: Float) -> Float { tanso_tanf(x) }
@_disfavoredOverload @usableFromInline @_transparent func asin(_ x: Double) -> Double { tanso_asin(x) }
@_disfavoredOverload @usableFromInline @_transparent func asin(_ x: Float) -> Float { tanso_asinf(x) }
@_disfavoredOverload @usableFromInline @_transparent func acos(_ x: Double) -> Double { tanso_acos(x) }
@_disfavoredOverload @usableFromInline @_transparent func acos(_ x: Float) -> Float { tanso_acosf(x) }
@_disfavoredOverload @usableFromInline @_transparent func atan(_ x: Double) -> Double { tanso_atan(x) }
@_disfavoredOverload @usableFromInline @_transparent func atan(_ x: Float) -> Float { tanso_atanf(x) }
@_disfavoredOverload @usableFromInline @_transparent func pow(_ x: Double, _ y: Double) -> Double { tanso_pow(x, y) }
@_disfavoredOverload @usableFromInline @_transparent func pow(_ x: Float, _ y: Float) -> Float { tanso_powf(x, y) }
@_disfavoredOverload @usableFromInline @_transparent func atan2(_ y: Double, _ x: Double) -> Double { tanso_atan2(y, x) }
@_disfavoredOverload @usableFromInline @_transparent func atan2(_ y: Float, _ x: Float) -> Float { tanso_atan2f(y, x) }
