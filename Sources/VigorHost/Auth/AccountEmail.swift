import Foundation

/// The one normalisation of an account e-mail address. Registration stores this form,
/// login looks it up, and the login throttle keys on it, so no spelling of an address can
/// reach an account without also landing in that account's throttle bucket.
///
/// In order:
/// 1. Unicode NFKC (compatibility composition): full-width `ｖｉｃｔｉｍ`, ligatures and
///    other compatibility forms become their plain letters; U+00A0 and U+3000 become spaces.
/// 2. Every default-ignorable code point is removed wherever it is: zero-width space,
///    joiners, word joiner, BOM, soft hyphen, variation selectors (they render as nothing,
///    so two addresses that differ only by them look identical to a person).
/// 3. Leading and trailing Unicode white space (the `White_Space` property, newlines
///    included) is trimmed. Inner white space is kept, and registration refuses it.
/// 4. Lower-cased (Unicode, locale-independent), then NFKC again (case mapping can leave
///    a string unnormalised).
///
/// Addresses are compared as whole normalised strings: no `+tag` or dot folding, which
/// depends on the mail provider.
enum AccountEmail {
    /// The normalised form of `raw`.
    static func normalize(_ raw: String) -> String {
        let composed = raw.precomposedStringWithCompatibilityMapping
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: composed.unicodeScalars.lazy.filter { !$0.properties.isDefaultIgnorableCodePoint })
        let trimmed = String(scalars).trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.lowercased().precomposedStringWithCompatibilityMapping
    }
}
