import HTTPTypes

extension HTTPFields {
    /// The value of the fields named `name`, exactly as `self[name]` gives it (several fields
    /// are joined with ", "; none is `nil`), found by one walk over the fields.
    ///
    /// `self[name]` joins through a generic, unspecialised path: about 4.5 K instructions for
    /// a header that is present, and every request reads three (`Authorization` and
    /// `Content-Length` twice). This is a few hundred. Only a name sent more than once takes
    /// the subscript, so the answer is the subscript's in every case.
    func value(_ name: HTTPField.Name) -> String? {
        var found: String?
        for field in self where field.name == name {
            guard found == nil else { return self[name] }
            found = field.value
        }
        return found
    }
}
