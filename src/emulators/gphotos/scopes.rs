//! The Photos Library scopes as Google has checked them since 2025-03-31: three remain
//! (append-only upload, read and edit of what the app created); the three broad ones were removed
//! and no longer grant anything.

pub const APPENDONLY: &str = "https://www.googleapis.com/auth/photoslibrary.appendonly";
pub const READONLY_APP: &str =
    "https://www.googleapis.com/auth/photoslibrary.readonly.appcreateddata";
pub const EDIT_APP: &str = "https://www.googleapis.com/auth/photoslibrary.edit.appcreateddata";

/// Every scope photosync asks for.
pub const ALL: [&str; 3] = [APPENDONLY, READONLY_APP, EDIT_APP];

/// Refused at authorization since 2025-03-31; tokens that still carry them get 403.
pub const REMOVED: [&str; 3] = [
    "https://www.googleapis.com/auth/photoslibrary",
    "https://www.googleapis.com/auth/photoslibrary.readonly",
    "https://www.googleapis.com/auth/photoslibrary.sharing",
];

/// Scopes requested in an authorization URL (space separated). `Err` names the first scope
/// Google would refuse.
pub fn parse_requested(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for scope in text.split_whitespace() {
        if !ALL.contains(&scope) {
            return Err(scope.to_string());
        }
        if !out.iter().any(|s| s == scope) {
            out.push(scope.to_string());
        }
    }
    if out.is_empty() {
        return Err(String::new());
    }
    Ok(out)
}

/// Whether `granted` holds any of `needed`.
pub fn allows(granted: &[String], needed: &[&str]) -> bool {
    granted.iter().any(|g| needed.contains(&g.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removed_and_unknown_scopes_are_refused() {
        assert_eq!(
            parse_requested(&format!("{APPENDONLY} {READONLY_APP} {APPENDONLY}")).map(|v| v.len()),
            Ok(2)
        );
        assert_eq!(parse_requested(REMOVED[1]), Err(REMOVED[1].to_string()));
        assert!(parse_requested("").is_err());
        assert!(allows(&[EDIT_APP.to_string()], &[APPENDONLY, EDIT_APP]));
        assert!(!allows(&[REMOVED[0].to_string()], &[READONLY_APP]));
    }
}
