//! `socmel post …`: posts on your profile or in a space, likes and images.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use socmel_client::{
    PageQuery,
    types::{
        AttachmentId, PostId,
        posts::{LikeResult, PostDisplay, PostUpdate, Visibility},
    },
};

use crate::{
    cli::Paging,
    context::Ctx,
    error::{CliError, CliResult},
    names::SpaceRef,
    output::{Output, Table, human_size, opt},
    people::UserRef,
    progress::{UploadBar, files},
    text,
};

#[derive(Debug, Subcommand)]
pub enum PostCmd {
    /// Create a post (on your profile, or in a space with --space); prints its id
    Create {
        /// The title (up to 200 characters)
        title: String,
        /// The text of the post; `-` reads stdin, @FILE reads a file
        #[arg(allow_hyphen_values = true)]
        content: String,
        /// Post in this space (you must be a member): its name or id
        #[arg(long, value_name = "SPACE")]
        space: Option<SpaceRef>,
        /// A tag (repeat for more)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// Who sees a profile post [default: public]
        #[arg(long, value_enum)]
        visibility: Option<Audience>,
    },
    /// Show a post
    Show {
        /// The post's id
        post_id: i64,
    },
    /// Change a post's title, text, tags or visibility
    Edit {
        /// The post's id
        post_id: i64,
        /// The new title
        #[arg(long, short)]
        title: Option<String>,
        /// The new text; `-` reads stdin, @FILE reads a file
        #[arg(long, short, allow_hyphen_values = true)]
        content: Option<String>,
        /// Replace the tags with these (repeat for more)
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// Remove every tag
        #[arg(long, conflicts_with = "tags")]
        clear_tags: bool,
        /// Who sees a profile post
        #[arg(long, value_enum)]
        visibility: Option<Audience>,
    },
    /// Delete a post
    Delete {
        /// The post's id
        post_id: i64,
    },
    /// Like a post (liking it again changes nothing)
    Like {
        /// The post's id
        post_id: i64,
    },
    /// Take your like back (nothing happens if you did not like it)
    Unlike {
        /// The post's id
        post_id: i64,
    },
    /// A user's posts, a space's posts, or (with neither) yours
    List {
        /// Posts by this user
        #[arg(long, value_name = "USER")]
        user: Option<UserRef>,
        /// Posts in this space, by name or id (with --user: that user's posts there)
        #[arg(long, value_name = "SPACE")]
        space: Option<SpaceRef>,
        #[command(flatten)]
        paging: PostPaging,
    },
    /// Upload images to a post (streamed from disk, with a progress bar on a terminal)
    Attach {
        /// The post's id
        post_id: i64,
        /// Image files (PNG, JPEG, GIF or WebP)
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Remove an image from a post
    Detach {
        /// The post's id
        post_id: i64,
        /// The image's id (`post show` lists them)
        attachment_id: i64,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Audience {
    /// Anyone
    Public,
    /// Your accepted followers
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

/// Paging of post and comment listings: the usual `--limit/--cursor/--all`, and
/// upstream's page numbers, kept hidden for older scripts.
#[derive(Debug, Clone, Args)]
pub struct PostPaging {
    #[command(flatten)]
    pub paging: Paging,
    /// Page number, from 1 (older spelling; --cursor wins over it)
    #[arg(long, hide = true)]
    pub page: Option<i64>,
}

impl PostPaging {
    /// The query for one request, at `cursor` with `limit` items.
    pub fn query(&self, cursor: Option<String>, limit: Option<i64>) -> PageQuery {
        PageQuery {
            page: if cursor.is_some() { None } else { self.page },
            page_size: limit,
            cursor,
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
                content: Some(text::expand(content, "content")?),
                tags: (!tags.is_empty()).then_some(tags),
                visibility: visibility.map(Into::into),
            };
            let post = match space {
                Some(space) => {
                    let space = space.resolve(ctx).await?;
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
            let content = text::expand_opt(content, "content")?;
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
        PostCmd::Like { post_id } => set_like(ctx, PostId(post_id), true).await,
        PostCmd::Unlike { post_id } => set_like(ctx, PostId(post_id), false).await,
        PostCmd::List {
            user,
            space,
            paging,
        } => {
            let paging = &paging;
            let page = match (space, user) {
                (Some(space), Some(user)) => {
                    let (space, user) = (space.resolve(ctx).await?, user.resolve(ctx).await?);
                    ctx.listing(&paging.paging, |c, cursor, limit| async move {
                        c.space_user_posts(space, user, &paging.query(cursor, limit))
                            .await
                    })
                    .await?
                }
                (Some(space), None) => {
                    let space = space.resolve(ctx).await?;
                    ctx.listing(&paging.paging, |c, cursor, limit| async move {
                        c.space_posts(space, &paging.query(cursor, limit)).await
                    })
                    .await?
                }
                (None, user) => {
                    let user = match user {
                        Some(user) => user.resolve(ctx).await?,
                        None => ctx.call(|c| async move { c.get_me().await }).await?.id,
                    };
                    ctx.listing(&paging.paging, |c, cursor, limit| async move {
                        c.user_posts(user, &paging.query(cursor, limit)).await
                    })
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
            let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
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
            let post = post.map_err(|err| match paths.as_slice() {
                [one] => CliError::in_file(one, err),
                _ => CliError::InFile(
                    format!("{} ({})", names.join(", "), human_size(total)),
                    Box::new(err),
                ),
            })?;
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

/// Likes (or unlikes) a post unless it already is: the server only toggles, so the
/// post's state is read first, and a second `like` is a no-op rather than an unlike.
async fn set_like(ctx: &mut Ctx, id: PostId, like: bool) -> CliResult {
    let post = ctx.call(|c| async move { c.view_post(id).await }).await?;
    let result = if post.liked_by_me == like {
        LikeResult {
            liked: like,
            like_count: post.likes_nbr,
        }
    } else {
        ctx.call(|c| async move { c.like_post(id).await }).await?
    };
    let count = match result.like_count {
        1 => "1 like".to_owned(),
        n => format!("{n} likes"),
    };
    let sentence = match (result.liked, post.liked_by_me == like) {
        (true, false) => format!("Liked post {id} ({count})."),
        (false, false) => format!("Unliked post {id} ({count})."),
        (true, true) => format!("You already like post {id} ({count})."),
        (false, true) => format!("You do not like post {id} ({count})."),
    };
    ctx.out.ack(&result, &sentence)
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
