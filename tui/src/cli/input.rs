//! What a command asks for: a name, a password (never from an argument),
//! or a woof's body from standard input.

use std::io::{self, BufRead, IsTerminal, Read, Write};

use super::failure::Failure;

/// One line of standard input without its line ending: `echo "$PW" |`
/// gives the password as typed (as `docker login --password-stdin`).
pub fn line_from_stdin() -> Result<String, Failure> {
    let mut line = String::new();
    io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::failed(format!("cannot read standard input: {e}")))?;
    if let Some(rest) = line.strip_suffix('\n') {
        line.truncate(rest.strip_suffix('\r').unwrap_or(rest).len());
    }
    Ok(line)
}

/// All of standard input (for `woofer post -`).
pub fn all_of_stdin() -> Result<String, Failure> {
    let mut text = String::new();
    io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Failure::failed(format!("cannot read standard input: {e}")))?;
    Ok(text)
}

fn require_terminal(what: &str) -> Result<(), Failure> {
    if io::stdin().is_terminal() {
        Ok(())
    } else {
        Err(Failure::usage(format!(
            "no terminal to ask for the {what}; {}",
            match what {
                "password" => "pipe it in with --password-stdin",
                "confirmation" => "add --yes to confirm",
                _ => "give it as an argument",
            }
        )))
    }
}

/// The name, as given or asked for on the terminal.
pub fn username(given: Option<String>) -> Result<String, Failure> {
    if let Some(name) = given {
        return Ok(name);
    }
    require_terminal("username")?;
    eprint!("Username: ");
    let _ = io::stderr().flush();
    line_from_stdin()
}

/// The password: from standard input when asked to, else from a prompt
/// that does not echo.
pub fn password(from_stdin: bool) -> Result<String, Failure> {
    if from_stdin {
        return line_from_stdin();
    }
    hidden("Password: ")
}

/// A no-echo prompt on the terminal.
pub fn hidden(prompt: &str) -> Result<String, Failure> {
    require_terminal("password")?;
    rpassword::prompt_password(prompt)
        .map_err(|e| Failure::failed(format!("cannot read the password: {e}")))
}

/// The current and the new password: two lines of standard input, or
/// asked for (the new one twice, so a typo does not lock the dog out).
pub fn password_change(from_stdin: bool) -> Result<(String, String), Failure> {
    if from_stdin {
        return Ok((line_from_stdin()?, line_from_stdin()?));
    }
    let current = hidden("Current password: ")?;
    let new = hidden("New password: ")?;
    if hidden("New password again: ")? != new {
        return Err(Failure::failed(
            "the new passwords differ; nothing was changed",
        ));
    }
    Ok((current, new))
}

/// Asks the dog to type `expected` to confirm something that cannot be
/// undone; `--yes` stands in for it where there is no terminal.
pub fn confirm_by_typing(expected: &str, prompt: &str) -> Result<(), Failure> {
    require_terminal("confirmation")?;
    eprint!("{prompt}");
    let _ = io::stderr().flush();
    if line_from_stdin()?.trim() == expected {
        Ok(())
    } else {
        Err(Failure::failed("not confirmed; nothing was deleted"))
    }
}
