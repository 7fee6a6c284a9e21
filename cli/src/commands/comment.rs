//! `socmel comment …`: comments on posts, replies and reactions.

use clap::Subcommand;
use socmel_client::types::{CommentId, PostId, comments::CommentDisplay};

use crate::{
    commands::post::PostPaging,
    context::Ctx,
    error::CliResult,
    output::{Output, Table, opt},
    text,
};

#[derive(Debug, Subcommand)]
pub enum CommentCmd {
    /// Comment on a post; prints the comment's id
    Add {
        /// The post's id
        post_id: i64,
        /// The comment; `-` reads stdin, @FILE reads a file
        #[arg(allow_hyphen_values = true)]
        text: String,
    },
    /// Reply to a comment; prints the reply's id
    Reply {
        /// The post's id
        post_id: i64,
        /// The comment replied to
        comment_id: i64,
        /// The reply; `-` reads stdin, @FILE reads a file
        #[arg(allow_hyphen_values = true)]
        text: String,
    },
    /// Change the text of your comment
    Edit {
        /// The post's id
        post_id: i64,
        /// The comment's id
        comment_id: i64,
        /// The new text; `-` reads stdin, @FILE reads a file
        #[arg(allow_hyphen_values = true)]
        text: String,
    },
    /// Delete a comment (yours, or any on your post)
    Delete {
        /// The post's id
        post_id: i64,
        /// The comment's id
        comment_id: i64,
    },
    /// A post's comments, replies indented under them
    List {
        /// The post's id
        post_id: i64,
        #[command(flatten)]
        paging: PostPaging,
    },
    /// React to a comment (e.g. like, love, haha), or take the reaction back
    React {
        /// The post's id
        post_id: i64,
        /// The comment's id
        comment_id: i64,
        /// The reaction: like, love, haha…
        reaction: String,
    },
}

pub async fn run(ctx: &mut Ctx, cmd: CommentCmd) -> CliResult {
    match cmd {
        CommentCmd::Add { post_id, text } => {
            let text = text::expand(text, "comment")?;
            let (post, text) = (PostId(post_id), text.as_str());
            let comment = ctx
                .call(|c| async move { c.add_comment(post, text).await })
                .await?;
            let sentence = format!("Added comment {} to post {post_id}.", comment.id);
            ctx.out.created(&comment, comment.id, &sentence)
        }
        CommentCmd::Reply {
            post_id,
            comment_id,
            text,
        } => {
            let text = text::expand(text, "reply")?;
            let (post, parent, text) = (PostId(post_id), CommentId(comment_id), text.as_str());
            let reply = ctx
                .call(|c| async move { c.add_reply(post, parent, text).await })
                .await?;
            let sentence = format!("Replied to comment {comment_id} (reply {}).", reply.id);
            ctx.out.created(&reply, reply.id, &sentence)
        }
        CommentCmd::Edit {
            post_id,
            comment_id,
            text,
        } => {
            let text = text::expand(text, "comment")?;
            let (post, id, text) = (PostId(post_id), CommentId(comment_id), text.as_str());
            let comment = ctx
                .call(|c| async move { c.edit_comment(post, id, text).await })
                .await?;
            ctx.out.show(&comment, |out| {
                comments_table(out, std::slice::from_ref(&comment)).print(out)
            })
        }
        CommentCmd::Delete {
            post_id,
            comment_id,
        } => {
            let (post, id) = (PostId(post_id), CommentId(comment_id));
            let detail = ctx
                .call(|c| async move { c.delete_comment(post, id).await })
                .await?;
            ctx.out.ack(&detail, &detail.detail)
        }
        CommentCmd::List { post_id, paging } => {
            let (post, paging) = (PostId(post_id), &paging);
            let page = ctx
                .listing(&paging.paging, |c, cursor, limit| async move {
                    c.list_comments(post, &paging.query(cursor, limit)).await
                })
                .await?;
            ctx.out.page(&page, comments_table(&ctx.out, &page.items))
        }
        CommentCmd::React {
            post_id,
            comment_id,
            reaction,
        } => {
            let (post, id, reaction) = (PostId(post_id), CommentId(comment_id), reaction.as_str());
            let result = ctx
                .call(|c| async move { c.react_to_comment(post, id, reaction).await })
                .await?;
            let sentence = format!("{} ({} {}).", result.message, result.count, result.reaction);
            ctx.out.ack(&result, &sentence)
        }
    }
}

/// Comments as rows, each reply right under its parent and indented.
pub fn comments_table(out: &Output, comments: &[CommentDisplay]) -> Table {
    fn add(out: &Output, table: &mut Table, comment: &CommentDisplay, depth: usize) {
        let reactions: Vec<String> = comment
            .reactions
            .iter()
            .map(|(name, count)| format!("{name}:{count}"))
            .collect();
        let indent = if out.tty {
            "  ".repeat(depth)
        } else {
            String::new()
        };
        table.row(vec![
            comment.id.to_string(),
            opt(comment.parent_id),
            comment.author.clone(),
            if reactions.is_empty() {
                "-".into()
            } else {
                reactions.join(" ")
            },
            out.time(comment.created_at),
            format!("{indent}{}", comment.content),
        ]);
        for reply in &comment.sub_comments {
            add(out, table, reply, depth + 1);
        }
    }
    let mut table = Table::new(&["ID", "PARENT", "AUTHOR", "REACTIONS", "CREATED", "TEXT"]);
    for comment in comments {
        add(out, &mut table, comment, 0);
    }
    table
}
