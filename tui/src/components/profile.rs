//! A dog's profile: its name, when it joined, its counts, whether you
//! follow it, and its woofs, paged like a feed.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use woofer_shared::api::Profile;
use woofer_shared::Username;

use super::feed::{Drawing, FeedView};
use crate::api::Feed;
use crate::effect::Request;
use crate::text::scrub;

pub struct ProfileView {
    name: Username,
    profile: Option<Profile>,
    woofs: FeedView,
    /// A follow or unfollow is on its way.
    following: bool,
}

impl ProfileView {
    /// The view, and the requests that fill it.
    pub fn open(name: Username) -> (Self, Vec<Request>) {
        let requests = vec![
            Request::LoadProfile(name.clone()),
            Request::LoadNewest(Feed::Dog(name.clone())),
        ];
        let view = Self {
            name,
            profile: None,
            woofs: FeedView::new("No woofs yet."),
            following: false,
        };
        (view, requests)
    }

    pub fn name(&self) -> &Username {
        &self.name
    }

    pub fn feed(&self) -> Feed {
        Feed::Dog(self.name.clone())
    }

    pub fn profile(&self) -> Option<&Profile> {
        self.profile.as_ref()
    }

    pub fn woofs(&self) -> &FeedView {
        &self.woofs
    }

    pub fn woofs_mut(&mut self) -> &mut FeedView {
        &mut self.woofs
    }

    pub fn loaded(&mut self, profile: Profile) {
        self.profile = Some(profile);
    }

    /// The follow or unfollow to send for the follow key, unless one is on
    /// its way, the profile has not come yet, or it is the dog's own.
    pub fn follow_requested(&mut self, me: &str) -> Result<Request, &'static str> {
        let Some(profile) = &self.profile else {
            return Err("the profile is still loading");
        };
        if self.name.as_str() == me {
            return Err("you cannot follow yourself");
        }
        if self.following {
            return Err("still waiting for the last follow");
        }
        self.following = true;
        Ok(Request::Follow(self.name.clone(), !profile.followed_by_me))
    }

    /// The follow or unfollow was answered.
    pub fn follow_answered(&mut self) {
        self.following = false;
    }

    pub fn draw(&mut self, frame: &mut Frame, area: Rect, drawing: &Drawing<'_>) {
        let [head, list] =
            Layout::vertical([Constraint::Length(3), Constraint::Min(0)]).areas(area);
        let name = Span::styled(
            format!(" @{}", scrub(self.name.as_str(), false)),
            Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
        );
        let dim = Style::default().fg(Color::DarkGray);
        let lines = match &self.profile {
            None => vec![Line::from(name), Line::styled(" loading…", dim)],
            Some(profile) => {
                let joined = profile.user.created_at.to_string();
                let mut first = vec![
                    name,
                    Span::styled(format!(" · joined {}", &joined[..10]), dim),
                ];
                if drawing.me == Some(self.name.as_str()) {
                    first.push(Span::styled(" (you)", Style::default().fg(Color::Green)));
                } else if profile.followed_by_me {
                    first.push(Span::styled(
                        " · you follow them",
                        Style::default().fg(Color::Green),
                    ));
                }
                let counts = format!(
                    " {} · {} · {} following",
                    counted(profile.woof_count, "woof", "woofs"),
                    counted(profile.follower_count, "follower", "followers"),
                    profile.following_count
                );
                vec![Line::from(first), Line::raw(counts)]
            }
        };
        frame.render_widget(Paragraph::new(lines), head);
        self.woofs.draw(frame, list, drawing);
    }
}

fn counted(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
