//! The sign-in (and register) form, shown when no stored session works.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::App;
use crate::{
    cmd::Cmd,
    keymap::{Action, Layer},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Server,
    Username,
    Email,
    Password,
}

#[derive(Debug, Clone)]
pub struct SignIn {
    pub server: String,
    pub username: String,
    pub email: String,
    pub password: String,
    /// Create an account instead of signing in.
    pub register: bool,
    pub field: Field,
    pub error: Option<String>,
    /// Waiting for the server's answer.
    pub busy: bool,
}

impl SignIn {
    pub fn new(server: &str) -> Self {
        Self {
            server: server.to_owned(),
            username: String::new(),
            email: String::new(),
            password: String::new(),
            register: false,
            field: Field::Username,
            error: None,
            busy: false,
        }
    }

    /// The fields shown, in order.
    pub fn fields(&self) -> Vec<Field> {
        if self.register {
            vec![
                Field::Server,
                Field::Username,
                Field::Email,
                Field::Password,
            ]
        } else {
            vec![Field::Server, Field::Username, Field::Password]
        }
    }

    fn value_mut(&mut self) -> &mut String {
        match self.field {
            Field::Server => &mut self.server,
            Field::Username => &mut self.username,
            Field::Email => &mut self.email,
            Field::Password => &mut self.password,
        }
    }

    fn step(&mut self, forward: bool) {
        let fields = self.fields();
        let here = fields.iter().position(|f| *f == self.field).unwrap_or(0);
        let next = if forward {
            (here + 1) % fields.len()
        } else {
            (here + fields.len() - 1) % fields.len()
        };
        self.field = fields[next];
    }

    /// What is missing before the form can be sent.
    fn missing(&self) -> Option<&'static str> {
        if self.server.trim().is_empty() {
            Some("the server's address")
        } else if self.username.trim().is_empty() {
            Some("a username")
        } else if self.register && self.email.trim().is_empty() {
            Some("an email address")
        } else if self.password.is_empty() {
            Some("a password")
        } else {
            None
        }
    }
}

impl App {
    pub(super) fn on_signin_key(&mut self, key: KeyEvent, cmds: &mut Vec<Cmd>) {
        if self.keymap.action(&[Layer::Global], &key) == Some(Action::Quit) {
            self.quit = true;
            cmds.push(Cmd::Quit);
            return;
        }
        let super::Screen::SignIn(form) = &mut self.screen else {
            return;
        };
        if form.busy {
            return;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Tab | KeyCode::Down => form.step(true),
            KeyCode::BackTab | KeyCode::Up => form.step(false),
            KeyCode::Char('r') if ctrl => {
                form.register = !form.register;
                if !form.fields().contains(&form.field) {
                    form.field = crate::app::signin::Field::Password;
                }
            }
            KeyCode::Char('u') if ctrl => form.value_mut().clear(),
            KeyCode::Backspace => {
                form.value_mut().pop();
            }
            KeyCode::Enter => match form.missing() {
                Some(what) => form.error = Some(format!("Enter {what}.")),
                None if form.field != Field::Password && form.password.is_empty() => {
                    form.step(true)
                }
                None => {
                    form.busy = true;
                    form.error = None;
                    cmds.push(Cmd::SignIn {
                        server: form.server.trim().trim_end_matches('/').to_owned(),
                        username: form.username.trim().to_owned(),
                        password: form.password.clone(),
                        register_email: form.register.then(|| form.email.trim().to_owned()),
                    });
                }
            },
            KeyCode::Char(c) if !ctrl && !key.modifiers.contains(KeyModifiers::ALT) => {
                form.value_mut().push(c);
            }
            _ => {}
        }
    }

    pub(super) fn on_signin_paste(&mut self, text: &str) {
        if let super::Screen::SignIn(form) = &mut self.screen {
            form.value_mut()
                .extend(text.chars().filter(|c| !c.is_control()));
        }
    }
}

/// A field's label and what it shows (passwords as dots).
pub fn signin_field_label(form: &SignIn, field: Field) -> (&'static str, String) {
    match field {
        Field::Server => ("Server", form.server.clone()),
        Field::Username => ("Username", form.username.clone()),
        Field::Email => ("Email", form.email.clone()),
        Field::Password => ("Password", "•".repeat(form.password.chars().count())),
    }
}
