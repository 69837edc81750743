import VigorCoaching

/// Validation of account fields; each problem names its field.
enum CredentialRules {
    static let usernameLength = 3...50
    static let minPasswordLength = 8
    static let maxEmailLength = 254

    static func check(email: String) -> FieldError? {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        let valid =
            email.count <= maxEmailLength && parts.count == 2 && !parts[0].isEmpty && parts[1].count >= 3
            && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !parts[1].contains("..")
            && email.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && !"<>()[],;:\\\"".unicodeScalars.contains($0) }
        return valid ? nil : FieldError(field: "email", message: "must be a valid e-mail address")
    }

    static func check(username: String) -> FieldError? {
        guard usernameLength.contains(username.count) else {
            return FieldError(
                field: "username",
                message: "must be \(usernameLength.lowerBound)–\(usernameLength.upperBound) characters")
        }
        let allowed = username.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0)
        }
        return allowed ? nil : FieldError(field: "username", message: "may only hold letters, digits, '_', '.' and '-'")
    }

    static func check(password: String) -> FieldError? {
        if password.count < minPasswordLength {
            return FieldError(field: "password", message: "must be at least \(minPasswordLength) characters")
        }
        if password.utf8.count > PasswordHasher.maxPasswordBytes {
            return FieldError(field: "password", message: "must be at most \(PasswordHasher.maxPasswordBytes) bytes")
        }
        return nil
    }

    /// Every problem with a new account's fields.
    static func check(email: String, username: String, password: String) -> [FieldError] {
        [check(email: email), check(username: username), check(password: password)].compactMap { $0 }
    }

    /// A username made from an e-mail's local part (for `vigor user create` without one).
    static func username(fromEmail email: String) -> String {
        let local = email.split(separator: "@").first.map(String.init) ?? "user"
        var name = String(
            local.unicodeScalars.filter {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0)
            }.map(Character.init))
        while name.count < usernameLength.lowerBound { name += "_" }
        return String(name.prefix(usernameLength.upperBound))
    }
}
