//! `socmel post …`: posts on your profile or in a space, likes and images.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use socmel_client::{
    PageQuery,
    types::{
        AttachmentId, PostId, SpaceId,
        posts::{PostDisplay, PostUpdate, Visibility},
    },
};

use crate::{
    context::Ctx,
    error::{CliError, CliResult},
    output::{Output, Table, opt},
    people::UserRef,
    progress::{UploadBar, files},
};

#[derive(Debug, Subcommand)]
pub enum PostCmd {
    /// Create a post (on your profile, or in a space with --space); prints its id
    Create {
        /// The title (up to 200 characters)
        title: String,
        /// The text of the post
        #[arg(allow_hyphen_values = true)]
        content: String,
        /// Post in this space (you must be a member)
        #[arg(long, value_name = "SPACE_ID")]
        space: Option<i64>,
        /// A tag (repeat for more)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// Who sees a profile post [default: public]
        #[arg(long, value_enum)]
        visibility: Option<Audience>,
    },
    /// Show a post
    Show { post_id: i64 },
    /// Change a post's title, text, tags or visibility
    Edit {
        post_id: i64,
        #[arg(long, short)]
        title: Option<String>,
        #[arg(long, short, allow_hyphen_values = true)]
        content: Option<String>,
        /// Replace the tags with these (repeat for more)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// Remove every tag
        #[arg(long, conflicts_with = "tags")]
        clear_tags: bool,
        #[arg(long, value_enum)]
        visibility: Option<Audience>,
    },
    /// Delete a post
    Delete { post_id: i64 },
    /// Like a post, or take your like back
    Like { post_id: i64 },
    /// A user's posts, a space's posts, or (with neither) yours
    List {
        /// Posts by this user
        #[arg(long, value_name = "USER")]
        user: Option<UserRef>,
        /// Posts in this space (with --user: that user's posts there)
        #[arg(long, value_name = "SPACE_ID")]
        space: Option<i64>,
        #[command(flatten)]
        paging: PostPaging,
    },
    /// Upload images to a post (streamed from disk, with a progress bar on a terminal)
    Attach {
        post_id: i64,
        /// Image files (PNG, JPEG, GIF or WebP)
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Remove an image from a post
    Detach { post_id: i64, attachment_id: i64 },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Audience {
    Public,
    Followers,
}

impl From<Audience> for Visibility {
    fn from(audience: Audience) -> Self {
        match audience {
            Audience::Public => Self::Public,
            Audience::Followers => Self::Followers,
        }
    }
}

/// Paging of post and comment listings.
#[derive(Debug, Clone, Args)]
pub struct PostPaging {
    /// Where to continue (the previous page's next_cursor)
    #[arg(long)]
    pub cursor: Option<String>,
    /// Items per page (1-100)
    #[arg(long)]
    pub page_size: Option<i64>,
    /// Page number, from 1 (--cursor wins over it)
    #[arg(long)]
    pub page: Option<i64>,
}

impl PostPaging {
    pub fn query(&self) -> PageQuery {
        PageQuery {
            page: self.page,
            page_size: self.page_size,
            cursor: self.cursor.clone(),
        }
    }
}

pub async fn run(ctx: &mut Ctx, cmd: PostCmd) -> CliResult {
    match cmd {
        PostCmd::Create {
            title,
            content,
            space,
            tags,
            visibility,
        } => {
            let body = &PostUpdate {
                title: Some(title),
                content: Some(content),
                tags: (!tags.is_empty()).then_some(tags),
                visibility: visibility.map(Into::into),
            };
            let post = match space {
                Some(space) => {
                    let space = SpaceId(space);
                    ctx.call(|c| async move { c.create_space_post(space, body).await })
                        .await?
                }
                None => {
                    ctx.call(|c| async move { c.create_post(body).await })
                        .await?
                }
            };
            let sentence = format!("Created post {}.", post.id);
            ctx.out.created(&post, post.id, &sentence)
        }
        PostCmd::Show { post_id } => {
            let id = PostId(post_id);
            let post = ctx.call(|c| async move { c.view_post(id).await }).await?;
            ctx.out.show(&post, |out| show_post(out, &post))
        }
        PostCmd::Edit {
            post_id,
            title,
            content,
            tags,
            clear_tags,
            visibility,
        } => {
            let tags = if clear_tags {
                Some(Vec::new())
            } else {
                (!tags.is_empty()).then_some(tags)
            };
            if title.is_none() && content.is_none() && tags.is_none() && visibility.is_none() {
                return Err(CliError::Usage(
                    "nothing to change: pass --title, --content, --tag, --clear-tags or --visibility"
                        .into(),
                ));
            }
            let (id, body) = (
                PostId(post_id),
                &PostUpdate {
                    title,
                    content,
                    tags,
                    visibility: visibility.map(Into::into),
                },
            );
            let post = ctx
                .call(|c| async move { c.edit_post(id, body).await })
                .await?;
            ctx.out.show(&post, |out| show_post(out, &post))
        }
        PostCmd::Delete { post_id } => {
            let id = PostId(post_id);
            let detail = ctx.call(|c| async move { c.delete_post(id).await }).await?;
            ctx.out.ack(&detail, &detail.detail)
        }
        PostCmd::Like { post_id } => {
            let id = PostId(post_id);
            let like = ctx.call(|c| async move { c.like_post(id).await }).await?;
            let sentence = format!(
                "{} post {post_id} ({} likes).",
                if like.liked { "Liked" } else { "Unliked" },
                like.like_count
            );
            ctx.out.ack(&like, &sentence)
        }
        PostCmd::List {
            user,
            space,
            paging,
        } => {
            let query = &paging.query();
            let page = match (space, user) {
                (Some(space), Some(user)) => {
                    let (space, user) = (SpaceId(space), user.resolve(ctx).await?);
                    ctx.call(|c| async move { c.space_user_posts(space, user, query).await })
                        .await?
                }
                (Some(space), None) => {
                    let space = SpaceId(space);
                    ctx.call(|c| async move { c.space_posts(space, query).await })
                        .await?
                }
                (None, user) => {
                    let user = match user {
                        Some(user) => user.resolve(ctx).await?,
                        None => ctx.call(|c| async move { c.get_me().await }).await?.id,
                    };
                    ctx.call(|c| async move { c.user_posts(user, query).await })
                        .await?
                }
            };
            ctx.out.page(&page, posts_table(&ctx.out, &page.items))
        }
        PostCmd::Attach {
            post_id,
            files: paths,
        } => {
            let (uploads, total) = files(&paths).await?;
            let bar = UploadBar::new(total, "uploading");
            let (id, uploads, bar_ref) = (PostId(post_id), &uploads, &bar);
            let post = ctx
                .call(|c| async move {
                    bar_ref.reset();
                    c.upload_post_images_with_progress(id, uploads.clone(), bar_ref.progress())
                        .await
                })
                .await;
            bar.finish();
            let post = post?;
            ctx.out.show(&post, |out| {
                attachments_table(post.attachments.as_deref().unwrap_or_default()).print(out)
            })
        }
        PostCmd::Detach {
            post_id,
            attachment_id,
        } => {
            let (id, attachment) = (PostId(post_id), AttachmentId(attachment_id));
            let detail = ctx
                .call(|c| async move { c.delete_post_image(id, attachment).await })
                .await?;
            ctx.out.ack(&detail, &detail.detail)
        }
    }
}

fn visibility_name(visibility: Visibility) -> &'static str {
    match visibility {
        Visibility::Public => "public",
        Visibility::Followers => "followers",
        Visibility::Space => "space",
    }
}

pub fn show_post(out: &Output, post: &PostDisplay) {
    let tags = post.tags.as_deref().unwrap_or_default();
    let attachments = post.attachments.as_deref().unwrap_or_default();
    Table::fields(&[
        ("id", post.id.to_string()),
        ("title", post.title.clone()),
        ("author", format!("{} (id {})", post.author, post.user_id)),
        ("space", opt(post.space_id)),
        ("visibility", visibility_name(post.visibility).to_owned()),
        (
            "tags",
            if tags.is_empty() {
                "-".into()
            } else {
                tags.join(", ")
            },
        ),
        (
            "likes",
            format!(
                "{}{}",
                post.likes_nbr,
                if post.liked_by_me { " (you too)" } else { "" }
            ),
        ),
        ("comments", post.comments_nbr.to_string()),
        (
            "images",
            if attachments.is_empty() {
                "-".into()
            } else {
                attachments
                    .iter()
                    .map(|a| format!("{} {}", a.id, a.file))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        ("created", out.time(post.created_at)),
        ("content", post.content.clone()),
    ])
    .print(out);
}

pub fn posts_table(out: &Output, posts: &[PostDisplay]) -> Table {
    let mut table = Table::new(&["ID", "AUTHOR", "TITLE", "LIKES", "COMMENTS", "CREATED"]);
    for post in posts {
        table.row(vec![
            post.id.to_string(),
            post.author.clone(),
            post.title.clone(),
            post.likes_nbr.to_string(),
            post.comments_nbr.to_string(),
            out.time(post.created_at),
        ]);
    }
    table
}

fn attachments_table(attachments: &[socmel_client::types::posts::AttachmentDisplay]) -> Table {
    let mut table = Table::new(&["ID", "FILE"]);
    for attachment in attachments {
        table.row(vec![attachment.id.to_string(), attachment.file.clone()]);
    }
    table
}
