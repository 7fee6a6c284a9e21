// A client made with openapi-typescript + openapi-fetch, used as an integrator would,
// against a live server: register, log in, post with tags, read the feed, make a space
// and a room, send a room message over REST, read the inbox. `tsc` checks it against
// the generated types first. Usage: node smoke.js BASE_URL
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Schemas = components["schemas"];

function expect(condition: unknown, what: string): asserts condition {
  if (!condition) {
    console.error(`typescript client: ${what}`);
    process.exit(1);
  }
}

const baseUrl = process.argv[2];
expect(baseUrl, "usage: node smoke.js BASE_URL");

const suffix = Math.random().toString(16).slice(2, 10);
const username = `ts_${suffix}`;
const password = "correct horse battery";
const anonymous = createClient<paths>({ baseUrl });

const registered = await anonymous.POST("/auth/register/", {
  body: { username, email: `${username}@example.com`, password },
});
expect(registered.data, `register: ${JSON.stringify(registered.error)}`);
const user: Schemas["UserDisplay"] = registered.data;
expect(user.username === username, "register: another username");

const loggedIn = await anonymous.POST("/auth/login/", {
  body: { username, password },
  bodySerializer: (form) => new URLSearchParams(form as Record<string, string>).toString(),
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
});
expect(loggedIn.data, `login: ${JSON.stringify(loggedIn.error)}`);
const me = createClient<paths>({
  baseUrl,
  headers: { Authorization: `Bearer ${loggedIn.data.access_token}` },
});

const created = await me.POST("/posts/create/", {
  body: { title: "Generated", content: "From a generated client.", tags: ["Rust", "#OpenAPI"] },
});
expect(created.data, `create_post: ${JSON.stringify(created.error)}`);
const post: Schemas["PostDisplay"] = created.data;
expect(JSON.stringify(post.tags) === '["rust","openapi"]', `tags: ${JSON.stringify(post.tags)}`);
expect(post.space_id == null, "a profile post has no space");

const feed = await me.GET("/posts/feed/", { params: { query: { page_size: 10 } } });
expect(feed.data, `feed: ${JSON.stringify(feed.error)}`);
expect(feed.data.some((p) => p.id === post.id), "the new post is not in the feed");

const space = await me.POST("/spaces/create", { body: { name: `space ${suffix}` } });
expect(space.data, `create_space: ${JSON.stringify(space.error)}`);
const room = await me.POST("/spaces/{space_id}/rooms/add/", {
  params: { path: { space_id: space.data.id } },
  body: { name: "general" },
});
expect(room.data, `add_room: ${JSON.stringify(room.error)}`);

const sent = await me.POST("/messages/send/", {
  body: { kind: "room", space_id: space.data.id, room_id: room.data.id, message: "hello, room" },
});
expect(sent.data, `send_message: ${JSON.stringify(sent.error)}`);
expect(sent.data.kind === "room", `sent a ${sent.data.kind} message`);
expect(sent.data.room_id === room.data.id, "the message went to another room");

const inbox = await me.GET("/messages/conversations/");
expect(inbox.data, `conversations: ${JSON.stringify(inbox.error)}`);
const entry = inbox.data.items.find((e) => e.room_id === room.data.id);
expect(entry, "the room is not in the inbox");
const last = entry.last_message;
expect(last?.kind === "room" && last.content === "hello, room", "the inbox shows another message");
const activity: string = entry.last_activity;
expect(!Number.isNaN(Date.parse(activity)), `last_activity ${activity}`);
console.log(`typescript client: ok (${inbox.data.items.length} conversations)`);
